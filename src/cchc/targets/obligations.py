"""The target values each responsible unit owes (see cchc.reminders.obligations): one per entered target, due report
period and level, by the period's internal deadline for the unit's level; done once submitted or accepted."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from cchc.plans.models import Plan, Target
from cchc.reminders.obligations import DueItem
from cchc.reports.models import ReportPeriod
from cchc.review.models import ReviewState
from cchc.targets.models import TargetEntry
from cchc.targets.services import entry_levels, responsible_unit

HORIZON_DAYS = 14
DONE_STATES = (ReviewState.SUBMITTED, ReviewState.ACCEPTED)


def due_items(on: dt.date, unit_ids: set[int] | None = None) -> list[DueItem]:
    """Entered targets of `on`'s year whose deadline falls within 14 days of `on` or has passed, done or not; of the
    responsible units `unit_ids` only, when given."""
    plan = Plan.objects.exclude(status=Plan.Status.DRAFT).filter(year=on.year).first()
    if plan is None:
        return []
    horizon = on + dt.timedelta(days=HORIZON_DAYS)
    periods = {p.kind: p for p in ReportPeriod.objects.filter(year=on.year)}
    targets = (
        Target.objects.filter(plan=plan, value_source=Target.Source.ENTERED)
        .select_related("responsible", "area__monitor")
        .prefetch_related("thresholds")
    )
    entries = {
        (row["target_id"], row["period_id"], row["level"]): row
        for row in TargetEntry.objects.filter(target__plan=plan).values(
            "pk", "target_id", "period_id", "level", "status"
        )
    }
    index_url = reverse("targets:index")
    items = []
    for target in targets:
        unit = responsible_unit(target)
        if unit_ids is not None and unit.pk not in unit_ids:
            continue
        for kind in target.due_list:
            period = periods.get(kind)
            if period is None:
                continue
            due = period.due_for(unit)
            if due > horizon:
                continue
            for level in entry_levels(target):
                entry = entries.get((target.pk, period.pk, level))
                suffix = "" if level == "all" else f" ({level})"
                items.append(
                    DueItem(
                        key=f"target:{period.key}:{target.code}:{level}",
                        unit_id=unit.pk,
                        kind="target_value",
                        title=_("Value of target %(code)s, %(period)s") % {"code": target.code, "period": period.title}
                        + suffix,
                        due=due,
                        url=reverse("targets:entry", args=[entry["pk"]])
                        if entry
                        else f"{index_url}?year={plan.year}#target-{target.code}",
                        done=bool(entry and entry["status"] in DONE_STATES),
                    )
                )
    return items
