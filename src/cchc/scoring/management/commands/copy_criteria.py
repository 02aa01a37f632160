from django.core.management.base import BaseCommand, CommandError

from cchc.scoring import sets
from cchc.scoring.workflow import ScoringError


class Command(BaseCommand):
    help = "Copy every criteria set of one year to another as drafts (deadlines moved by the same number of years)."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="from_year", type=int, required=True)
        parser.add_argument("--to", dest="to_year", type=int, required=True)

    def handle(self, *args, from_year: int, to_year: int, **options):
        skipped: list[str] = []
        try:
            copies = sets.copy(from_year, to_year, skipped)
        except ScoringError as error:
            raise CommandError(str(error)) from None
        for criteria_set in copies:
            self.stdout.write(f"Copied as draft: {criteria_set} ({criteria_set.kind})")
        for kind in skipped:
            self.stdout.write(f"Not copied: the {kind} set (no unit of that kind in {to_year})")
