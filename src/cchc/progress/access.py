"""Who sees and writes a unit's progress on a task: the scope rules plus the task's monitoring unit."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from cchc.accounts import scope


def may_see(user, task, unit) -> bool:
    """The unit's own accounts (and whoever sees that unit) or the unit monitoring the task."""
    if scope.can_see_unit(user, unit):
        return True
    monitor = scope.monitored_unit_id(user)
    return monitor is not None and monitor == task.monitor_id


def may_write(user, unit) -> bool:
    return scope.can_edit(user, unit)


def may_monitor(user) -> bool:
    return scope.sees_whole_province(user) or scope.monitored_unit_id(user) is not None


def visible_progress(queryset: QuerySet, user, prefix: str = "") -> QuerySet:
    """Progress rows (or rows under them, with `prefix` e.g. "progress__") the account may see."""
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    if scope.visible_unit_ids(user) is None:
        return queryset  # progress has no private drafts: the province sees every row
    own = scope.visible(queryset, user, unit_field=f"{prefix}unit", state_field=None)
    monitor = scope.monitored_unit_id(user)
    if monitor is None:
        return own
    return queryset.filter(Q(pk__in=own.values("pk")) | Q(**{f"{prefix}task__monitor_id": monitor}))
