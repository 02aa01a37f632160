"""Submit, accept and return an item: the permission check, the state change and its record, in one transaction."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cchc.accounts import scope
from cchc.review.models import Reviewable, ReviewEvent
from cchc.review.states import Action, TransitionError, next_state, on_time

ACTION_LABELS = {
    Action.SUBMIT: pgettext_lazy("review action", "Submitted"),
    Action.ACCEPT: pgettext_lazy("review action", "Accepted"),
    Action.RETURN: pgettext_lazy("review action", "Returned"),
}


def may(user, item: Reviewable, action: str) -> bool:
    if action == Action.SUBMIT:
        return scope.can_submit(user, item.unit_id)
    if action in (Action.ACCEPT, Action.RETURN):
        return scope.can_review(user, item.unit)
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
        if action == Action.SUBMIT:
            if current.first_submitted_at is None:
                current.first_submitted_at = now
                current.on_time = on_time(timezone.localdate(now), current.due_date())
            current.submitted_at, current.submitted_by = now, user
            event.on_time = on_time(timezone.localdate(now), current.due_date())
        else:
            current.reviewed_at, current.reviewed_by, current.review_comment = now, user, comment
        current.status = to_state
        current.save()
        event.save()
    for field in ("status", "first_submitted_at", "submitted_at", "submitted_by", "on_time", "version"):
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
