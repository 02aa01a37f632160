"""Progress of a unit on its tasks, set-based: one query for the tasks, one for the progress rows, one for the
unit's own planned dates. Used by the progress pages and by the periodic reports."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, OuterRef, Subquery

from cchc.agencyplans.models import AgencyPlanItem
from cchc.plans.assignment import tasks_for_unit
from cchc.progress import rules
from cchc.progress.models import OWN_DUE_STATES, ProgressNote, TaskProgress


def own_dues(unit, plan) -> dict[int, dt.date]:
    """task id → the unit's own due date from its submitted or accepted agency plan."""
    rows = (
        AgencyPlanItem.objects.filter(
            agency_plan__plan=plan,
            agency_plan__unit=unit,
            agency_plan__status__in=OWN_DUE_STATES,
            task__isnull=False,
            due__isnull=False,
        )
        .order_by("-pk")
        .values_list("task_id", "due")
    )
    return dict(rows)  # the first item per task wins (ordered last so it overwrites)


def progress_rows(unit, task_ids) -> dict[int, TaskProgress]:
    """task id → the unit's progress row, with its evidence count and latest note."""
    last_note = ProgressNote.objects.filter(progress=OuterRef("pk")).order_by("-at", "-pk").values("text")[:1]
    rows = (
        TaskProgress.objects.filter(unit=unit, task_id__in=task_ids)
        .annotate(evidence_count=Count("evidence"), last_note=Subquery(last_note))
        .select_related("updated_by")
    )
    return {row.task_id: row for row in rows}


def progress_for_unit(unit, plan, on: dt.date) -> list[dict]:
    """One row per task the unit carries out (see cchc.plans.assignment), in plan order.

    Keys: task_code, task_text, area_number, due (the unit's own date if its agency plan gave one, else the
    plan's), status (effective on `on`: not_started, in_progress, done or overdue), completed_on, last_note,
    evidence_count. A task nobody has opened yet counts as not started.
    """
    tasks = list(tasks_for_unit(unit, plan))
    found = progress_rows(unit, [task.pk for task in tasks])
    dues = own_dues(unit, plan)
    result = []
    for task in tasks:
        row = found.get(task.pk)
        due = rules.effective_due(task.due, dues.get(task.pk))
        status = row.status if row else rules.NOT_STARTED
        result.append(
            {
                "task_code": task.code,
                "task_text": task.text,
                "area_number": task.area.number,
                "due": due,
                "status": rules.effective_status(status, due, on),
                "completed_on": row.completed_on if row else None,
                "last_note": (row.last_note or "") if row else "",
                "evidence_count": row.evidence_count if row else 0,
            }
        )
    return result
