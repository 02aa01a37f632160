"""Database-side helpers of the reports app: creating a year's periods, opening a unit's report."""

from __future__ import annotations

from django.db import transaction

from cchc.reports.models import Report, ReportPeriod
from cchc.reports.periods import DueDays, Kind
from cchc.reports.periods import period as build_period
from cchc.units.models import Unit, UnitKind


def without_districts(day) -> bool:
    """The structure valid on `day` has communes but no district (the two-level local government)."""
    valid = Unit.objects.valid_on(day)
    return valid.filter(kind=UnitKind.COMMUNE).exists() and not valid.filter(kind=UnitKind.DISTRICT).exists()


def create_periods(year: int, days: DueDays | None = None) -> tuple[int, int]:
    """(created, already present). Existing rows are not touched: their dates may have been edited.

    The structure valid in each period decides the communes' deadline: with no district on the period's last data
    day (but some communes), communes report directly to Sở Nội vụ on the departments' day."""
    created = 0
    with transaction.atomic():
        for kind in Kind:
            period = build_period(year, kind, days)
            if without_districts(period.data_to):
                period = build_period(year, kind, days, two_level=True)
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
