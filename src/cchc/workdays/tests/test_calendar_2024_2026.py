"""The announced day swaps of 2024–2026 are shipped: make-up Saturdays work, swapped weekdays are off."""

import datetime as dt

import pytest

from cchc.workdays.loading import load_day_overrides
from cchc.workdays.models import DayOverride, calendar_for
from cchc.workdays.rules import shipped_calendar


@pytest.mark.parametrize(
    ("saturday", "weekday_off"),
    [
        (dt.date(2024, 5, 4), dt.date(2024, 4, 29)),
        (dt.date(2025, 4, 26), dt.date(2025, 5, 2)),
        (dt.date(2026, 8, 22), dt.date(2026, 8, 31)),
    ],
)
def test_make_up_saturdays_are_working_days_and_their_weekdays_are_off(saturday, weekday_off):
    calendar = shipped_calendar([saturday.year])
    assert saturday.weekday() == 5 and calendar.is_working_day(saturday)
    assert not calendar.is_working_day(weekday_off)
    # A 1-working-day limit from the Friday before the make-up Saturday ends on that Saturday.
    assert calendar.add_working_days(saturday - dt.timedelta(days=1), 1) == saturday


def test_the_swaps_are_loaded_once_and_the_administrators_edits_are_kept(db):
    assert load_day_overrides() == 7
    change = DayOverride.objects.get(date=dt.date(2026, 8, 22))
    change.kind = DayOverride.Kind.DAY_OFF  # e.g. the swap is cancelled
    change.save()
    assert load_day_overrides() == 0
    assert not calendar_for([2026]).is_working_day(dt.date(2026, 8, 22))
