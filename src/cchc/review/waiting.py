"""The review workflow's part of "what is waiting for me" (cchc.waiting): for every reviewable model (reports,
agency plans, target entries…), found by class so this app imports none of them,

- a head: its unit's items handed over to it, to sign and submit;
- a reviewer (Sở Nội vụ, a district officer): items submitted to it, to review; and those it returned, that wait
  for the unit's correction;
- a unit's editor or head: its unit's returned items, to correct and hand over (or submit) again.

Every query goes through the one permission path (`Model.objects.restrict`).
"""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.db.models import Q
from django.utils.translation import gettext as _

from cchc.accounts import scope
from cchc.review.models import Submission
from cchc.review.states import EDITABLE_STATES, State, label
from cchc.waiting import CORRECT, FOLLOW, REVIEW, SIGN, WaitingItem

LIMIT = 200  # rows per model and kind: a start page, not an export (the queues and the owed page list them all)


def reviewable_models() -> list:
    return [m for m in apps.get_models() if issubclass(m, Submission) and not m._meta.abstract]


def _related(model) -> list[str]:
    """Forward foreign keys a row's title and deadline read (unit, period, plan, target)."""
    names = ["unit", "unit__parent"]
    for name in ("period", "plan", "target"):
        try:
            model._meta.get_field(name)
        except Exception:  # noqa: BLE001 - FieldDoesNotExist: the model has no such field
            continue
        names.append(name)
    return names


def _row(item, action: str, action_label: str, since, note: str = "") -> WaitingItem:
    try:
        due = item.due_date()
    except Exception:  # noqa: BLE001 - an item without a deadline rule still waits
        due = None
    return WaitingItem(
        key=f"{item._meta.model_name}:{item.pk}",
        action=action,
        action_label=action_label,
        title=str(item),
        unit_name=item.unit.name,
        url=item.get_absolute_url(),
        status=label(item.status, item.is_handed),
        due=due,
        since=since,
        note=note,
    )


def reviewed_elsewhere(today: dt.date) -> Q:
    """Communes of a district that still exists: their district's officer reviews them, not Sở Nội vụ."""
    district_alive = Q(unit__parent__valid_to__isnull=True) | Q(unit__parent__valid_to__gte=today)
    return Q(unit__kind="commune", unit__parent__kind="district") & district_alive


def items_for(user, today: dt.date) -> list[WaitingItem]:
    rows: list[WaitingItem] = []
    own_unit_id = scope.own_unit_id(user)
    for model in reviewable_models():
        base = model.objects.select_related(*_related(model))
        # To sign and submit: the head's own unit, handed over by the editor.
        for item in base.restrict(user, "submit").filter(status__in=EDITABLE_STATES, prepared_at__isnull=False)[:LIMIT]:
            rows.append(_row(item, SIGN, _("Sign and submit"), item.prepared_at))
        # To correct: the own unit's returned items (not yet handed over again).
        for item in base.restrict(user, "change").filter(status=State.RETURNED, prepared_at__isnull=True)[:LIMIT]:
            rows.append(_row(item, CORRECT, _("Correct and send again"), item.reviewed_at, item.review_comment))
        # To review: submitted to this reviewer.
        to_review = base.restrict(user, "review").filter(status=State.SUBMITTED)
        if scope.is_administrator(user):
            to_review = to_review.exclude(reviewed_elsewhere(today))
        for item in to_review.order_by("submitted_at")[:LIMIT]:
            rows.append(_row(item, REVIEW, _("Review"), item.submitted_at))
        # Returned by this reviewer: waiting for the unit (shown so the reviewer can follow them).
        if scope.is_administrator(user) or scope.reviewed_unit_ids(user):
            returned = base.restrict(user, "view").filter(status=State.RETURNED)
            if own_unit_id is not None:
                returned = returned.exclude(unit_id=own_unit_id)
            if scope.is_administrator(user):
                returned = returned.exclude(reviewed_elsewhere(today))
            for item in returned.order_by("reviewed_at")[:LIMIT]:
                rows.append(
                    _row(
                        item,
                        FOLLOW,
                        _("Returned: waiting for the unit's correction"),
                        item.reviewed_at,
                        item.review_comment,
                    )
                )
    return rows
