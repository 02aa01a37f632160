"""The send_reminders command: dry run, bad arguments, the foreground daily loop."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cchc.reminders.management.commands import send_reminders
from cchc.reminders.models import Notice

DUE = dt.date(2023, 3, 10)


def test_a_dry_run_writes_and_sends_nothing(plan_2023, make_account, items, due_item, mailoutbox):
    make_account("593", "editor")
    items.append(due_item("593", "report:2023-Q1", DUE))
    out = StringIO()
    call_command("send_reminders", "--date", "2023-03-03", "--dry-run", stdout=out)
    assert "would e-mail editor-593@example.vn" in out.getvalue()
    assert "notices created: 1" in out.getvalue()
    assert not Notice.objects.exists() and mailoutbox == []


def test_without_smtp_the_emails_go_through_the_configured_backend(
    plan_2023, make_account, items, due_item, mailoutbox
):
    make_account("593", "head")
    items.append(due_item("593", "report:2023-Q1", DUE))
    call_command("send_reminders", "--date", "2023-03-10", stdout=StringIO())
    assert len(mailoutbox) == 1 and "hôm nay" in mailoutbox[0].body
    assert Notice.objects.get().emailed_at is not None


def test_bad_arguments_name_the_option(db):
    with pytest.raises(CommandError, match="--date"):
        call_command("send_reminders", "--date", "10/03/2023")
    with pytest.raises(CommandError, match="--at"):
        call_command("send_reminders", "--loop", "--at", "7h")
    with pytest.raises(CommandError, match="--loop"):
        call_command("send_reminders", "--loop", "--date", "2023-03-10")


def test_the_loop_runs_then_sleeps_until_the_next_day(db, items, monkeypatch):
    sleeps = []

    def sleep(seconds):
        sleeps.append(seconds)
        if len(sleeps) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(send_reminders.Command, "sleep", staticmethod(sleep))
    out = StringIO()
    call_command("send_reminders", "--loop", "--at", "07:00", stdout=out)
    assert out.getvalue().count("Reminders for") == 2 and "stopped" in out.getvalue()
    assert all(0 < s <= 24 * 3600 for s in sleeps)


def test_seconds_until_the_next_run():
    now = dt.datetime(2023, 3, 3, 6, 30)
    assert send_reminders.seconds_until(dt.time(7, 0), now) == 1800
    assert send_reminders.seconds_until(dt.time(6, 0), now) == 23.5 * 3600
