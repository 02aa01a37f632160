"""The life of a submission (an agency's plan, a periodic report, a self-assessment): plain rules, no web code.

draft → submitted (by the unit's head) → accepted (locked) or returned with comments → submitted again …
"""

from __future__ import annotations

import datetime as dt
import enum


class State(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    RETURNED = "returned"


class Action(enum.StrEnum):
    SUBMIT = "submit"
    ACCEPT = "accept"
    RETURN = "return"
    REOPEN = "reopen"  # Sở Nội vụ unlocks an accepted item: it goes back to its unit as returned, with a comment


class TransitionError(ValueError):
    """An action that the item's state does not allow (e.g. accepting a draft, editing an accepted report)."""


TRANSITIONS: dict[tuple[State, Action], State] = {
    (State.DRAFT, Action.SUBMIT): State.SUBMITTED,
    (State.RETURNED, Action.SUBMIT): State.SUBMITTED,
    (State.SUBMITTED, Action.ACCEPT): State.ACCEPTED,
    (State.SUBMITTED, Action.RETURN): State.RETURNED,
    (State.ACCEPTED, Action.REOPEN): State.RETURNED,
}

# The unit edits its item only while it is with the unit; once submitted it waits, once accepted it is locked.
EDITABLE_STATES = frozenset({State.DRAFT, State.RETURNED})
PRIVATE_STATES = frozenset({State.DRAFT, State.RETURNED})


def next_state(state: str, action: str) -> State:
    try:
        return TRANSITIONS[(State(state), Action(action))]
    except (KeyError, ValueError):
        raise TransitionError(f"cannot {action} an item that is {state}") from None


def allowed_actions(state: str) -> list[Action]:
    return [action for (origin, action) in TRANSITIONS if origin == state]


def is_editable(state: str) -> bool:
    return state in EDITABLE_STATES


def on_time(submitted_on: dt.date, due: dt.date | None) -> bool | None:
    """A submission is on time when it arrives on or before its due day (local date); None without a deadline.

    Only the first submission counts: a report returned and resubmitted after the deadline was still on time
    if its first submission was.
    """
    if due is None:
        return None
    return submitted_on <= due
