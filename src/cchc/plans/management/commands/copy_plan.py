from django.core.management.base import BaseCommand, CommandError

from cchc.plans.loading import copy_plan
from cchc.plans.models import Plan


class Command(BaseCommand):
    help = "Copy a year's plan to another year as a draft (dates of the plan year move with it)."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="source", type=int, required=True)
        parser.add_argument("--to", dest="target", type=int, required=True)

    def handle(self, *args, source: int, target: int, **options):
        plan = Plan.objects.filter(year=source).first()
        if plan is None:
            raise CommandError(f"--from: no plan for {source}")
        try:
            copy = copy_plan(plan, target)
        except ValueError as exc:
            raise CommandError(f"--to: {exc}") from None
        self.stdout.write(
            f"Draft plan {copy.year} created from {source}: {copy.targets.count()} targets, {copy.tasks.count()} tasks"
        )
