"""The assessment's states and who moves it on (pure rules)."""

import datetime as dt

import pytest

from cchc.scoring import workflow
from cchc.scoring.workflow import Action, Actor, LockedError, ScoringError, State


def test_the_whole_way_to_final():
    state = State.DRAFT
    for action in (Action.FILL, Action.SUBMIT, Action.APPRAISE, Action.APPRAISE, Action.EXPLAIN, Action.FINALISE):
        state = workflow.next_state(state, action)
    assert state == State.FINAL


def test_the_unit_explains_only_once():
    with pytest.raises(ScoringError, match="already explained once"):
        workflow.next_state(State.EXPLAINED, Action.EXPLAIN)


def test_the_council_may_finalise_without_an_explanation_but_not_before_appraising():
    assert workflow.next_state(State.APPRAISED, Action.FINALISE) == State.FINAL
    with pytest.raises(ScoringError):
        workflow.next_state(State.SUBMITTED, Action.FINALISE)


@pytest.mark.parametrize("action", list(Action))
def test_nothing_moves_a_final_assessment(action):
    with pytest.raises(LockedError):
        workflow.next_state(State.FINAL, action)


def test_who_may_act():
    assert workflow.allowed_actions(State.DRAFT, {Actor.UNIT_EDITOR}) == [Action.FILL]
    assert workflow.allowed_actions(State.DRAFT, {Actor.UNIT_HEAD}) == [Action.FILL, Action.SUBMIT]
    assert workflow.allowed_actions(State.APPRAISED, {Actor.COUNCIL}) == [Action.APPRAISE, Action.FINALISE]
    assert workflow.allowed_actions(State.APPRAISED, {Actor.UNIT_EDITOR}) == [Action.EXPLAIN]
    assert workflow.allowed_actions(State.FINAL) == []


def test_deadline_is_inclusive():
    due = dt.date(2023, 12, 10)
    assert workflow.may_submit_on(due, due)
    assert not workflow.may_submit_on(due + dt.timedelta(days=1), due)
    assert workflow.may_submit_on(dt.date(2024, 5, 1), None)
