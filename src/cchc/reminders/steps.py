"""Notices at every step of the workflow: handed to the head, submitted, returned with its comment, accepted, reopened.

cchc.review sends `step_taken` once a step is committed; this module turns it into one in-app notice per person
concerned (the (person, event) constraint of Notice makes it once per event, however often the signal came) and
queues their e-mails (the accounts that have an address and want e-mail; a failed e-mail is retried by the next run).

Who is told:
- handed to the head: the unit's heads;
- submitted: the unit's reviewers — its district's officers for a commune of a district that still exists, else
  Sở Nội vụ's administrators;
- returned, accepted, reopened: the unit's editors and heads (else its other accounts).
The person who took the step is never told of it, and a step recorded with a past date (history being loaded, as
the demo's 2023 is) tells nobody.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cchc.accounts.models import Membership, Role, person_label
from cchc.core import clock
from cchc.reminders.models import Notice
from cchc.units.models import UnitKind

STEP_PREFIX = "step_"
HAND, SUBMIT, ACCEPT, RETURN, REOPEN = "hand", "submit", "accept", "return", "reopen"


def _members(unit_ids, roles) -> list:
    return [
        found.user
        for found in Membership.objects.filter(unit_id__in=unit_ids, role__in=roles, user__is_active=True)
        .select_related("user")
        .order_by("user__username")
    ]


def reviewers(unit) -> list:
    """The accounts a unit's submission goes to."""
    parent = unit.parent
    if (
        unit.kind == UnitKind.COMMUNE
        and parent is not None
        and parent.kind == UnitKind.DISTRICT
        and parent.is_valid_on(clock.today())
    ):
        officers = _members([parent.pk], [Role.DISTRICT_OFFICER])
        if officers:
            return officers
    return _members(Membership.objects.filter(role=Role.ADMINISTRATOR).values("unit_id"), [Role.ADMINISTRATOR])


def unit_people(unit) -> list:
    return _members([unit.pk], [Role.EDITOR, Role.HEAD]) or _members(
        [unit.pk], [Role.MONITOR, Role.DISTRICT_OFFICER, Role.ADMINISTRATOR]
    )


def recipients(item, action: str) -> list:
    if action == HAND:
        return _members([item.unit_id], [Role.HEAD])
    if action == SUBMIT:
        return reviewers(item.unit)
    return unit_people(item.unit)


def message(item, event) -> str:
    values = {"who": person_label(event.actor, unit=True) or _("the system"), "item": str(item)}
    if item.unit.name not in values["item"]:
        values["item"] = f"{values['item']} ({item.unit.name})"
    if event.action == HAND:
        return _("%(who)s handed %(item)s to you to sign and submit.") % values
    if event.action == SUBMIT:
        return _("%(who)s submitted %(item)s for review.") % values
    if event.action == ACCEPT:
        return _("%(who)s accepted %(item)s.") % values
    if event.action == RETURN:
        return _("%(who)s returned %(item)s for correction: %(comment)s") % {**values, "comment": event.comment}
    return _("%(who)s reopened %(item)s: %(comment)s") % {**values, "comment": event.comment}


def notify(item, event) -> list[Notice]:
    """Create the notices of one workflow step (idempotent) and queue their e-mails."""
    users = [user for user in recipients(item, event.action) if user.pk != event.actor_id]
    if not users:
        return []
    content_type = ContentType.objects.get_for_model(item)
    due = item.due_date() or clock.today()
    with translation.override(settings.LANGUAGE_CODE):  # the site's language, as the reminder job writes
        text = message(item, event)
    notices = [
        Notice(
            user=user,
            unit_id=item.unit_id,
            event_key=f"review:{event.pk}",
            item_key=f"review:{content_type.model}:{item.pk}",
            event=f"{STEP_PREFIX}{event.action}",
            kind=content_type.model,
            title=str(item)[:500],
            due=due if isinstance(due, dt.date) else clock.today(),
            url=item.get_absolute_url(),
            message=text,
            created_at=event.at,
        )
        for user in users
    ]
    Notice.objects.bulk_create(notices, ignore_conflicts=True)
    transaction.on_commit(queue_emails)
    return notices


def queue_emails() -> None:
    from cchc.reminders.tasks import email_pending_notices

    email_pending_notices.enqueue()


# A step dated further back than this is history being loaded (the demo's 2023, an import), not news to anyone.
NEWS_WINDOW = dt.timedelta(hours=1)


def on_step(sender, item, event, **kwargs) -> None:
    if event.at < timezone.now() - NEWS_WINDOW:
        return
    notify(item, event)
