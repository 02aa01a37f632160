import datetime as dt

import pytest

from cchc.progress import rules

DUE = dt.date(2023, 6, 30)


@pytest.mark.parametrize(
    ("status", "on", "expected"),
    [
        ("not_started", dt.date(2023, 6, 30), "not_started"),  # the due day itself is not late
        ("not_started", dt.date(2023, 7, 1), "overdue"),
        ("in_progress", dt.date(2023, 7, 1), "overdue"),
        ("in_progress", dt.date(2023, 6, 1), "in_progress"),
        ("done", dt.date(2024, 1, 1), "done"),
    ],
)
def test_effective_status(status, on, expected):
    assert rules.effective_status(status, DUE, on) == expected


def test_the_units_own_due_date_replaces_the_provinces():
    assert rules.effective_due(DUE, dt.date(2023, 9, 30)) == dt.date(2023, 9, 30)
    assert rules.effective_due(DUE, None) == DUE


def test_a_completion_date_is_required_when_done_and_not_in_the_future():
    today = dt.date(2023, 5, 10)
    assert rules.completion_date("done", dt.date(2023, 5, 10), today) == dt.date(2023, 5, 10)
    with pytest.raises(rules.CompletionError) as missing:
        rules.completion_date("done", None, today)
    assert missing.value.field == "completed_on"
    with pytest.raises(rules.CompletionError, match="future"):
        rules.completion_date("done", dt.date(2023, 5, 11), today)


def test_the_completion_date_is_cleared_for_other_statuses():
    assert rules.completion_date("in_progress", dt.date(2023, 5, 1), dt.date(2023, 5, 10)) is None


def test_due_soon_means_within_fourteen_days_or_late():
    on = dt.date(2023, 6, 16)
    assert rules.is_due_soon(DUE, on)  # 14 days ahead
    assert not rules.is_due_soon(DUE, dt.date(2023, 6, 15))
    assert rules.is_due_soon(DUE, dt.date(2023, 8, 1))
