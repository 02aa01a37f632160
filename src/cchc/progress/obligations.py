"""Tasks a department or district has not finished that are due within two weeks or already late."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Q
from django.utils.translation import gettext as _

from cchc.agencyplans.models import AgencyPlanItem
from cchc.plans.models import Plan, Task
from cchc.progress import rules
from cchc.progress.models import OWN_DUE_STATES, TaskProgress
from cchc.reminders.obligations import DueItem
from cchc.units.models import UnitKind

HORIZON_DAYS = 14
OWING_KINDS = (UnitKind.DEPARTMENT, UnitKind.DISTRICT)


def due_items(on: dt.date, unit_ids: set[int] | None = None) -> list[DueItem]:
    """One item per (task, department or district) not done and due by `on` + 14 days; of the units `unit_ids`
    only, when given.

    A task assigned to communes is owed by their district (which drives them), so there is never an item per
    commune: the count stays bounded by tasks × (departments + districts). Four queries in all.
    """
    plan = Plan.objects.exclude(status=Plan.Status.DRAFT).filter(year=on.year).first()
    if plan is None:
        return []
    tasks = {task.pk: task for task in Task.objects.filter(plan=plan).only("pk", "code", "text", "due")}
    owing: dict[int, dict[int, object]] = defaultdict(dict)  # task id → unit id → unit
    through = Task.agencies.through.objects.filter(task__plan=plan).select_related("unit", "unit__parent")
    if unit_ids is not None:  # the units themselves, or communes owed by their district
        through = through.filter(Q(unit_id__in=unit_ids) | Q(unit__parent_id__in=unit_ids))
    for row in through:
        unit = row.unit
        if unit.kind == UnitKind.COMMUNE and unit.parent and unit.parent.kind == UnitKind.DISTRICT:
            unit = unit.parent
        if unit.kind in OWING_KINDS and unit.is_scored and (unit_ids is None or unit.pk in unit_ids):
            owing[row.task_id][unit.pk] = unit
    progress = TaskProgress.objects.filter(task__plan=plan, status=rules.DONE)
    if unit_ids is not None:
        progress = progress.filter(unit_id__in=unit_ids)
    done = set(progress.values_list("task_id", "unit_id"))
    own = {
        (task_id, unit_id): due
        for task_id, unit_id, due in AgencyPlanItem.objects.filter(
            agency_plan__plan=plan, agency_plan__status__in=OWN_DUE_STATES, task__isnull=False, due__isnull=False
        ).values_list("task_id", "agency_plan__unit_id", "due")
    }
    items = []
    for task_id, units in owing.items():
        task = tasks[task_id]
        for unit in units.values():
            if (task_id, unit.pk) in done:
                continue
            due = rules.effective_due(task.due, own.get((task_id, unit.pk)))
            if not rules.is_due_soon(due, on, HORIZON_DAYS):
                continue
            items.append(
                DueItem(
                    key=f"task:{task_id}:{unit.code}",
                    unit_id=unit.pk,
                    kind="task",
                    title=_("Task %(code)s: %(text)s") % {"code": task.code, "text": _shorten(task.text)},
                    due=due,
                    url=f"/progress/{plan.year}/{task.code}/{unit.code}/",
                    done=False,
                )
            )
    return items


def _shorten(text: str, length: int = 90) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
