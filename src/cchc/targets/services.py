"""Entries: who may open, edit and move them, and what a submission needs (one check per action)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from cchc.accounts import access
from cchc.plans.models import Target
from cchc.reports.models import ReportPeriod
from cchc.review import services as review
from cchc.review.states import Action, TransitionError
from cchc.targets import rules
from cchc.targets.models import EntryLevel, Survey, SurveyResult, TargetEntry
from cchc.targets.survey_file import SurveyFileError, read_survey_file

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


def import_survey(
    path: Path,
    *,
    year: int,
    index: str,
    title: str,
    organiser: str,
    sample_size: int,
    started_on: dt.date,
    ended_on: dt.date,
    national_value=None,
    user=None,
) -> Survey:
    """Validate the file, then replace the survey of (year, index) with it in one transaction (idempotent)."""
    methods = rules.methods()
    if index not in methods:
        raise SurveyFileError([f"--index: {index!r} is not one of {', '.join(methods)}"])
    if ended_on < started_on:
        raise SurveyFileError(["--to: the survey ends before it starts"])
    lines = read_survey_file(path, methods[index])
    with transaction.atomic():
        survey, _ = Survey.objects.update_or_create(
            year=year,
            index=index,
            defaults={
                "title": title,
                "organiser": organiser,
                "sample_size": sample_size,
                "started_on": started_on,
                "ended_on": ended_on,
                "method": index,
                "national_value": national_value,
                "source_file": path.name,
                "created_by": user,
            },
        )
        survey.results.all().delete()
        SurveyResult.objects.bulk_create(
            SurveyResult(
                survey=survey,
                service=line.service,
                criterion=line.criterion,
                respondents=line.respondents,
                share_satisfied=line.share_satisfied,
                mean_score=line.mean_score,
            )
            for line in lines
        )
    return survey
