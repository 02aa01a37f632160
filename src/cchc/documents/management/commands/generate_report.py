"""cchc generate_report --year 2023 --period Q1 --out bao-cao-q1-2023.docx [--annex annex.xlsx] [--number …]"""

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cchc.documents import excel, queries, word
from cchc.reports.models import ReportPeriod


class Command(BaseCommand):
    help = "Write the province's periodic PAR report (Word, Decree 30 layout) and optionally its Excel annex."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument(
            "--period", required=True, choices=["Q1", "H1", "Q3", "Y"], help="Q1, H1 (six months), Q3, Y"
        )
        parser.add_argument("--out", required=True, help="the .docx file to write")
        parser.add_argument("--annex", help="also write the statistics annex to this .xlsx file")
        parser.add_argument(
            "--number", default=queries.Options.number_symbol, help='number and symbol, e.g. "25/BC-UBND"'
        )
        parser.add_argument("--date", help="date of the document, YYYY-MM-DD (default: today)")
        parser.add_argument("--signer", help="signer's name (default: the plan's signer)")
        parser.add_argument("--signer-title", help="signer's title, e.g. \"Phó Chủ tịch\" (default: the plan's)")
        parser.add_argument(
            "--recipient", action="append", help="a recipient (repeat the option; default: the usual list)"
        )

    def handle(self, *args, **options):
        period = ReportPeriod.objects.filter(year=options["year"], kind=options["period"]).first()
        if period is None:
            raise CommandError(
                f"--period: no {options['period']} report period in {options['year']}"
                f" (create them with: cchc create_report_periods {options['year']})"
            )
        try:
            date = dt.date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError:
            raise CommandError(f"--date: {options['date']!r} is not a date YYYY-MM-DD") from None
        out = Path(options["out"])
        if out.suffix.lower() != ".docx":
            raise CommandError(f"--out: {out} must end in .docx")
        if options["annex"] and Path(options["annex"]).suffix.lower() != ".xlsx":
            raise CommandError(f"--annex: {options['annex']} must end in .xlsx")
        opts = queries.Options(
            number_symbol=options["number"],
            date=date,
            signer_name=options["signer"],
            signer_title=options["signer_title"],
            recipients=options["recipient"],
        )

        def progress(done, total, message):
            self.stdout.write(f"[{done}/{total}] {message}")

        try:
            report = queries.compile_report(period, opts, progress)
        except queries.Plan.DoesNotExist as exc:
            raise CommandError(str(exc)) from None
        word.render(report, out)
        self.stdout.write(self.style.SUCCESS(f"wrote {out} ({report.accepted_reports} accepted reports)"))
        if options["annex"]:
            excel.render_annex(report, options["annex"])
            self.stdout.write(self.style.SUCCESS(f"wrote {options['annex']}"))
