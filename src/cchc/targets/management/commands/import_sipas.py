import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cchc.targets import rules
from cchc.targets.models import Survey, SurveyResult
from cchc.targets.survey_file import SurveyFileError, read_survey_file


def import_survey(
    path: Path,
    *,
    year: int,
    index: str,
    title: str,
    organiser: str,
    sample_size: int,
    started_on: dt.date,
    ended_on: dt.date,
    national_value=None,
    user=None,
) -> Survey:
    """Validate the file, then replace the survey of (year, index) with it in one transaction (idempotent)."""
    methods = rules.methods()
    if index not in methods:
        raise SurveyFileError([f"--index: {index!r} is not one of {', '.join(methods)}"])
    if ended_on < started_on:
        raise SurveyFileError(["--to: the survey ends before it starts"])
    lines = read_survey_file(path, methods[index])
    with transaction.atomic():
        survey, _ = Survey.objects.update_or_create(
            year=year,
            index=index,
            defaults={
                "title": title,
                "organiser": organiser,
                "sample_size": sample_size,
                "started_on": started_on,
                "ended_on": ended_on,
                "method": index,
                "national_value": national_value,
                "source_file": path.name,
                "created_by": user,
            },
        )
        survey.results.all().delete()
        SurveyResult.objects.bulk_create(
            SurveyResult(
                survey=survey,
                service=line.service,
                criterion=line.criterion,
                respondents=line.respondents,
                share_satisfied=line.share_satisfied,
                mean_score=line.mean_score,
            )
            for line in lines
        )
    return survey


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
