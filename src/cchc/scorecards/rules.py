"""A unit's scorecard for a year as plain data and rules: no database, so it is tested on hand-made values.

A card gathers what the other apps know of one unit — its area-2 targets (dossier figures at its own level
against the plan's threshold), its tasks (effective status on a day), its periodic reports and its agency plan
(on time, late, not submitted) and its Decision 766 score — and `sort_cards`/`rank` compare peers.
`cchc.scorecards.queries` fills cards for all units of a kind at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from cchc.progress import rules

# What a submission looks like from the scorecard: submitted by its deadline, after it, or not (yet).
ON_TIME, LATE, NOT_SUBMITTED, NOT_DUE = "on_time", "late", "not_submitted", "not_due"


def submission_status(
    first_submitted_at: dt.date | None, on_time: bool | None, due: dt.date | None, on: dt.date
) -> str:
    """on_time / late by the first submission (as the review app decides it: a report returned and resubmitted
    keeps the verdict of its first submission); otherwise not_submitted once the deadline has passed, not_due
    before. `on_time` as stored wins; without it the dates decide."""
    if first_submitted_at is not None:
        if on_time is None:
            on_time = due is None or first_submitted_at <= due
        return ON_TIME if on_time else LATE
    if due is not None and due < on:
        return NOT_SUBMITTED
    return NOT_DUE


def share(part: int, whole: int) -> float | None:
    """Percent, None when there is nothing to divide by."""
    return 100 * part / whole if whole else None


@dataclass(frozen=True)
class TargetResult:
    """One area-2 target at the unit's own level: the value (percent) against the plan's threshold."""

    code: str
    name: str
    value: float | None
    name_en: str = ""
    numerator: int = 0
    denominator: int = 0
    op: str | None = None
    threshold: float | None = None
    threshold_display: str = ""

    @property
    def display_name(self) -> str:
        from django.utils.translation import get_language

        return self.name_en if self.name_en and get_language() == "en" else self.name

    @property
    def met(self) -> bool | None:
        """None when it cannot be judged (no value or no threshold at this level)."""
        if self.value is None or self.threshold is None or self.op is None:
            return None
        if self.op == ">=":
            return self.value >= self.threshold
        if self.op == "<=":
            return self.value <= self.threshold
        return self.value == self.threshold


@dataclass(frozen=True)
class TaskLine:
    """One task the unit carries out: its effective status on the day and its deadline for the unit."""

    code: str
    status: str  # not_started, in_progress, done, overdue (effective)
    due: dt.date | None


def task_line(
    code: str, stored_status: str | None, plan_due: dt.date, own_due: dt.date | None, on: dt.date
) -> TaskLine:
    """The unit's line for a task from what is stored (a task nobody opened is not started)."""
    due = rules.effective_due(plan_due, own_due)
    return TaskLine(code, rules.effective_status(stored_status or rules.NOT_STARTED, due, on), due)


@dataclass(frozen=True)
class TaskSummary:
    done: int = 0
    in_progress: int = 0
    overdue: int = 0
    not_started: int = 0
    due: int = 0  # tasks whose deadline is on or before the day
    done_of_due: int = 0

    @property
    def total(self) -> int:
        return self.done + self.in_progress + self.overdue + self.not_started

    @property
    def share_done(self) -> float | None:
        """Share of the tasks already due that are done (a task due later is not held against the unit)."""
        return share(self.done_of_due, self.due)


def summarise_tasks(lines: Iterable[TaskLine], on: dt.date) -> TaskSummary:
    counts = {status: 0 for status in rules.EFFECTIVE_STATUSES}
    due = done_of_due = 0
    for line in lines:
        counts[line.status] += 1
        if line.due is not None and line.due <= on:
            due += 1
            done_of_due += line.status == rules.DONE
    return TaskSummary(
        done=counts[rules.DONE],
        in_progress=counts[rules.IN_PROGRESS],
        overdue=counts[rules.OVERDUE],
        not_started=counts[rules.NOT_STARTED],
        due=due,
        done_of_due=done_of_due,
    )


@dataclass(frozen=True)
class Submission:
    """A report of one period, or the agency plan: its deadline and where it stands."""

    key: str  # period kind (Q1, H1, Q3, Y) or "plan"
    label: str
    due: dt.date | None
    status: str  # on_time, late, not_submitted, not_due
    object_id: int | None = None  # the report or agency plan, when one exists


@dataclass
class Scorecard:
    unit_id: int
    code: str
    name: str
    kind: str
    year: int
    targets: list[TargetResult] = field(default_factory=list)
    tasks: TaskSummary = field(default_factory=TaskSummary)
    reports: list[Submission] = field(default_factory=list)
    agency_plan: Submission | None = None  # None: the unit issues no agency plan (communes)
    index766: dict = field(default_factory=dict)
    rank: int | None = None

    # Figures compared between peers (the table's columns).
    @property
    def score(self) -> float | None:
        return self.index766.get("total") if self.index766.get("max") else None

    @property
    def score_max(self) -> float | None:
        return self.index766.get("max") or None

    @property
    def band(self) -> str | None:
        return self.index766.get("band")

    @property
    def targets_met(self) -> int:
        return sum(1 for t in self.targets if t.met)

    @property
    def targets_judged(self) -> int:
        return sum(1 for t in self.targets if t.met is not None)

    @property
    def targets_share(self) -> float | None:
        return share(self.targets_met, self.targets_judged)

    def _reports(self, status: str) -> int:
        return sum(1 for r in self.reports if r.status == status)

    @property
    def reports_on_time(self) -> int:
        return self._reports(ON_TIME)

    @property
    def reports_late(self) -> int:
        return self._reports(LATE)

    @property
    def reports_missing(self) -> int:
        return self._reports(NOT_SUBMITTED)

    @property
    def reports_due(self) -> int:
        return self.reports_on_time + self.reports_late + self.reports_missing

    @property
    def on_time_share(self) -> float | None:
        """Reports (and the agency plan) sent on time, of those already due."""
        items = [*self.reports, *([self.agency_plan] if self.agency_plan else [])]
        due = [s for s in items if s.status != NOT_DUE]
        return share(sum(1 for s in due if s.status == ON_TIME), len(due))

    @property
    def tasks_share(self) -> float | None:
        return self.tasks.share_done

    @property
    def tasks_overdue(self) -> int:
        return self.tasks.overdue


# Sortable columns: ?sort=<name> ascending, ?sort=-<name> descending. Missing values always sort last.
COLUMNS: dict[str, Callable[[Scorecard], Any]] = {
    "name": lambda c: c.name.casefold(),
    "code": lambda c: c.code,
    "score": lambda c: c.score,
    "targets": lambda c: c.targets_share,
    "tasks": lambda c: c.tasks_share,
    "overdue": lambda c: c.tasks_overdue,
    "on_time": lambda c: c.on_time_share,
    "late": lambda c: c.reports_late,
    "missing": lambda c: c.reports_missing,
    "rank": lambda c: c.rank,
}
DEFAULT_SORT = "rank"


def parse_sort(value: str | None) -> tuple[str, bool]:
    """(column, descending) from ?sort=; unknown columns fall back to the ranking."""
    value = (value or "").strip()
    descending = value.startswith("-")
    column = value.lstrip("-")
    if column not in COLUMNS:
        return DEFAULT_SORT, False
    return column, descending


def sort_cards(cards: Iterable[Scorecard], column: str, descending: bool = False) -> list[Scorecard]:
    """Cards ordered by a column; ties keep the unit order (code); cards without a value come last either way."""
    key = COLUMNS[column]
    cards = sorted(cards, key=lambda c: c.code)
    present = [c for c in cards if key(c) is not None]
    missing = [c for c in cards if key(c) is None]
    return sorted(present, key=key, reverse=descending) + missing


def rank(cards: list[Scorecard]) -> list[Scorecard]:
    """Rank peers by their 766 score (higher first), then by reports on time; equal pairs share a rank
    (1, 2, 2, 4). Units without a score are not ranked."""

    def merit(card: Scorecard) -> tuple[float, float]:
        return (card.score or 0.0, card.on_time_share or 0.0)

    ordered = sorted((c for c in cards if c.score is not None), key=merit, reverse=True)
    previous, position = None, 0
    for i, card in enumerate(ordered, start=1):
        if merit(card) != previous:
            position, previous = i, merit(card)
        card.rank = position
    for card in cards:
        if card.score is None:
            card.rank = None
    return cards
