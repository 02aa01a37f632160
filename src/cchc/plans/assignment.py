"""Which of the plan's tasks a unit carries out.

The plan assigns tasks to unit codes and to groups (@departments, @districts, @communes), expanded into
Task.agencies when the plan is loaded (cchc.plans.loading.expand_agencies). A district also drives the tasks
assigned to its communes, so they are part of its work: it plans them, follows them and is reminded of them.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from cchc.plans.models import Task
from cchc.units.models import Unit, UnitKind


def carrying_unit_q(unit: Unit, field: str = "unit") -> Q:
    """The units whose assignments count for `unit`: itself, and for a district its communes."""
    q = Q(**{f"{field}_id": unit.pk})
    if unit.kind == UnitKind.DISTRICT:
        q |= Q(**{f"{field}__parent_id": unit.pk, f"{field}__kind": UnitKind.COMMUNE})
    return q


def tasks_for_unit(unit: Unit, plan) -> QuerySet[Task]:
    """The plan's tasks `unit` carries out, in plan order (one query; no duplicates)."""
    assignments = Task.agencies.through.objects.filter(carrying_unit_q(unit)).values("task_id")
    return Task.objects.filter(plan=plan, pk__in=assignments).select_related("area", "monitor").order_by("order")


def is_assigned(task: Task, unit: Unit) -> bool:
    return Task.agencies.through.objects.filter(carrying_unit_q(unit), task_id=task.pk).exists()
