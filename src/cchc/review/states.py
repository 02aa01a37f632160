"""The states and steps of every reviewed item, and the two workflows made of them: plain rules, no web code.

One vocabulary (State, Action) for everything a unit hands in and someone else reviews; each workflow is a table of
transitions over it, and every step taken is recorded as a ReviewEvent (cchc.review.service.step).

The submission workflow (an agency's plan, a periodic report, a target entry), `TRANSITIONS`:
draft → submitted (by the unit's head) → accepted (locked) or returned with comments → submitted again …

The appraisal workflow of a PAR-index self-assessment is defined by the scoring app (`cchc.scoring.workflow`) over
the same states and actions: draft → submitted → appraised → explained → final, then published with its set.
"""

from __future__ import annotations

import datetime as dt
import enum


class State(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    RETURNED = "returned"
    # The appraisal of a self-assessment (cchc.scoring.workflow).
    APPRAISED = "appraised"  # the council's draft appraisal, which the unit sees and may answer once
    EXPLAINED = "explained"  # the unit has answered the draft appraisal
    FINAL = "final"  # the council's final scores (locked)


class Action(enum.StrEnum):
    SUBMIT = "submit"
    ACCEPT = "accept"
    RETURN = "return"
    REOPEN = "reopen"  # Sở Nội vụ unlocks an accepted item: it goes back to its unit as returned, with a comment
    # The appraisal of a self-assessment (cchc.scoring.workflow).
    FILL = "fill"  # the unit writes its self-scores (an edit of the draft, not a recorded step)
    APPRAISE = "appraise"
    EXPLAIN = "explain"
    FINALISE = "finalise"
    PUBLISH = "publish"  # the set's results are published: a step of every sheet of the set


class TransitionError(ValueError):
    """An action that the item's state does not allow (e.g. accepting a draft, editing an accepted report)."""


Transitions = dict[tuple[State, Action], State]

TRANSITIONS: Transitions = {
    (State.DRAFT, Action.SUBMIT): State.SUBMITTED,
    (State.RETURNED, Action.SUBMIT): State.SUBMITTED,
    (State.SUBMITTED, Action.ACCEPT): State.ACCEPTED,
    (State.SUBMITTED, Action.RETURN): State.RETURNED,
    (State.ACCEPTED, Action.REOPEN): State.RETURNED,
}

# The unit edits its item only while it is with the unit; once submitted it waits, once accepted it is locked.
EDITABLE_STATES = frozenset({State.DRAFT, State.RETURNED})
PRIVATE_STATES = frozenset({State.DRAFT, State.RETURNED})


def next_state(state: str, action: str, transitions: Transitions = TRANSITIONS) -> State:
    try:
        return transitions[(State(state), Action(action))]
    except (KeyError, ValueError):
        raise TransitionError(f"cannot {action} an item that is {state}") from None


def allowed_actions(state: str, transitions: Transitions = TRANSITIONS) -> list[Action]:
    return [action for (origin, action) in transitions if origin == state]


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
