from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cchc.plans.loading import load_plan_text
from cchc.plans.plan_file import PlanFileError


class Command(BaseCommand):
    help = "Validate a plan file (YAML or JSON) and load it; a rejected file writes nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{file}: cannot read the file ({exc})") from None
        try:
            plan, created = load_plan_text(text)
        except PlanFileError as exc:
            for message in exc.errors:
                self.stderr.write(f"{file}: {message}")
            raise CommandError(f"{file}: rejected with {len(exc.errors)} error(s); nothing was written") from None
        self.stdout.write(
            f"{'Loaded' if created else 'Updated'} plan {plan.year} ({plan.title}): "
            f"{plan.areas.count()} areas, {plan.targets.count()} targets, {plan.tasks.count()} tasks"
        )
