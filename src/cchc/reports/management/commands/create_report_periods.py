from django.core.management.base import BaseCommand, CommandError

from cchc.reports.periods import DueDays
from cchc.reports.services import create_periods


class Command(BaseCommand):
    help = (
        "Create the four periodic reports of a year (Decree 09/2019) with the internal deadlines of each level "
        "(CCHC_REPORT_DUE_DAY_*); periods already there are left as they are (an administrator may have edited them)."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)

    def handle(self, *args, year: int, **options):
        if not 2000 <= year <= 2100:
            raise CommandError(f"year: {year} is not a plausible year")
        try:
            days = DueDays.from_settings()
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        created, kept = create_periods(year, days)
        self.stdout.write(f"Report periods {year}: {created} created, {kept} already present")
