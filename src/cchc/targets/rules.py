"""How a target's value is made from what was entered, reported or surveyed (plain Python: no database, no web).

* A count pair is numerator / denominator × 100.
* Percentages of several units are combined weighted by their bases — Σ(percent × basis) / Σ basis, i.e. the
  share of all the officials (work files, …) together — never the plain mean of the percentages.
* A qualitative result is 1 (done), 0.5 (partly done) or 0 (not done), judged against the plan's "= 1".
* A reduction versus a base year is (base − current) / base × 100; the remaining path is how many more must go to
  reach the goal by the deadline.
* A survey index is the weighted mean over the method's criteria of each criterion's share satisfied, where a
  criterion's share over several services is weighted by their respondents; a mean score counts as
  mean / scale maximum × 100 (the method's `mean_score_max`).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

DONE, PARTLY, NOT_DONE = "done", "partly", "not_done"
QUALITATIVE_VALUE = {DONE: 1.0, PARTLY: 0.5, NOT_DONE: 0.0}

SURVEY_INDEX_CHOICES = [
    ("admin", "Sự phục vụ của cơ quan hành chính nhà nước (SIPAS)"),
    ("health", "Dịch vụ y tế công"),
    ("education", "Dịch vụ giáo dục công"),
]
METHODS_FILE = Path(__file__).resolve().parent / "data" / "sipas-methods.yaml"


class EntryError(ValueError):
    """An entered value is not one of the three forms, or is out of range; `field` names the field."""

    def __init__(self, field_name: str, message: str):
        self.field = field_name
        self.message = message
        super().__init__(f"{field_name}: {message}")


@dataclass(frozen=True)
class Measure:
    """A value with what it is made of: numerator/denominator (counts, or percent × basis), or a qualitative one."""

    value: float
    numerator: float | None = None
    denominator: float | None = None
    qualitative: str | None = None


def entry_measure(numerator, denominator, percent, basis, qualitative) -> Measure | None:
    """The measure of one entry (None while nothing is entered)."""
    if qualitative:
        return Measure(QUALITATIVE_VALUE[qualitative], qualitative=qualitative)
    if numerator is not None and denominator:
        return Measure(100 * numerator / denominator, float(numerator), float(denominator))
    if percent is not None and basis:
        part = float(percent) * basis / 100
        return Measure(float(percent), part, float(basis))
    return None


def check_entry(qualitative_target: bool, numerator, denominator, percent, basis, qualitative) -> None:
    """Raise EntryError unless exactly one form of value is given, complete and in range."""
    forms = [
        numerator is not None or denominator is not None,
        percent is not None or basis is not None,
        bool(qualitative),
    ]
    if qualitative_target:
        if not qualitative:
            raise EntryError("qualitative", "choose done, partly done or not done")
        if forms[0] or forms[1]:
            raise EntryError("qualitative", "a qualitative target takes only done, partly done or not done")
        return
    if qualitative:
        raise EntryError("qualitative", "only qualitative targets take done / partly / not done")
    if sum(forms) != 1:
        raise EntryError(
            "numerator", "give either the counts (numerator and denominator) or a percentage and its basis"
        )
    if forms[0]:
        if numerator is None or denominator is None:
            raise EntryError("denominator" if numerator is not None else "numerator", "both counts are needed")
        if denominator <= 0:
            raise EntryError("denominator", "must be more than 0")
        if numerator > denominator:
            raise EntryError("numerator", "cannot exceed the denominator")
    else:
        if percent is None or basis is None:
            raise EntryError("basis" if percent is not None else "percent", "a percentage needs its basis")
        if not Decimal(0) <= Decimal(percent) <= Decimal(100):
            raise EntryError("percent", "must be between 0 and 100")
        if basis <= 0:
            raise EntryError("basis", "must be more than 0")


def combine(measures: Iterable[Measure]) -> Measure | None:
    """Several units' measures of one target as one: Σ numerators / Σ denominators (a percentage's numerator is
    percent × basis), never a mean of ratios. Qualitative results combine to the lowest."""
    measures = [m for m in measures if m is not None]
    if not measures:
        return None
    qualitative = [m for m in measures if m.qualitative]
    if qualitative:
        return min(qualitative, key=lambda m: m.value)
    numerator = sum(m.numerator for m in measures)
    denominator = sum(m.denominator for m in measures)
    if not denominator:
        return None
    return Measure(100 * numerator / denominator, numerator, denominator)


def weighted_percent(pairs: Iterable[tuple[float | Decimal | None, float | Decimal | None]]) -> Measure | None:
    """(percent, basis) of several units → Σ(percent × basis) / Σ basis; pairs lacking either are left out."""
    return combine(
        entry_measure(None, None, percent, basis, None) for percent, basis in pairs if percent is not None and basis
    )


@dataclass(frozen=True)
class Reduction:
    base: int
    current: int
    goal: float  # percent fewer than the base, by the deadline

    @property
    def reduced(self) -> int:
        return self.base - self.current

    @property
    def percent(self) -> float:
        return 100 * (self.base - self.current) / self.base

    @property
    def goal_count(self) -> float:
        """The most there may be at the deadline."""
        return self.base * (1 - self.goal / 100)

    @property
    def remaining(self) -> float:
        """How many more must go by the deadline (0 once the goal is reached)."""
        return max(0.0, self.current - self.goal_count)


def reduction(base: int, current: int, goal: float) -> Reduction | None:
    if not base:
        return None
    return Reduction(base, current, goal)


@dataclass(frozen=True)
class SurveyMethod:
    code: str
    mean_score_max: float
    criteria: dict[str, float]  # criterion → weight
    labels: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SurveyLine:
    service: str
    criterion: str
    respondents: int
    share_satisfied: float | None
    mean_score: float | None


@dataclass(frozen=True)
class SurveyIndex:
    value: float | None
    by_criterion: dict[str, float]
    respondents: int


def parse_methods(text: str) -> dict[str, SurveyMethod]:
    data = yaml.safe_load(text)
    if not isinstance(data, dict) or data.get("format") != "cchc-survey-methods":
        raise ValueError("not a cchc-survey-methods file")
    methods = {}
    for code, raw in (data.get("methods") or {}).items():
        criteria = {str(c["code"]): float(c["weight"]) for c in raw["criteria"]}
        if any(w < 0 for w in criteria.values()) or not sum(criteria.values()):
            raise ValueError(f"{code}: weights must be ≥ 0 and not all 0")
        methods[code] = SurveyMethod(
            code=code,
            mean_score_max=float(raw.get("mean_score_max", 5)),
            criteria=criteria,
            labels={str(c["code"]): str(c.get("label", c["code"])) for c in raw["criteria"]},
        )
    return methods


@functools.cache
def methods() -> dict[str, SurveyMethod]:
    return parse_methods(METHODS_FILE.read_text("utf-8"))


def line_share(line: SurveyLine, method: SurveyMethod) -> float:
    if line.share_satisfied is not None:
        return float(line.share_satisfied)
    return 100 * float(line.mean_score) / method.mean_score_max


def survey_index(lines: Iterable[SurveyLine], method: SurveyMethod) -> SurveyIndex:
    """Σ weight × share of each criterion / Σ weights of the criteria with answers; shares over services are
    weighted by respondents. Criteria the method does not know are left out."""
    totals: dict[str, list[float]] = {}
    for line in lines:
        if line.criterion not in method.criteria or not line.respondents:
            continue
        acc = totals.setdefault(line.criterion, [0.0, 0.0])
        acc[0] += line_share(line, method) * line.respondents
        acc[1] += line.respondents
    by_criterion = {c: s / n for c, (s, n) in totals.items() if n}
    respondents = int(max((n for _, n in totals.values()), default=0))  # every respondent answers every criterion
    weights = sum(method.criteria[c] for c in by_criterion)
    if not weights:
        return SurveyIndex(None, by_criterion, 0)
    value = sum(method.criteria[c] * share for c, share in by_criterion.items()) / weights
    return SurveyIndex(value, by_criterion, respondents)
