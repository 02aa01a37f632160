"""Submit, accept and return an item: the permission check, the state change and its record, in one transaction."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.accounts import access
from cchc.review.models import Reviewable, ReviewEvent
from cchc.review.signals import step_taken
from cchc.review.states import ACTION_LABELS, Action, TransitionError, next_state, on_time

__all__ = ["ACTION_LABELS", "apply", "history", "may", "step_taken"]


def may(user, item: Reviewable, action: str) -> bool:
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


def apply(item: Reviewable, action: str, user, comment: str = "") -> ReviewEvent:
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
    with transaction.atomic():
        current = type(item).objects.select_for_update().get(pk=item.pk)
        to_state = next_state(current.status, action)
        now = timezone.now()
        event = ReviewEvent(
            content_type=ContentType.objects.get_for_model(item),
            object_id=item.pk,
            unit_id=item.unit_id,
            action=action,
            from_state=current.status,
            to_state=to_state,
            actor=user,
            at=now,
            comment=comment,
        )
        if action == Action.HAND:
            current.prepared_at, current.prepared_by = now, user
        elif action == Action.SUBMIT:
            if current.first_submitted_at is None:
                current.first_submitted_at = now
                current.on_time = on_time(timezone.localdate(now), current.due_date())
            current.submitted_at, current.submitted_by = now, user
            event.on_time = on_time(timezone.localdate(now), current.due_date())
        else:
            current.reviewed_at, current.reviewed_by, current.review_comment = now, user, comment
            if action in (Action.RETURN, Action.REOPEN):
                current.prepared_at, current.prepared_by = None, None  # back with the editor: hand over again
        current.status = to_state
        current.save()
        event.save()
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


def history(item) -> list[ReviewEvent]:
    return list(
        ReviewEvent.objects.filter(content_type=ContentType.objects.get_for_model(item), object_id=item.pk)
        .select_related("actor")
        .order_by("at", "pk")
    )
