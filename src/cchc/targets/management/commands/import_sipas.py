import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cchc.targets.services import import_survey
from cchc.targets.survey_file import SurveyFileError


class Command(BaseCommand):
    help = "Import a satisfaction survey in the SIPAS form (CSV or XLSX: DichVu, TieuChi, SoNguoiTraLoi, TyLeHaiLong "
    "and/or DiemTrungBinh); replaces the survey of the same year and index."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--index", required=True, help="admin (target 3.3), health or education (target 3.4)")
        parser.add_argument("--title", required=True)
        parser.add_argument("--organiser", required=True, help="who ran the survey")
        parser.add_argument("--sample-size", dest="sample_size", type=int, required=True)
        parser.add_argument("--from", dest="started_on", required=True, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="ended_on", required=True, help="YYYY-MM-DD")
        parser.add_argument("--national", help="the national SIPAS figure (%%) to show beside the province's")

    def handle(self, *args, file, national, **options):
        from decimal import Decimal, InvalidOperation

        try:
            started_on = dt.date.fromisoformat(options.pop("started_on"))
            ended_on = dt.date.fromisoformat(options.pop("ended_on"))
        except ValueError as exc:
            raise CommandError(f"--from/--to: {exc}") from None
        try:
            national_value = Decimal(national.replace(",", ".")) if national else None
        except InvalidOperation:
            raise CommandError(f"--national: {national!r} is not a number") from None
        path = Path(file)
        if not path.exists():
            raise CommandError(f"{file}: no such file")
        try:
            survey = import_survey(
                path,
                year=options["year"],
                index=options["index"],
                title=options["title"],
                organiser=options["organiser"],
                sample_size=options["sample_size"],
                started_on=started_on,
                ended_on=ended_on,
                national_value=national_value,
            )
        except SurveyFileError as error:
            raise CommandError("\n".join(error.errors)) from None
        self.stdout.write(f"{survey}: {survey.results.count()} lines imported")
