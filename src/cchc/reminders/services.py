"""The reminder job and the owed list: due items in, notices and e-mails out.

Recipients of a reminder are the active accounts of the unit that owes the item with the role editor or head
(they do the work and submit it). A unit that has no such account gets it at its other active accounts (district
officer, monitor, administrator, leader of that same unit), so that an obligation never goes unnoticed where the
unit has any account. Accounts of other units are never reminded: a district sees what its communes owe on the
owed page, it does not receive their e-mails.

Each (recipient, event key) is one row of Notice, inserted if absent (the database's unique constraint decides,
so two overlapping runs cannot both create it) and e-mailed once: a run claims a notice before sending it, records
emailed_at on success, and leaves it for the next run on failure.
"""

from __future__ import annotations

import datetime as dt
import smtplib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cchc.accounts import scope
from cchc.accounts.models import Membership, Role, person_name
from cchc.reminders import schedule
from cchc.reminders.models import Notice
from cchc.reminders.obligations import DueItem, due_items
from cchc.units.models import Unit, UnitKind

PRIMARY_ROLES = (Role.EDITOR, Role.HEAD)
# A claim older than this is taken to be from a run that died while sending: the notice may be sent again.
CLAIM_TIMEOUT = dt.timedelta(minutes=30)
DEFAULT_RETRY_DAYS = 7
KIND_ORDER = {UnitKind.PROVINCE: 0, UnitKind.DEPARTMENT: 1, UnitKind.DISTRICT: 2, UnitKind.COMMUNE: 3}


def d_m_y(day: dt.date) -> str:
    return format_date(day, "d/m/Y")


def site_link(url: str) -> str:
    return settings.CCHC_SITE_URL.rstrip("/") + url


# --- recipients -----------------------------------------------------------------------------------------------


def recipients_by_unit(unit_ids: Iterable[int]) -> dict[int, list]:
    """Unit id → the accounts reminded for it (editors and heads; else the unit's other accounts)."""
    primary: dict[int, list] = defaultdict(list)
    others: dict[int, list] = defaultdict(list)
    memberships = (
        Membership.objects.filter(unit_id__in=set(unit_ids), user__is_active=True)
        .select_related("user")
        .order_by("unit_id", "user__username")
    )
    for found in memberships:
        (primary if found.role in PRIMARY_ROLES else others)[found.unit_id].append(found.user)
    return {unit_id: primary.get(unit_id) or others[unit_id] for unit_id in set(primary) | set(others)}


# --- texts (in the active language; the job runs in the site's language) ----------------------------------------


def message_for(item: DueItem, event: str, today: dt.date, unit_name: str = "") -> str:
    left = schedule.days_left(item, today)
    what = f"{item.title} ({unit_name})" if unit_name else item.title
    if event == schedule.OVERDUE:
        return ngettext(
            "%(what)s was due on %(due)s: %(days)d day late.",
            "%(what)s was due on %(due)s: %(days)d days late.",
            -left,
        ) % {"what": what, "due": d_m_y(item.due), "days": -left}
    if left == 0:
        return _("%(what)s is due today, %(due)s.") % {"what": what, "due": d_m_y(item.due)}
    if left == 1:
        return _("%(what)s is due tomorrow, %(due)s.") % {"what": what, "due": d_m_y(item.due)}
    return ngettext(
        "%(what)s is due on %(due)s: %(days)d day left.",
        "%(what)s is due on %(due)s: %(days)d days left.",
        left,
    ) % {"what": what, "due": d_m_y(item.due), "days": left}


def subject_for(notice: Notice) -> str:
    steps = {
        "step_hand": _("To sign and submit: %(title)s"),
        "step_submit": _("Submitted for review: %(title)s"),
        "step_accept": _("Accepted: %(title)s"),
        "step_return": _("Returned for correction: %(title)s"),
        "step_reopen": _("Reopened: %(title)s"),
    }
    if notice.event in steps:
        return "[CCHC] " + " ".join((steps[notice.event] % {"title": notice.title}).split())
    labels = {
        schedule.UPCOMING: _("Reminder: %(title)s is due on %(due)s"),
        schedule.IMMINENT: _("Due very soon: %(title)s (%(due)s)"),
        schedule.OVERDUE: _("Overdue: %(title)s (due %(due)s)"),
    }
    text = labels.get(notice.event, labels[schedule.UPCOMING]) % {"title": notice.title, "due": d_m_y(notice.due)}
    # E-mail subjects are one line; titles come from other apps and could carry a line break.
    return "[CCHC] " + " ".join(text.split())


def body_for(notice: Notice) -> str:
    user = notice.user
    name = person_name(user)
    lines = [
        _("Dear %(name)s,") % {"name": name},
        "",
        notice.message,
        "",
        _("Deadline: %(due)s") % {"due": d_m_y(notice.due)},
        _("Open it here: %(link)s") % {"link": site_link(notice.url)},
        "",
        _("This message was sent automatically by the CCHC system. All your reminders: %(link)s")
        % {"link": site_link(reverse("reminders:notices"))},
    ]
    return "\n".join(lines) + "\n"


def email_for(notice: Notice, connection=None) -> EmailMessage:
    return EmailMessage(
        subject=subject_for(notice),
        body=body_for(notice),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notice.user.email],
        connection=connection,
    )


# --- the job ----------------------------------------------------------------------------------------------------


@dataclass
class RunSummary:
    items: int = 0  # obligations listed by the providers
    open_items: int = 0  # of which not done
    events: int = 0  # obligations for which a reminder applies today
    notices_created: int = 0
    already_notified: int = 0  # (recipient, event) pairs skipped because the notice exists already
    no_recipient: int = 0  # obligations with an event whose unit has no account
    emails_sent: int = 0
    emails_failed: int = 0
    emails_deferred: int = 0  # not tried this run because the mail server could not be reached
    errors: list[str] = field(default_factory=list)


def plan_notices(
    items: list[DueItem], today: dt.date, offsets: schedule.Offsets | None = None, summary: RunSummary | None = None
) -> list[Notice]:
    """The notices that today's reminders call for (unsaved), one per recipient and event."""
    summary = summary if summary is not None else RunSummary()
    offsets = offsets or schedule.configured_offsets()
    with_event = [(item, event) for item in items if (event := schedule.event_for(item, today, offsets))]
    summary.events = len(with_event)
    recipients = recipients_by_unit(item.unit_id for item, _event in with_event)
    unit_names = dict(Unit.objects.filter(pk__in={item.unit_id for item, _e in with_event}).values_list("pk", "name"))
    notices = []
    for item, event in with_event:
        users = recipients.get(item.unit_id, [])
        if not users:
            summary.no_recipient += 1
            continue
        message = message_for(item, event, today, unit_names.get(item.unit_id, ""))
        for user in users:
            notices.append(
                Notice(
                    user=user,
                    unit_id=item.unit_id,
                    event_key=schedule.event_key(item, event),
                    item_key=item.key,
                    event=event,
                    kind=item.kind,
                    title=item.title[:500],
                    due=item.due,
                    url=item.url,
                    message=message,
                )
            )
    return notices


def not_yet_notified(notices: list[Notice]) -> list[Notice]:
    """The notices whose (recipient, event) has no row yet."""
    existing = set(
        Notice.objects.filter(event_key__in={n.event_key for n in notices}).values_list("user_id", "event_key")
    )
    return [n for n in notices if (n.user_id, n.event_key) not in existing]


def create_notices(new: list[Notice]) -> int:
    """Insert the notices, skipping any that another run inserted meanwhile; returns how many were inserted.

    The insert ignores rows that collide with the (user, event_key) constraint, so a run overlapping another one
    (two timers, a manual run during the cron run) cannot create a second notice for the same event.
    """
    if not new:
        return 0
    keys = {n.event_key for n in new}
    with transaction.atomic():
        before = Notice.objects.filter(event_key__in=keys).count()
        Notice.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
        return Notice.objects.filter(event_key__in=keys).count() - before


def pending_emails(done_keys: Iterable[str] = (), now: dt.datetime | None = None):
    """Notices still to e-mail: not yet sent, recent, to an active account that has an address and wants e-mail,
    about an obligation that is not done meanwhile."""
    now = now or timezone.now()
    retry_days = int(getattr(settings, "CCHC_REMINDER_RETRY_DAYS", DEFAULT_RETRY_DAYS))
    return (
        Notice.objects.filter(
            emailed_at__isnull=True, created_at__gte=now - dt.timedelta(days=retry_days), user__is_active=True
        )
        .exclude(user__email="")
        .exclude(user__membership__email_reminders=False)
        .exclude(item_key__in=list(done_keys))
        .select_related("user")
        .order_by("created_at", "pk")
    )


def claim(notice: Notice, now: dt.datetime) -> bool:
    """Mark the notice as being sent by this run; False when another run sent it or is sending it."""
    return bool(
        Notice.objects.filter(pk=notice.pk, emailed_at__isnull=True)
        .filter(Q(sending_since__isnull=True) | Q(sending_since__lt=now - CLAIM_TIMEOUT))
        .update(sending_since=now)
    )


def server_unreachable(exc: Exception) -> bool:
    """A connection problem (every further message would fail too), as opposed to one refused message."""
    if isinstance(exc, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError):
        return True
    return isinstance(exc, OSError) and not isinstance(exc, smtplib.SMTPException)


def send_pending(
    notices, summary: RunSummary, progress: Callable[[str], None] = lambda line: None, dry_run: bool = False
) -> None:
    """E-mail each notice once, recording the outcome on the notice; stops at the first connection failure."""
    notices = list(notices)
    if dry_run:
        for notice in notices:
            progress(f"  would e-mail {notice.user.email}: {notice.event_key}")
        summary.emails_sent = len(notices)
        return
    connection = get_connection(fail_silently=False, timeout=getattr(settings, "EMAIL_TIMEOUT", None) or 30)
    try:
        for index, notice in enumerate(notices):
            now = timezone.now()
            if not claim(notice, now):
                continue
            try:
                connection.open()  # one connection for the run (reopened after a failure), not one per e-mail
                email_for(notice, connection).send()
            except Exception as exc:
                if not isinstance(exc, OSError):
                    Notice.objects.filter(pk=notice.pk).update(sending_since=None)
                    raise
                Notice.objects.filter(pk=notice.pk).update(
                    sending_since=None, email_attempts=F("email_attempts") + 1, email_error=str(exc)[:2000]
                )
                summary.emails_failed += 1
                summary.errors.append(f"{notice.user.email}: {exc}")
                progress(f"  e-mail to {notice.user.email} failed ({exc}); it will be retried on the next run")
                connection.close()
                if server_unreachable(exc):
                    summary.emails_deferred += len(notices) - index - 1
                    break
            else:
                Notice.objects.filter(pk=notice.pk).update(
                    emailed_at=timezone.now(),
                    sending_since=None,
                    email_attempts=F("email_attempts") + 1,
                    email_error="",
                )
                summary.emails_sent += 1
                progress(f"  e-mailed {notice.user.email}: {notice.event_key}")
    finally:
        connection.close()


def run(
    today: dt.date,
    providers: list[str] | None = None,
    dry_run: bool = False,
    offsets: schedule.Offsets | None = None,
    progress: Callable[[str], None] = lambda line: None,
) -> RunSummary:
    """One run of the reminder job for `today` (see the send_reminders command)."""
    summary = RunSummary()
    items = due_items(today, providers)
    summary.items = len(items)
    open_items = [item for item in items if not item.done]
    summary.open_items = len(open_items)
    progress(f"{len(items)} obligations listed, {len(open_items)} not done")
    notices = plan_notices(open_items, today, offsets, summary)
    new = not_yet_notified(notices)
    summary.notices_created = len(new) if dry_run else create_notices(new)
    summary.already_notified = len(notices) - summary.notices_created
    verb = "would be created" if dry_run else "created"
    progress(
        f"{summary.events} reminders due: {summary.notices_created} notices {verb}, "
        f"{summary.already_notified} already notified"
    )
    pending = list(pending_emails(done_keys={item.key for item in items if item.done}))
    if dry_run:
        pending += [n for n in new if n.user.email]  # what a real run would have inserted and then sent
    send_pending(pending, summary, progress, dry_run=dry_run)
    return summary


# --- what each unit owes ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OwedItem:
    item: DueItem
    unit: Unit
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def days_late(self) -> int:
        return max(0, -self.days_left)


def owed(user, today: dt.date, providers: list[str] | None = None) -> list[tuple[Unit, list[OwedItem]]]:
    """The obligations not done, of the units the account sees, grouped by unit (in the units' usual order)."""
    visible = scope.visible_unit_ids(user)
    items = [
        item for item in due_items(today, providers) if not item.done and (visible is None or item.unit_id in visible)
    ]
    units = Unit.objects.filter(pk__in={item.unit_id for item in items}).select_related("parent").in_bulk()
    grouped: dict[int, list[OwedItem]] = defaultdict(list)
    for item in items:
        if item.unit_id in units:
            grouped[item.unit_id].append(OwedItem(item, units[item.unit_id], schedule.days_left(item, today)))
    ordered = sorted(grouped, key=lambda pk: (KIND_ORDER.get(units[pk].kind, 9), units[pk].sort_order, units[pk].code))
    return [(units[pk], sorted(grouped[pk], key=lambda o: (o.item.due, o.item.key))) for pk in ordered]
