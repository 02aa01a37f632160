"""Take a step of an item's workflow: the permission check, the state change and its record, in one transaction.

`step` is the one engine: every workflow (the submission workflow of states.TRANSITIONS, the appraisal of a
PAR-index sheet of cchc.scoring.workflow) moves an item through it, so that every step is a ReviewEvent with its
actor, moment, comment and on-time flag — on the item's timeline (`history`) and among the workflow steps of the
audit log. `apply` is the submission workflow's submit, accept, return and reopen.

Each function takes `at` (the moment of the step, now by default): what is dated by a step is dated by its caller.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.accounts import access
from cchc.review.models import Reviewable, ReviewEvent, Submission
from cchc.review.signals import step_taken
from cchc.review.states import ACTION_LABELS, Action, TransitionError, next_state, on_time

__all__ = ["ACTION_LABELS", "apply", "history", "may", "record", "step", "step_taken"]


def may(user, item: Submission, action: str) -> bool:
    if action == Action.SUBMIT:
        return access.may(user, "submit", item)
    if action == Action.HAND:
        # An editor (not the head, who submits itself) hands the unit's own draft over.
        return item.is_editable and access.may(user, "change", item) and not access.may(user, "submit", item)
    if action in (Action.ACCEPT, Action.RETURN):
        return access.may(user, "review", item)
    if action == Action.REOPEN:
        return item.is_locked and access.may(user, "reopen")
    return False


def record(
    item: Reviewable,
    action: str,
    user,
    from_state: str,
    to_state: str,
    *,
    at: dt.datetime,
    comment: str = "",
    on_time: bool | None = None,
) -> ReviewEvent:
    """Write the event of a step (the caller has changed the item, in the same transaction)."""
    return ReviewEvent.objects.create(
        item=item,  # its content type and id, and the item itself for the event's label (no second read of it)
        unit_id=item.unit_id,
        action=action,
        from_state=from_state,
        to_state=to_state,
        actor=user,
        at=at,
        comment=comment,
        on_time=on_time,
    )


def step(
    current: Reviewable,
    action: str,
    user,
    *,
    at: dt.datetime | None = None,
    comment: str = "",
    on_time: bool | None = None,
) -> ReviewEvent:
    """Move `current` (a row locked for update by the caller's transaction) on by `action` through its model's
    workflow (`transitions`): the row is saved with its new status and whatever else the caller changed on it (the
    version guard applies) and the step recorded. Raises TransitionError when the state does not allow the action."""
    from_state = current.status
    current.status = next_state(from_state, action, current.transitions)
    current.save()
    return record(
        current, action, user, from_state, current.status, at=at or timezone.now(), comment=comment, on_time=on_time
    )


def apply(item: Submission, action: str, user, comment: str = "", at: dt.datetime | None = None) -> ReviewEvent:
    """Move `item` on by `action`, or raise PermissionDenied / TransitionError and change nothing.

    A return needs a comment (the unit must know what to correct). The row is locked for the transaction so that
    two reviewers clicking at once cannot both act on the same state.
    """
    if not may(user, item, action):
        raise PermissionDenied(_("You may not do this for this unit."))
    comment = (comment or "").strip()
    if action == Action.RETURN and not comment:
        raise TransitionError(_("Say what must be corrected: a return needs a comment."))
    if action == Action.REOPEN and not comment:
        raise TransitionError(_("Say why the accepted item is reopened: a reopening needs a comment."))
    now = at or timezone.now()
    with transaction.atomic():
        current = type(item).objects.select_for_update().get(pk=item.pk)
        _reuse_related(current, item)
        next_state(current.status, action, current.transitions)  # refuse before changing anything
        timely = None
        if action == Action.HAND:
            current.prepared_at, current.prepared_by = now, user
        elif action == Action.SUBMIT:
            timely = on_time(timezone.localdate(now), current.due_date())
            if current.first_submitted_at is None:
                current.first_submitted_at = now
                current.on_time = timely
            current.submitted_at, current.submitted_by = now, user
        else:
            current.reviewed_at, current.reviewed_by, current.review_comment = now, user, comment
            if action in (Action.RETURN, Action.REOPEN):
                current.prepared_at, current.prepared_by = None, None  # back with the editor: hand over again
        event = step(current, action, user, at=now, comment=comment, on_time=timely)
        # Notices (cchc.reminders listens) once the step is stored: never for a step that was rolled back.
        transaction.on_commit(lambda: step_taken.send(sender=type(item), item=current, event=event))
    fields = ("status", "first_submitted_at", "submitted_at", "submitted_by", "on_time", "version")
    for field in (*fields, "prepared_at", "prepared_by"):
        setattr(item, field, getattr(current, field))
    item.reviewed_at, item.reviewed_by, item.review_comment = (
        current.reviewed_at,
        current.reviewed_by,
        current.review_comment,
    )
    return event


def _reuse_related(current: Submission, item: Submission) -> None:
    """The rows `item` has loaded already (its unit, period, plan …) for `current`, the same row read again under
    lock, where it points at the same ones: its deadline and its label in the audit log and the step's event need
    them, and would read each again."""
    for field in current._meta.concrete_fields:
        if (
            field.many_to_one
            and field.is_cached(item)
            and not field.is_cached(current)
            and getattr(current, field.attname) == getattr(item, field.attname)
        ):
            field.set_cached_value(current, field.get_cached_value(item))


def last_step_at(model, action: str) -> Subquery:
    """The moment of the latest `action` step of each row, for `.annotate()` on a queryset of `model`."""
    steps = ReviewEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id=OuterRef("pk"), action=action
    )
    return Subquery(steps.order_by("-at", "-pk").values("at")[:1])


def history(item) -> list[ReviewEvent]:
    return list(
        ReviewEvent.objects.filter(content_type=ContentType.objects.get_for_model(item), object_id=item.pk)
        .select_related("actor")
        .order_by("at", "pk")
    )
