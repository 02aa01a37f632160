import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from cchc.core import clock
from cchc.units.divisions import package_data_version, province_records
from cchc.units.events import load_reorganisation
from cchc.units.loading import sync_units
from cchc.units.reorganisation import converter_source, current_source, reorganisation


class Command(BaseCommand):
    help = (
        "Load the 2023 units and every reorganisation event up to a date (merged communes, departments merged in "
        "March 2025, the two-level province of July 2025) from the maintained packages; idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", default=clock.today().isoformat(), help="YYYY-MM-DD (default: today)")

    def handle(self, *args, as_of, **options):
        try:
            date = dt.date.fromisoformat(as_of)
        except ValueError:
            raise CommandError(f"--as-of: '{as_of}' is not a date in the form YYYY-MM-DD") from None
        try:
            reorg = reorganisation()
        except ValueError as error:
            raise CommandError(str(error)) from None
        created = 0
        for province in reorg.history:
            created += sync_units(province_records(province), update_existing=False)[0]
        self.stdout.write(f"2023 units: {created} created ({package_data_version()})")
        stats = load_reorganisation(date, reorg)
        self.stdout.write(
            f"Events up to {date:%d/%m/%Y}: {stats['events_created']} recorded, {stats['events_present']} already "
            f"present; units: {stats['units_opened']} opened, {stats['units_closed']} closed "
            f"({current_source()}; {converter_source()})"
        )
