"""What changes a report and its year's periods; pages, the API, the commands and the demo all go through here, so
they validate and act alike: creating a year's periods, opening a unit's report, its sections and figures, the
hand-over to the head, the snapshot of the unit's tasks on submission and the review steps (cchc.review.services)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.accounts import access
from cchc.core import clock
from cchc.plans.models import Plan
from cchc.progress.queries import progress_for_unit
from cchc.reports.models import Report, ReportFigure, ReportPeriod
from cchc.reports.periods import DueDays, Kind
from cchc.reports.periods import period as build_period
from cchc.reports.statistics import statistics_for
from cchc.reports.validation import cross_check_errors, validate
from cchc.review import services as review
from cchc.review.states import Action, TransitionError
from cchc.units.models import Unit, UnitKind

NARRATIVE_FIELDS = ("steering", "results", "assessment", "next_tasks", "proposals")
# The sections a report cannot leave the unit without (proposals may honestly be "none").
REQUIRED_SECTIONS = ("steering", "results", "assessment", "next_tasks")


class ReportInvalid(ValueError):
    """Messages by field name (a narrative field or a figure code)."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(message for messages in errors.values() for message in messages))
        self.errors = errors


def statistics_of(report: Report):
    return statistics_for(report.unit.kind, report.period.kind)


def figure_values(report: Report) -> dict[str, object]:
    return {figure.code: figure.value for figure in report.figures.all()}


def may_edit(user, report: Report) -> bool:
    return report.is_editable and access.may(user, "change", report)


def check_editable(user, report: Report) -> None:
    if not may_edit(user, report):
        raise PermissionDenied(_("This report cannot be changed by you in its present state."))


def section_errors(report: Report) -> dict[str, list[str]]:
    errors = {}
    for name in REQUIRED_SECTIONS:
        if not getattr(report, name).strip():
            label = Report._meta.get_field(name).verbose_name
            errors[name] = [_("“%(label)s” is required.") % {"label": label}]
    return errors


def save(user, report: Report, narrative: Mapping[str, str], figures: Mapping[str, object] | None) -> Report:
    """Store the sections and figures, or raise ReportInvalid and store nothing.

    `figures` replaces the report's figures when given (None keeps them); an empty value removes a figure.
    """
    check_editable(user, report)
    values = None
    if figures is not None:
        # A draft is saved while a cross-check still fails: the check stops the hand-over and submission.
        values, errors = validate(figures, statistics_of(report), cross_checks=False)
        if errors:
            raise ReportInvalid(errors)
    with transaction.atomic():
        for name in NARRATIVE_FIELDS:
            if name in narrative:
                setattr(report, name, narrative[name] or "")
        report.save()
        if values is not None:
            write_figures(report, values)
    return report


def write_figures(report: Report, values: Mapping[str, object]) -> None:
    existing = {figure.code: figure for figure in report.figures.all()}
    for code, value in values.items():
        figure = existing.get(code)
        if value is None:
            if figure:
                figure.delete()
        elif figure is None:
            ReportFigure.objects.create(report=report, code=code, value=value)
        elif figure.value != value:
            figure.value = value
            figure.save()


def check_warnings(report: Report) -> dict[str, list[str]]:
    """The cross-checks the stored figures still fail (shown after a save; they block the hand-over)."""
    stored = dict(ReportFigure.objects.filter(report=report).values_list("code", "value"))  # not a stale prefetch
    return cross_check_errors(stored, statistics_of(report))


def completeness_errors(report: Report) -> dict[str, list[str]]:
    """What keeps the stored report from leaving the unit: missing sections, missing or inconsistent figures."""
    errors = section_errors(report)
    _values, figure_errors = validate(figure_values(report), statistics_of(report), complete=True)
    errors.update(figure_errors)
    return errors


def send_to_head(user, report: Report, at: dt.datetime | None = None) -> Report:
    """The editor hands the filled report over to the head, who alone submits it (at `at`, now by default)."""
    check_editable(user, report)
    errors = completeness_errors(report)
    if errors:
        raise ReportInvalid(errors)
    review.apply(report, Action.HAND, user, at=at)  # a step of the timeline; the head gets a notice
    return report


def tasks_now(report: Report, on: dt.date | None = None) -> list[dict]:
    """The unit's tasks of the report's year with their status on `on` (today), from the progress app."""
    plan = Plan.objects.filter(year=report.period.year).order_by("pk").first()
    if plan is None:
        return []
    return progress_for_unit(report.unit, plan, on or clock.today())


def act(
    user,
    report: Report,
    action: str,
    comment: str = "",
    at: dt.datetime | None = None,
    tasks: list[dict] | None = None,
) -> Report:
    """Submit, accept or return through the shared review service (at `at`, now by default); a submission also
    checks completeness and keeps the task list as it stands on the day (`tasks`, when the caller has it already),
    a return sends the report back to the editor (the hand-over starts again)."""
    if action == Action.SUBMIT and review.may(user, report, action):
        if not report.is_editable:
            raise TransitionError(_("Only a draft or a returned report can be submitted."))
        errors = completeness_errors(report)
        if errors:
            raise ReportInvalid(errors)
    with transaction.atomic():
        review.apply(report, action, user, comment, at=at)
        if action == Action.SUBMIT:
            if tasks is None:
                tasks = tasks_now(report, timezone.localdate(at) if at else None)
            report.task_snapshot = tasks
            report.save(update_fields=["task_snapshot", "updated_at"])
        # A return or reopening sends the report back to the editor: the service clears the hand-over.
    return report


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
