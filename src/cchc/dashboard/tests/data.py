"""Stored indicator values and accepted reports for the dashboard tests (no dossiers needed)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cchc.indicators.models import IndicatorValue
from cchc.reports.models import Report, ReportFigure, ReportPeriod
from cchc.units.models import Unit

ROUTED = "ROUTED_ELECTRONICALLY"  # target 2.1: ≥70% P and D, ≥60% C
ONLINE = "ONLINE_SUBMISSION"  # target 2.4c: ≥35% at every level and for the province


def store(unit: Unit, metric: str, level: str, rates: list[float], cases: int = 1000, year: int = 2023) -> None:
    """Monthly values (January first), and the quarters and the year as their sums."""
    now = timezone.now()
    months = [(round(rate * cases / 100), cases) for rate in rates]
    rows = [(f"{year}{m:02d}", n, d) for m, (n, d) in enumerate(months, start=1)]
    for q in range(4):
        part = months[3 * q : 3 * q + 3]
        if len(part) == 3:
            rows.append((f"{year}Q{q + 1}", sum(n for n, _ in part), sum(d for _, d in part)))
    rows.append((str(year), sum(n for n, _ in months), sum(d for _, d in months)))
    IndicatorValue.objects.bulk_create(
        IndicatorValue(unit=unit, period=p, level=level, metric=metric, numerator=n, denominator=d, computed_at=now)
        for p, n, d in rows
    )


def accepted_report(unit: Unit, kind: str, figures: dict[str, float], year: int = 2023, status: str = "accepted"):
    period = ReportPeriod.objects.get(year=year, kind=kind)
    report = Report.objects.create(unit=unit, period=period, status=status, reviewed_at=timezone.now())
    ReportFigure.objects.bulk_create(ReportFigure(report=report, code=c, value=v) for c, v in figures.items())
    return report


TODAY = dt.date(2026, 1, 15)
