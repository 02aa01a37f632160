"""The submission rules, without the web: which action leads where, what stays editable, what is on time."""

import datetime as dt

import pytest

from cchc.review.states import Action, State, TransitionError, allowed_actions, is_editable, next_state, on_time


@pytest.mark.parametrize(
    ("state", "action", "expected"),
    [
        ("draft", "submit", State.SUBMITTED),
        ("submitted", "accept", State.ACCEPTED),
        ("submitted", "return", State.RETURNED),
        ("returned", "submit", State.SUBMITTED),
    ],
)
def test_the_workflow_moves_a_submission_on(state, action, expected):
    assert next_state(state, action) == expected


@pytest.mark.parametrize(
    ("state", "action"),
    [("draft", "accept"), ("draft", "return"), ("accepted", "return"), ("accepted", "submit"), ("submitted", "submit")],
)
def test_an_action_the_state_does_not_allow_is_refused(state, action):
    with pytest.raises(TransitionError, match=f"cannot {action}"):
        next_state(state, action)


def test_an_unknown_action_is_refused_not_ignored():
    with pytest.raises(TransitionError):
        next_state("draft", "publish")


def test_only_items_with_the_unit_are_editable_and_an_accepted_one_is_locked():
    assert is_editable("draft") and is_editable("returned")
    assert not is_editable("submitted") and not is_editable("accepted")
    assert allowed_actions("accepted") == [Action.REOPEN]  # only Sở Nội vụ's explicit reopen (issue 13)
    assert allowed_actions("submitted") == [Action.ACCEPT, Action.RETURN]


def test_on_time_means_on_or_before_the_due_day():
    due = dt.date(2023, 3, 15)
    assert on_time(dt.date(2023, 3, 15), due) is True
    assert on_time(dt.date(2023, 3, 16), due) is False
    assert on_time(dt.date(2023, 3, 16), None) is None
