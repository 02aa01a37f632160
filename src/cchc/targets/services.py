"""Entries: who may open, edit and move them, and what a submission needs (one check per action)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from cchc.accounts import access
from cchc.plans.models import Target
from cchc.reports.models import ReportPeriod
from cchc.review import services as review
from cchc.review.states import Action, TransitionError
from cchc.targets.models import EntryLevel, TargetEntry

ENTERED_SOURCES = (Target.Source.ENTERED,)


def responsible_unit(target: Target):
    """The unit that enters the target's value: the declared one, else the area's monitoring agency."""
    return target.responsible or target.area.monitor


def entry_levels(target: Target) -> list[str]:
    """The levels a value is entered for: the whole province, and each level the plan sets a threshold for."""
    levels = [EntryLevel.PROVINCE.value]
    levels += [t.level for t in target.thresholds.all() if t.level in ("P", "D", "C")]
    return levels


def due_periods(target: Target) -> list[ReportPeriod]:
    return list(ReportPeriod.objects.filter(year=target.plan.year, kind__in=target.due_list).order_by("data_to"))


def may_open(user, target: Target) -> bool:
    unit = responsible_unit(target)
    return target.value_source in ENTERED_SOURCES and unit is not None and access.may(user, "change", unit)


def open_entry(user, target: Target, period: ReportPeriod, level: str) -> TargetEntry:
    """The entry of (target, period, level), created as a draft of the responsible unit when the account may."""
    if not may_open(user, target):
        raise PermissionDenied(_("Only the responsible unit enters this target's value."))
    if period.kind not in target.due_list or period.year != target.plan.year or level not in entry_levels(target):
        raise PermissionDenied(_("This value is not due for that period or level."))
    try:
        with transaction.atomic():
            entry, _created = TargetEntry.objects.get_or_create(
                target=target, period=period, level=level, defaults={"unit": responsible_unit(target)}
            )
    except IntegrityError:  # two clicks at once: the other one created it
        entry = TargetEntry.objects.get(target=target, period=period, level=level)
    return entry


def may_write(user, entry: TargetEntry) -> bool:
    return entry.is_editable and access.may(user, "change", entry)


def missing_for_submission(entry: TargetEntry) -> list[str]:
    missing = []
    if entry.measure is None:
        missing.append(_("the value"))
    if not entry.evidence.exists():
        missing.append(_("an evidence file"))
    return missing


def act(entry: TargetEntry, action: str, user, comment: str = "", at: dt.datetime | None = None):
    """Hand to the head (an editor), submit (the unit's head; the value and at least one evidence file are needed),
    accept or return (Sở Nội vụ), at `at` (now by default)."""
    if action in (Action.SUBMIT, Action.HAND) and review.may(user, entry, action):
        missing = missing_for_submission(entry)
        if missing:
            raise TransitionError(_("Fill in before submitting: %(fields)s.") % {"fields": ", ".join(missing)})
    return review.apply(entry, action, user, comment, at=at)
