import datetime as dt
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from cchc.indicators.models import IndicatorValue
from cchc.reports.models import Report, ReportPeriod
from cchc.units.models import Unit


def unit(code: str) -> Unit:
    return Unit.objects.filter(code=code).order_by("-valid_from").first()


def store(code: str, metric: str, numerator: int, denominator: int, level: str = "all", period: str = "2023"):
    IndicatorValue.objects.update_or_create(
        unit=unit(code),
        period=period,
        level=level,
        metric=metric,
        defaults={"numerator": numerator, "denominator": denominator, "computed_at": timezone.now()},
    )


def periods_2023() -> dict[str, ReportPeriod]:
    call_command("create_report_periods", "2023", stdout=StringIO())
    return {p.kind: p for p in ReportPeriod.objects.filter(year=2023)}


def report(code: str, period: ReportPeriod, status: str, figures: dict[str, str]) -> Report:
    moment = timezone.make_aware(dt.datetime(2023, 4, 5, 9, 0))
    submitted = status != "draft"
    made = Report.objects.create(
        unit=unit(code),
        period=period,
        status=status,
        first_submitted_at=moment if submitted else None,
        submitted_at=moment if submitted else None,
        on_time=True if submitted else None,
        reviewed_at=moment if status == "accepted" else None,
        review_comment="Nhận xét riêng của người thẩm định",
    )
    for key, value in figures.items():
        made.figures.create(code=key, value=value)
    return made
