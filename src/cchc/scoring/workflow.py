"""The life of a unit's yearly self-assessment: plain rules, no web code, no database.

A workflow of the review engine (cchc.review): its states and actions are those of `cchc.review.states`, each step
taken is a ReviewEvent (cchc.review.services.step), and publication is a recorded step of every sheet of the set.

draft ──submit (the unit's head, by the set's deadline)──▶ submitted
submitted ──appraise (the council)──▶ appraised   (the draft appraisal is visible to the unit)
appraised ──appraise──▶ appraised                 (the council revises its draft)
appraised ──explain (the unit, once)──▶ explained
explained ──appraise──▶ explained                 (the council weighs the explanation)
appraised | explained ──finalise (the council)──▶ final   (locked: any change raises)
(the set's publication, by Sở Nội vụ: a "publish" step on each of its sheets, the state unchanged)

Who acts: the unit's editors (and its head) fill the self-assessment while it is a draft; only the head submits;
the council is the province administrator (Sở Nội vụ) for departments and districts and the district's
district officer for its communes (`cchc.accounts.scope.can_review`); the unit (editor or head) explains.
"""

from __future__ import annotations

import datetime as dt
import enum

from cchc.review.states import Action, State, Transitions

__all__ = ["Action", "Actor", "LockedError", "ScoringError", "State", "TRANSITIONS", "next_state"]


class Actor(enum.StrEnum):
    UNIT_EDITOR = "unit_editor"
    UNIT_HEAD = "unit_head"
    COUNCIL = "council"


class ScoringError(ValueError):
    """A step that the assessment's state, its deadline or its data do not allow; the message says why.

    `errors` maps a criterion code to {field: message} when rows of a sheet are at fault (for forms to show).
    """

    def __init__(self, message: str, errors: dict[str, dict[str, str]] | None = None):
        self.errors = errors or {}
        super().__init__(message)


class LockedError(ScoringError):
    """A change to a final (locked) assessment, one of its scores or its evidence."""


TRANSITIONS: Transitions = {
    (State.DRAFT, Action.FILL): State.DRAFT,
    (State.DRAFT, Action.SUBMIT): State.SUBMITTED,
    (State.SUBMITTED, Action.APPRAISE): State.APPRAISED,
    (State.APPRAISED, Action.APPRAISE): State.APPRAISED,
    (State.EXPLAINED, Action.APPRAISE): State.EXPLAINED,
    (State.APPRAISED, Action.EXPLAIN): State.EXPLAINED,
    (State.APPRAISED, Action.FINALISE): State.FINAL,
    (State.EXPLAINED, Action.FINALISE): State.FINAL,
}

# Who may take each action (the unit's head is also one of its editors).
ACTORS: dict[Action, frozenset[Actor]] = {
    Action.FILL: frozenset({Actor.UNIT_EDITOR, Actor.UNIT_HEAD}),
    Action.SUBMIT: frozenset({Actor.UNIT_HEAD}),
    Action.APPRAISE: frozenset({Actor.COUNCIL}),
    Action.EXPLAIN: frozenset({Actor.UNIT_EDITOR, Actor.UNIT_HEAD}),
    Action.FINALISE: frozenset({Actor.COUNCIL}),
}

# States in which only the unit itself sees the assessment (the council sees it from submission on).
PRIVATE_STATES = frozenset({State.DRAFT})
LOCKED_STATES = frozenset({State.FINAL})


def next_state(state: str, action: str) -> State:
    """The state after `action`, or ScoringError when the state does not allow it."""
    try:
        return TRANSITIONS[(State(state), Action(action))]
    except (KeyError, ValueError):
        if state == State.FINAL:
            raise LockedError(f"the assessment is final and locked; cannot {action}") from None
        if action == Action.EXPLAIN and state == State.EXPLAINED:
            raise ScoringError("the unit has already explained once") from None
        raise ScoringError(f"cannot {action} an assessment that is {state}") from None


def allowed_actions(state: str, actors: set[str] | frozenset[str] = frozenset(Actor)) -> list[Action]:
    """Actions open in `state` to someone who is any of `actors` (all actors by default)."""
    return [
        action for (origin, action) in TRANSITIONS if origin == state and ACTORS[action] & {Actor(a) for a in actors}
    ]


def is_locked(state: str) -> bool:
    return state in LOCKED_STATES


def may_submit_on(today: dt.date, due: dt.date | None) -> bool:
    """The head submits on or before the set's deadline (no deadline: any day)."""
    return due is None or today <= due
