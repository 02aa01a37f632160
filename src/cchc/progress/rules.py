"""Per-unit task progress as plain rules: which status applies on a given day, what a completion date may be.

No database or web code here, so the rules are tested directly and shared by the pages, the API, the reports and
the reminders.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
DONE = "done"
OVERDUE = "overdue"

STATUSES = (NOT_STARTED, IN_PROGRESS, DONE)
EFFECTIVE_STATUSES = (*STATUSES, OVERDUE)


class CompletionError(ValueError):
    """A completion date that does not fit the status; `field` names the form field at fault."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def effective_due(task_due: dt.date, own_due: dt.date | None = None) -> dt.date:
    """The deadline that applies to a unit: its own planned date for the task (from its submitted or accepted
    agency plan) when it gave one, else the province plan's date."""
    return own_due or task_due


def effective_status(status: str, due: dt.date | None, on: dt.date) -> str:
    """A task not done whose deadline is before `on` is overdue; on the due day itself it is not yet late."""
    if status != DONE and due is not None and due < on:
        return OVERDUE
    return status or NOT_STARTED


def status_on(status: str, completed_on: dt.date | None, due: dt.date | None, on: dt.date) -> str:
    """The effective status a task had on a past day `on` (a report's cut-off), from what is stored today: done only
    if completed on or before `on`; done later means it was still under way then; then the overdue rule on `on`.
    A report on the first quarter generated in December says what was true on 14/03, not what is true now."""
    if status == DONE and (completed_on is None or completed_on > on):
        status = IN_PROGRESS
    return effective_status(status, due, on)


def completion_date(status: str, completed_on: dt.date | None, today: dt.date) -> dt.date | None:
    """The completion date to store: required when done, never in the future, cleared for any other status."""
    if status != DONE:
        return None
    if completed_on is None:
        raise CompletionError("completed_on", _("A task marked done needs its completion date."))
    if completed_on > today:
        raise CompletionError("completed_on", _("The completion date cannot be in the future."))
    return completed_on


def is_due_soon(due: dt.date, on: dt.date, horizon_days: int = 14) -> bool:
    """Due within `horizon_days` from `on` (inclusive) or already late: what the reminders list."""
    return due <= on + dt.timedelta(days=horizon_days)
