"""The reminders' part of "what is waiting for me" (cchc.waiting): what the account's own unit still owes — plans,
reports, tasks, target values — late or due within the reminder horizon, in every year that has a plan, not only
the current one (a 2023 report never sent is still owed in 2026)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from urllib.parse import urlencode

from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext as _

from cchc.accounts import scope
from cchc.reminders.obligations import DueItem, due_items
from cchc.waiting import DUE, WaitingItem

# Accounts that do their unit's work (a leader or an account without a unit owes nothing itself).
DOING_ROLES = ("editor", "head", "monitor", "district_officer", "administrator")
TASKS_LISTED = 3  # more tasks than this of one year are shown as one line


def plan_years(today: dt.date) -> list[int]:
    """The years with a plan, up to this one (the plans app is looked up by name: reminders imports no app)."""
    plan = apps.get_model("plans", "Plan")
    return sorted({year for year in plan.objects.values_list("year", flat=True) if year <= today.year})


def owed_by_unit(unit_id: int, today: dt.date) -> list[tuple[int, DueItem]]:
    """(plan year, obligation) of the unit not done: past years' as of their year's end, this year's as of today."""
    items: list[tuple[int, DueItem]] = []
    for year in plan_years(today):
        on = today if year == today.year else dt.date(year, 12, 31)
        items.extend((year, item) for item in due_items(on, unit_ids={unit_id}) if not item.done)
    return items


def items_for(user, today: dt.date) -> list[WaitingItem]:
    if scope.role(user) not in DOING_ROLES:
        return []
    unit = scope.own_unit(user)
    if unit is None:
        return []
    owed = owed_by_unit(unit.pk, today)
    # Many tasks of one year are one line (the unit's task page lists them): the start page stays readable.
    tasks_by_year: dict[int, list[DueItem]] = defaultdict(list)
    for year, item in owed:
        if item.kind == "task":
            tasks_by_year[year].append(item)
    grouped = {year for year, tasks in tasks_by_year.items() if len(tasks) > TASKS_LISTED}
    rows = [_row(item, unit, today) for year, item in owed if not (item.kind == "task" and year in grouped)]
    for year in sorted(grouped):
        tasks = tasks_by_year[year]
        first = min(tasks, key=lambda item: item.due)
        late = first.due < today
        query = urlencode({"year": year, **({"status": "overdue"} if late else {})})
        rows.append(
            WaitingItem(
                key=f"tasks:{year}:{unit.code}",
                action=DUE,
                action_label=_("Overdue") if late else _("Due soon"),
                title=_("%(count)d tasks of the %(year)d plan not completed") % {"count": len(tasks), "year": year},
                unit_name=unit.name,
                url=f"{reverse('progress:home')}?{query}",
                due=first.due,
            )
        )
    return rows


def _row(item: DueItem, unit, today: dt.date) -> WaitingItem:
    return WaitingItem(
        key=item.key,
        action=DUE,
        action_label=_("Overdue") if item.due < today else _("Due soon"),
        title=item.title,
        unit_name=unit.name,
        url=item.url,
        due=item.due,
    )


def register() -> None:
    from cchc import waiting

    waiting.register(items_for, "reminders")
