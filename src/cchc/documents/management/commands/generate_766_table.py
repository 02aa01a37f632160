"""cchc generate_766_table --period 2023Q1 --out 766.xlsx"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cchc.documents import excel, queries
from cchc.indicators.periods import parse_period


class Command(BaseCommand):
    help = "Write the 766 results of every unit (province, departments, districts, communes) to an Excel file."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="a period: 2023, 2023S1, 2023Q1 or 202303")
        parser.add_argument("--out", required=True, help="the .xlsx file to write")

    def handle(self, *args, **options):
        try:
            parse_period(options["period"])
        except ValueError as exc:
            raise CommandError(f"--period: {exc}") from None
        out = Path(options["out"])
        if out.suffix.lower() != ".xlsx":
            raise CommandError(f"--out: {out} must end in .xlsx")

        def progress(done, total, message):
            self.stdout.write(f"[{done}/{total}] {message}")

        table = queries.table_766(options["period"], progress)
        excel.render_766(table, out)
        self.stdout.write(self.style.SUCCESS(f"wrote {out} ({len(table.rows)} units)"))
