"""The reminder job against a real SMTP server on this machine: each notice e-mailed exactly once."""

import contextlib
import datetime as dt
import email
import email.policy
import socket
from io import StringIO

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command

from cchc.accounts.models import Membership
from cchc.reminders.models import Notice

DUE = dt.date(2023, 3, 10)


class Collector:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        for recipient in envelope.rcpt_tos:
            self.messages.append((recipient, str(message["subject"]).strip(), message.get_content()))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """A local SMTP server (aiosmtpd) that collects what it receives; .restart() after .stop()."""
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    settings.EMAIL_USE_TLS = False
    settings.CCHC_SITE_URL = "https://cchc.binhthuan.example"
    collector = Collector()

    class Server:
        messages = collector.messages

        def start(self):
            self.controller = Controller(collector, hostname="127.0.0.1", port=port)
            self.controller.start()

        def stop(self):
            self.controller.stop()

    server = Server()
    server.start()
    yield server
    with contextlib.suppress(Exception):  # a test may have stopped it already
        server.stop()


@pytest.fixture
def accounts(plan_2023, make_account):
    return {
        "editor": make_account("593", "editor"),
        "head": make_account("593", "head"),
        "officer": make_account("593", "district_officer"),  # the unit has an editor and a head: not reminded
        "commune": make_account("22915", "editor"),
        "leader": make_account("60", "leader"),
    }


def send(day: dt.date) -> str:
    out = StringIO()
    call_command("send_reminders", "--date", day.isoformat(), stdout=out)
    return out.getvalue()


def test_each_reminder_is_emailed_once_per_recipient(accounts, items, due_item, smtp):
    items += [
        due_item("593", "report:2023-Q1", DUE),
        due_item("22915", "report:2023-Q1", DUE),
        due_item("593", "agencyplan:2023", DUE, done=True, kind="agency_plan"),
        due_item("593", "task:45", dt.date(2023, 5, 31), kind="task"),  # far ahead: nothing yet
        due_item("STP", "report:2023-Q1", DUE),  # a unit without any account
    ]
    first = send(dt.date(2023, 3, 3))
    assert "notices created: 3" in first and "e-mails sent: 3" in first
    assert "obligations without any account to remind: 1" in first
    second = send(dt.date(2023, 3, 3))  # the same day again (cron twice, a manual run)
    assert "notices created: 0" in second and "skipped as already notified: 3" in second
    assert "e-mails sent: 0" in second
    send(dt.date(2023, 3, 4))  # next day: still the same "due in a week" reminder, not sent again
    assert len(smtp.messages) == 3
    recipients = sorted(recipient for recipient, _s, _b in smtp.messages)
    assert recipients == ["editor-22915@example.vn", "editor-593@example.vn", "head-593@example.vn"]

    send(dt.date(2023, 3, 9))  # the day before: the second reminder
    send(dt.date(2023, 3, 11))  # late: the third
    send(dt.date(2023, 3, 12))
    assert len(smtp.messages) == 9
    sent = [(recipient, subject) for recipient, subject, _b in smtp.messages]
    assert len(set(sent)) == 9  # nothing duplicated
    assert not any("agencyplan" in body or "task:45" in body for _r, _s, body in smtp.messages)
    assert Notice.objects.count() == 9 and not Notice.objects.filter(emailed_at__isnull=True).exists()
    assert not Notice.objects.filter(user__in=[accounts["officer"], accounts["leader"]]).exists()


def test_the_email_is_in_vietnamese_with_the_due_date_and_the_link(accounts, items, due_item, smtp):
    items.append(due_item("593", "report:2023-Q1", DUE, title="Báo cáo CCHC Quý I/2023"))
    send(dt.date(2023, 3, 3))
    recipient, subject, body = next(m for m in smtp.messages if m[0] == "editor-593@example.vn")
    assert subject.startswith("[CCHC]") and "Báo cáo CCHC Quý I/2023" in subject and "10/03/2023" in subject
    assert "Nhắc" in subject
    assert "còn 7 ngày" in body and "10/03/2023" in body
    assert "https://cchc.binhthuan.example/reports/593/" in body

    send(dt.date(2023, 3, 13))
    _r, late_subject, late_body = smtp.messages[-1]
    assert "Quá hạn" in late_subject and "trễ 3 ngày" in late_body


def test_an_smtp_failure_keeps_the_notice_and_the_next_run_sends_it(accounts, items, due_item, smtp):
    items.append(due_item("593", "report:2023-Q1", DUE))
    smtp.stop()
    out = send(dt.date(2023, 3, 3))
    assert "e-mails sent: 0" in out and "e-mails failed: 1" in out
    notices = Notice.objects.filter(item_key="report:2023-Q1:593")
    assert notices.count() == 2 and not notices.filter(emailed_at__isnull=False).exists()
    assert notices.filter(email_attempts=1).exclude(email_error="").count() == 1  # the second was deferred

    smtp.start()
    out = send(dt.date(2023, 3, 4))
    assert "notices created: 0" in out and "e-mails sent: 2" in out
    assert sorted(r for r, _s, _b in smtp.messages) == ["editor-593@example.vn", "head-593@example.vn"]
    send(dt.date(2023, 3, 4))
    assert len(smtp.messages) == 2


def test_an_item_done_meanwhile_is_not_emailed_on_retry(accounts, items, due_item, smtp):
    items.append(due_item("593", "report:2023-Q1", DUE))
    smtp.stop()
    send(dt.date(2023, 3, 3))
    smtp.start()
    items[0] = due_item("593", "report:2023-Q1", DUE, done=True)
    send(dt.date(2023, 3, 4))
    assert smtp.messages == []


def test_accounts_without_email_or_opted_out_get_the_notice_only(accounts, items, due_item, smtp):
    accounts["editor"].email = ""
    accounts["editor"].save()
    Membership.objects.filter(user=accounts["head"]).update(email_reminders=False)
    items.append(due_item("593", "report:2023-Q1", DUE))
    out = send(dt.date(2023, 3, 3))
    assert "notices created: 2" in out and "e-mails sent: 0" in out
    assert smtp.messages == []
