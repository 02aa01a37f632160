"""The one rule that says which threshold a target's value is judged against, and whether it meets it.

Pure: no database, no clock. Every page and document that says "met" or "not met" (the dashboard, the unit's
indicator page, the generated report, the scorecards, the public page, `cchc targets`) asks this module, so the
same target, level and period gives the same verdict everywhere.

- **A year on the way to a later deadline.** A multi-year goal (e.g. 2.3: 100 % by 2025) is not judged in 2023
  against the final 100 %: its threshold on a day is the point of the straight line from the start of the path
  (0 % at the end of its baseline year, or of 2021, the first year of the province's 2021–2025 programme) to the
  goal at the deadline — an intermediate threshold. From the deadline year on, the goal itself.
- **The whole province ("all").** Judged against the plan's whole-province threshold; without one, against the
  levels' threshold when every level (P, D, C) asks the same (same operator, same value: 2.4a ≥ 80 % at each
  level means ≥ 80 % for the province too); otherwise it is not judged (never the worst level's verdict).

Targets and thresholds are read by attribute (`kind`, `final_year`, `deadline`, `baseline_year`; `op`, `value`,
`unit`, `level`), so the plans' models and plain objects in tests both work.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

MULTI_YEAR = "multi_year"
PATH_UNITS = ("percent", "percent_reduction")
# Multi-year goals whose plan gives no baseline value: the path starts from 0 % at the end of 2021, the first year of
# the province's 2021–2025 programme (Kế hoạch 3612/KH-UBND). A reduction versus a base year (3.1a, 3.1b) is judged
# the same way: 0 % fewer at the end of the base year, the goal at the deadline.
PATH_START_YEAR = 2021
PATH_START_VALUE = 0.0
VALUE_LEVELS = ("P", "D", "C")


@dataclass(frozen=True)
class Implied:
    """A whole-province threshold implied by the levels asking the same thing."""

    op: str
    value: float
    unit: str
    level: str = "province"
    implied: bool = True


def meets(op: str, actual: float, limit: float) -> bool:
    if op == ">=":
        return actual >= limit
    if op == "<=":
        return actual <= limit
    return actual == limit


def path_threshold(baseline: float, goal: float, baseline_date: dt.date, goal_date: dt.date, on: dt.date) -> float:
    """The point on the straight line from `baseline` (at baseline_date) to `goal` (at goal_date) on date `on`."""
    span = _years(goal_date) - _years(baseline_date)
    if span <= 0:
        return goal
    share = min(1.0, max(0.0, (_years(on) - _years(baseline_date)) / span))
    return baseline + (goal - baseline) * share


def _years(day: dt.date) -> float:
    """The date as a fractional year (31/12/2023 → 2024.0), so that a leap day does not bend the line."""
    days_in_year = (dt.date(day.year, 12, 31) - dt.date(day.year, 1, 1)).days + 1
    return day.year + day.timetuple().tm_yday / days_in_year


def is_intermediate(target, year: int) -> bool:
    """A year before the deadline year of a multi-year goal: judged on the path, not on the goal."""
    return str(target.kind) == MULTI_YEAR and target.final_year > year


def limit_on(target, threshold, on: dt.date) -> float | None:
    """The value to reach on day `on` (the end of the period judged): the plan's threshold, or for a multi-year goal
    in a year before its deadline year the point of its path; None when a path cannot be drawn (a count or a
    done/not-done goal years ahead)."""
    if threshold is None:
        return None
    if not is_intermediate(target, on.year):
        return threshold.value
    if str(threshold.unit) not in PATH_UNITS:
        return None
    start = dt.date(target.baseline_year or PATH_START_YEAR, 12, 31)
    return path_threshold(PATH_START_VALUE, threshold.value, start, target.deadline, on)


def limits(target, threshold, period_end: dt.date) -> tuple[float | None, float | None]:
    """(the threshold at the end of the period judged, the threshold at the end of that period's year)."""
    return limit_on(target, threshold, period_end), limit_on(target, threshold, dt.date(period_end.year, 12, 31))


def for_level(thresholds, level: str):
    """The threshold a value of `level` (P, D, C, or "all"/"province" for the whole province) is judged against.
    `thresholds`: the target's thresholds (an iterable or a {level: threshold} dict)."""
    by_level = thresholds if isinstance(thresholds, dict) else {t.level: t for t in thresholds}
    if level in VALUE_LEVELS:
        return by_level.get(level)
    if by_level.get("province") is not None:
        return by_level["province"]
    levels = [t for t in (by_level.get(lv) for lv in VALUE_LEVELS) if t is not None]
    if len(levels) != len(VALUE_LEVELS):
        return None
    asked = {(t.op, float(t.value), str(t.unit)) for t in levels}
    if len(asked) != 1:
        return None
    op, value, unit = asked.pop()
    return Implied(op, value, unit)


def verdict(target, threshold, value: float | None, on: dt.date) -> bool | None:
    """Met (True), not met (False), or not judged (None: no value, no threshold, or no path) on day `on`."""
    if value is None or threshold is None:
        return None
    limit = limit_on(target, threshold, on)
    if limit is None:
        return None
    return meets(threshold.op, value, limit)


def describe(target, threshold, on: dt.date) -> str:
    """The threshold as judged on `on`, for pages and documents: "≥ 80%", or "≥ 50% (lộ trình đến 100% năm 2025)"
    — the caller translates the words around it if it needs to."""
    limit = limit_on(target, threshold, on)
    if limit is None:
        return ""
    symbol = {">=": "≥", "<=": "≤"}.get(threshold.op, "=")
    text = f"{symbol} {limit:.1f}".rstrip("0").rstrip(".").replace(".", ",")
    if str(threshold.unit) in PATH_UNITS:
        text += "%"
    return text
