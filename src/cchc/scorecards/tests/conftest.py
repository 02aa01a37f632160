import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from cchc.indicators.models import IndicatorValue
from cchc.reports.models import ReportPeriod
from cchc.units.models import Unit

ON = dt.date(2023, 7, 20)


@pytest.fixture(autouse=True)
def english(settings):
    """Pages are asserted in English (the msgids)."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    """Scorecards are read on 20/07/2023: Q1 and H1 reports are due, Q3 and the year not yet."""
    monkeypatch.setattr("cchc.core.clock.today", lambda: ON)


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


@pytest.fixture
def periods_2023(plan_2023):
    call_command("create_report_periods", "2023", stdout=StringIO())
    return {p.kind: p for p in ReportPeriod.objects.filter(year=2023)}


@pytest.fixture
def figures(plan_2023):
    """Phan Thiết (593) routes 80% of its district-level dossiers and processes all on time; La Gi (594) 50%
    and half on time; STP (a department) 90% at the provincial level."""
    store("593", "ROUTED_ELECTRONICALLY", 80, 100, "D")
    store("593", "ROUTED_ELECTRONICALLY", 20, 100, "C")  # its communes: not the district's level
    store("593", "PROCESSING_ON_TIME", 100, 100)
    store("594", "ROUTED_ELECTRONICALLY", 50, 100, "D")
    store("594", "PROCESSING_ON_TIME", 50, 100)
    store("STP", "ROUTED_ELECTRONICALLY", 90, 100, "P")
    store("STP", "PROCESSING_ON_TIME", 90, 100)
