"""Database-side helpers of the reports app: creating a year's periods, opening a unit's report."""

from __future__ import annotations

from django.db import transaction

from cchc.reports.models import Report, ReportPeriod
from cchc.reports.periods import DueDays, periods_for


def create_periods(year: int, days: DueDays | None = None) -> tuple[int, int]:
    """(created, already present). Existing rows are not touched: their dates may have been edited."""
    created = 0
    with transaction.atomic():
        for period in periods_for(year, days):
            _row, made = ReportPeriod.objects.get_or_create(
                year=year,
                kind=period.kind.value,
                defaults={
                    "data_from": period.data_from,
                    "data_to": period.data_to,
                    "ministry_due": period.ministry_due,
                    "due_department": period.due_department,
                    "due_district": period.due_district,
                    "due_commune": period.due_commune,
                },
            )
            created += made
    return created, 4 - created


def open_report(unit, period: ReportPeriod) -> Report:
    report, _created = Report.objects.get_or_create(unit=unit, period=period)
    return report
