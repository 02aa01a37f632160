"""The PAR index of one unit, ranking and bands: plain arithmetic, no Django.

index = points / applicable maximum × 100, per area and overall, where
- points are the scores of the applicable sub-criteria (self-assessed, survey, computed), plus bonuses and minus
  deductions, each bonus or deduction group limited by its cap;
- the applicable maximum is the sum of the maxima of the applicable sub-criteria: a sub-criterion that does not
  apply to the unit takes its maximum away (bonuses and deductions never count in the maximum).
Values stay unrounded (Decimal) internally; `shown()` rounds half up to 2 decimals. The published (2-decimal)
index decides band and rank, so two units shown with the same index share a rank.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from cchc.scoring.criteria import ADJUSTMENTS, BONUS, DEDUCTION

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Item:
    """One sub-criterion (leaf) of a unit's sheet."""

    code: str
    area: str  # code of its area (the root of its branch)
    method: str
    maximum: Decimal
    points: Decimal | None  # None counts as 0
    not_applicable: bool = False
    group: str | None = None  # for a bonus or deduction: the code of its topmost bonus/deduction node


@dataclass
class Part:
    points: Decimal = Decimal(0)
    maximum: Decimal = Decimal(0)  # applicable maximum
    bonus: Decimal = Decimal(0)
    deduction: Decimal = Decimal(0)

    @property
    def index(self) -> Decimal | None:
        if self.maximum == 0:
            return None
        return (self.points + self.bonus - self.deduction) / self.maximum * HUNDRED


@dataclass
class Result:
    total: Part
    areas: dict[str, Part] = field(default_factory=dict)

    @property
    def index(self) -> Decimal | None:
        return self.total.index


def compute(items: list[Item], caps: dict[str, Decimal | None] | None = None) -> Result:
    """The unit's points, applicable maxima and index per area and overall.

    `caps` gives the cap of each bonus/deduction group (by its code; None or absent = no cap). A cap limits the
    sum of the group's parts, so a deduction group capped at 3 takes at most 3 points however much its parts add.
    """
    caps = caps or {}
    result = Result(total=Part())
    adjustments: dict[str, tuple[str, str, Decimal]] = {}  # group → (method, area, sum of its parts)
    for item in items:
        area = result.areas.setdefault(item.area, Part())
        if item.not_applicable:
            continue
        points = item.points or Decimal(0)
        if item.method in ADJUSTMENTS:
            group = item.group or item.code
            method, area_code, total = adjustments.get(group, (item.method, item.area, Decimal(0)))
            adjustments[group] = (method, area_code, total + points)
            continue
        area.points += points
        area.maximum += item.maximum
        result.total.points += points
        result.total.maximum += item.maximum
    for group, (method, area_code, total) in adjustments.items():
        cap = caps.get(group)
        amount = min(total, cap) if cap is not None else total
        area = result.areas[area_code]
        if method == BONUS:
            area.bonus += amount
            result.total.bonus += amount
        elif method == DEDUCTION:
            area.deduction += amount
            result.total.deduction += amount
    return result


def shown(value: Decimal | float | None) -> Decimal | None:
    """The value as published: 2 decimals, half up."""
    if value is None:
        return None
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def band_for(index: Decimal | float | None, bands: list[dict]) -> str | None:
    """The label of the first band (highest lower bound first) whose lower bound the shown index reaches."""
    value = shown(index)
    if value is None:
        return None
    for band in sorted(bands, key=lambda b: Decimal(str(b["lower"])), reverse=True):
        if value >= Decimal(str(band["lower"])):
            return band["label"]
    return None


def rank(indexes: dict) -> dict:
    """{id: rank} by shown index, highest first; equal shown indexes share a rank (1, 2, 2, 4); None unranked."""
    values = {ident: value for ident, index in indexes.items() if (value := shown(index)) is not None}
    ordered = sorted(values.values(), reverse=True)
    first_position: dict[Decimal, int] = {}
    for position, value in enumerate(ordered, start=1):
        first_position.setdefault(value, position)
    return {ident: first_position[value] for ident, value in values.items()}


def delta(current: Decimal | float | None, previous: Decimal | float | None) -> Decimal | None:
    """Change against the previous year, in index points (unrounded)."""
    if current is None or previous is None:
        return None
    return Decimal(str(current)) - Decimal(str(previous))
