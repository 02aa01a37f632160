import csv
import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from cchc.units.exports import installation_province, units_on


class Command(BaseCommand):
    help = "Print the units of a province valid on a date: [{code, name, kind, parent}]"

    def add_arguments(self, parser):
        parser.add_argument("--date", required=True, help="YYYY-MM-DD")
        parser.add_argument(
            "--province",
            help="statistics-office code (default: the installation's province, CCHC_PROVINCE, or on an earlier "
            "date the provinces it succeeded)",
        )
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args, date, province, format, **options):
        try:
            on = dt.date.fromisoformat(date)
        except ValueError:
            raise CommandError(f"--date: '{date}' is not a date in the form YYYY-MM-DD") from None
        rows = units_on(on, province or installation_province())
        if format == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            writer = csv.DictWriter(self.stdout, fieldnames=["code", "name", "kind", "parent"], lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
