from django.core.management.base import BaseCommand, CommandError

from cchc.plans.loading import copy_plan
from cchc.plans.models import Plan


class Command(BaseCommand):
    help = (
        "Copy a year's plan to another year as a draft (dates of the plan year move with it; units that no longer "
        "exist are mapped through the unit events to their successors, and each mapping is printed)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="source", type=int, required=True)
        parser.add_argument("--to", dest="target", type=int, required=True)

    def handle(self, *args, source: int, target: int, **options):
        plan = Plan.objects.filter(year=source).first()
        if plan is None:
            raise CommandError(f"--from: no plan for {source}")
        log: list[str] = []
        try:
            copy = copy_plan(plan, target, log)
        except ValueError as exc:
            raise CommandError(f"--to: {exc}") from None
        for line in log:
            self.stdout.write(f"Mapped: {line}")
        self.stdout.write(
            f"Draft plan {copy.year} created from {source}: {copy.targets.count()} targets, {copy.tasks.count()} tasks"
        )
