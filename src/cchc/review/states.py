"""The states and steps of every reviewed item, and the two workflows made of them: plain rules, no web code.

One vocabulary (State, Action) for everything a unit hands in and someone else reviews; each workflow is a table of
transitions over it, and every step taken is recorded as a ReviewEvent (cchc.review.services.step).

The submission workflow (an agency's plan, a periodic report, a target entry), `TRANSITIONS`:
draft → submitted (by the unit's head) → accepted (locked) or returned with comments → submitted again …

The editor may hand a draft (or a returned item) to the head first (`Action.HAND`: the state stays, the item says
"awaiting the head's signature").

The appraisal workflow of a PAR-index self-assessment is defined by the scoring app (`cchc.scoring.workflow`) over
the same states and actions: draft → submitted → appraised → explained → final, then published with its set.

This module is also the one vocabulary of the submission workflow's words: each state and step has one label
(`STATE_LABELS`, `ACTION_LABELS`, `label`), used by pages, badges, notices and the start page, so one state has one
name everywhere ("Đã chấp nhận", never "Được tiếp nhận", which is a dossier's acceptance).
"""

from __future__ import annotations

import datetime as dt
import enum

from django.utils.translation import pgettext_lazy


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
    HAND = "hand"  # the editor hands the filled item to the unit's head, who signs and submits it (state unchanged)
    # The appraisal of a self-assessment (cchc.scoring.workflow).
    FILL = "fill"  # the unit writes its self-scores (an edit of the draft, not a recorded step)
    APPRAISE = "appraise"
    EXPLAIN = "explain"
    FINALISE = "finalise"
    PUBLISH = "publish"  # the set's results are published: a step of every sheet of the set


class Shown(enum.StrEnum):
    """What a person is told about a submitted item: its state, except that a draft (or a returned item) that the
    editor has handed to the head says so (the stored state stays draft/returned: the unit may still edit it)."""

    DRAFT = "draft"
    HANDED = "handed"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    RETURNED = "returned"
    MISSING = "missing"  # nothing opened yet for an obligation


# A context keeps these apart from the same English words elsewhere (a dossier is "accepted" = tiếp nhận).
STATE_LABELS = {
    Shown.DRAFT: pgettext_lazy("review", "Draft"),
    Shown.HANDED: pgettext_lazy("review", "Awaiting the head's signature"),
    Shown.SUBMITTED: pgettext_lazy("review", "Submitted"),
    Shown.ACCEPTED: pgettext_lazy("review", "Accepted"),
    Shown.RETURNED: pgettext_lazy("review", "Returned for correction"),
    Shown.MISSING: pgettext_lazy("review", "Not submitted"),
}
ACTION_LABELS = {
    Action.HAND: pgettext_lazy("review action", "Handed to the head"),
    Action.SUBMIT: pgettext_lazy("review action", "Submitted"),
    Action.ACCEPT: pgettext_lazy("review action", "Accepted"),
    Action.RETURN: pgettext_lazy("review action", "Returned"),
    Action.REOPEN: pgettext_lazy("review action", "Reopened"),
    Action.APPRAISE: pgettext_lazy("review action", "Appraised"),
    Action.EXPLAIN: pgettext_lazy("review action", "Explained"),
    Action.FINALISE: pgettext_lazy("review action", "Finalised"),
    Action.PUBLISH: pgettext_lazy("review action", "Published"),
}
# The badge colour of each shown state (the CSS classes of base.html).
STATE_BADGES = {
    Shown.DRAFT: "",
    Shown.HANDED: "in_progress",
    Shown.SUBMITTED: "in_progress",
    Shown.ACCEPTED: "done",
    Shown.RETURNED: "overdue",
    Shown.MISSING: "",
}


class TransitionError(ValueError):
    """An action that the item's state does not allow (e.g. accepting a draft, editing an accepted report)."""


Transitions = dict[tuple[State, Action], State]

TRANSITIONS: Transitions = {
    (State.DRAFT, Action.SUBMIT): State.SUBMITTED,
    (State.RETURNED, Action.SUBMIT): State.SUBMITTED,
    (State.SUBMITTED, Action.ACCEPT): State.ACCEPTED,
    (State.SUBMITTED, Action.RETURN): State.RETURNED,
    (State.ACCEPTED, Action.REOPEN): State.RETURNED,
    (State.DRAFT, Action.HAND): State.DRAFT,
    (State.RETURNED, Action.HAND): State.RETURNED,
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


def shown(state: str | None, handed: bool = False) -> Shown:
    """The state a person is told: None (nothing opened) is "not submitted"; a handed draft "awaiting the head"."""
    if not state:
        return Shown.MISSING
    if handed and state in EDITABLE_STATES:
        return Shown.HANDED
    return Shown(state)


def label(state: str | None, handed: bool = False) -> str:
    """The one word for the state (in the active language)."""
    return str(STATE_LABELS[shown(state, handed)])


def on_time(submitted_on: dt.date, due: dt.date | None) -> bool | None:
    """A submission is on time when it arrives on or before its due day (local date); None without a deadline.

    Only the first submission counts: a report returned and resubmitted after the deadline was still on time
    if its first submission was.
    """
    if due is None:
        return None
    return submitted_on <= due
