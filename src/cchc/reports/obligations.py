"""The reports each unit owes (see cchc.reminders.obligations): every department, district and commune owes one
report per period, by the internal deadline of its level."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse

from cchc.reminders.obligations import DueItem
from cchc.reports.models import Report, ReportPeriod
from cchc.review.models import ReviewState
from cchc.units.models import Unit, UnitKind

HORIZON_DAYS = 14
DONE_STATES = (ReviewState.SUBMITTED, ReviewState.ACCEPTED)
DUE_FIELD = {
    UnitKind.DEPARTMENT: "due_department",
    UnitKind.DISTRICT: "due_district",
    UnitKind.COMMUNE: "due_commune",
}


def reporting_units(on: dt.date):
    """Units that report: scored departments, districts and communes that exist on `on`."""
    return Unit.objects.valid_on(on).filter(kind__in=list(DUE_FIELD), is_scored=True).only("pk", "code", "kind")


def due_items(on: dt.date, unit_ids: set[int] | None = None) -> list[DueItem]:
    """Reports of `on`'s year whose deadline for the unit's level falls within 14 days of `on` or has passed,
    done (submitted or accepted) or not; of the units `unit_ids` only, when given."""
    horizon = on + dt.timedelta(days=HORIZON_DAYS)
    in_window = Q()
    for field in DUE_FIELD.values():
        in_window |= Q(**{f"{field}__lte": horizon})
    periods = list(ReportPeriod.objects.filter(in_window, year=on.year))
    if not periods:
        return []
    units = reporting_units(on)
    found = Report.objects.filter(period__in=periods)
    if unit_ids is not None:
        units, found = units.filter(pk__in=unit_ids), found.filter(unit_id__in=unit_ids)
    units = list(units)
    reports = {(row["unit_id"], row["period_id"]): row for row in found.values("pk", "unit_id", "period_id", "status")}
    index_url = reverse("reports:index")
    items = []
    for period in periods:
        for unit in units:
            due = getattr(period, DUE_FIELD[unit.kind])
            if due > horizon:
                continue
            report = reports.get((unit.pk, period.pk))
            items.append(
                DueItem(
                    key=f"report:{period.key}:{unit.code}",
                    unit_id=unit.pk,
                    kind="report",
                    title=str(period.title),
                    due=due,
                    url=reverse("reports:detail", args=[report["pk"]])
                    if report
                    else f"{index_url}?year={period.year}#period-{period.pk}",
                    done=bool(report and report["status"] in DONE_STATES),
                )
            )
    return items
