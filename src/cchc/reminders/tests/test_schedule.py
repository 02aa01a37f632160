"""Which reminder applies on which day: pure rules, fixed dates."""

import datetime as dt

import pytest

from cchc.reminders import schedule
from cchc.reminders.obligations import DueItem

DUE = dt.date(2023, 3, 10)


def item(done=False, due=DUE):
    return DueItem(key="report:2023-Q1:593", unit_id=1, kind="report", title="Báo cáo", due=due, url="/r/", done=done)


@pytest.mark.parametrize(
    "today, expected",
    [
        (dt.date(2023, 2, 28), None),  # 10 days left
        (dt.date(2023, 3, 2), None),  # 8 days left
        (dt.date(2023, 3, 3), schedule.UPCOMING),  # 7 days left
        (dt.date(2023, 3, 8), schedule.UPCOMING),  # 2 days left
        (dt.date(2023, 3, 9), schedule.IMMINENT),  # tomorrow
        (dt.date(2023, 3, 10), schedule.IMMINENT),  # today
        (dt.date(2023, 3, 11), schedule.OVERDUE),  # one day late
        (dt.date(2023, 6, 30), schedule.OVERDUE),
    ],
)
def test_default_offsets(today, expected):
    assert schedule.event_for(item(), today, schedule.Offsets()) == expected


def test_a_done_item_never_gets_a_reminder():
    for day in (dt.date(2023, 3, 3), DUE, dt.date(2023, 4, 1)):
        assert schedule.event_for(item(done=True), day, schedule.Offsets()) is None


def test_offsets_are_configurable(settings):
    settings.CCHC_REMINDER_DAYS_BEFORE = 14
    settings.CCHC_REMINDER_SOON_DAYS = 3
    assert schedule.event_for(item(), dt.date(2023, 2, 24)) == schedule.UPCOMING  # 14 days left
    assert schedule.event_for(item(), dt.date(2023, 3, 7)) == schedule.IMMINENT  # 3 days left
    assert schedule.event_for(item(), dt.date(2023, 2, 23)) is None


def test_inconsistent_offsets_are_refused():
    with pytest.raises(ValueError, match="days_before"):
        schedule.Offsets(days_before=1, soon_days=3)


def test_event_key_is_item_key_and_event():
    assert schedule.event_key(item(), schedule.OVERDUE) == "report:2023-Q1:593:overdue"
    assert schedule.days_left(item(), dt.date(2023, 3, 12)) == -2
