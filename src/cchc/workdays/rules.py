"""Working days: weekends and public holidays off (the `holidays` package), plus the yearly swaps the
government announces (extra days off, make-up working days on a weekend). Plain Python, no Django.

Due dates in working days count the N-th working day after the acceptance date (tthc-dossiers.md §3).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable

import holidays
import numpy as np


class WorkCalendar:
    def __init__(
        self,
        years: Iterable[int],
        extra_days_off: Iterable[dt.date] = (),
        extra_working_days: Iterable[dt.date] = (),
    ):
        self.years = sorted(set(years))
        self.extra_days_off = frozenset(extra_days_off)
        self.extra_working_days = frozenset(extra_working_days)
        # One year of margin on each side, so due dates near a year's end stay computable.
        self.public_holidays, self.working_days = _days(
            self.years[0] - 1, self.years[-1] + 1, self.extra_days_off, self.extra_working_days
        )
        self.first_day, self.last_day = dt.date(self.years[0] - 1, 1, 1), dt.date(self.years[-1] + 1, 12, 31)

    def _is_working(self, day: dt.date) -> bool:
        return _is_working(day, self.public_holidays, self.extra_days_off, self.extra_working_days)

    def is_working_day(self, day: dt.date) -> bool:
        self._check_range(day)
        return self._is_working(day)

    def holiday_name(self, day: dt.date) -> str | None:
        return self.public_holidays.get(day)

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day after `day` (n ≥ 1); n = 0 gives `day` itself."""
        return self.add_working_days_array(np.array([np.datetime64(day)]), np.array([n]))[0].astype(dt.date)

    def add_working_days_array(self, days: np.ndarray, n: np.ndarray) -> np.ndarray:
        """Vectorised add_working_days for datetime64[D] arrays (the indicator engine's path)."""
        days = days.astype("datetime64[D]")
        # index of the first working day strictly after each day, then step n-1 further
        after = np.searchsorted(self.working_days, days, side="right")
        target = after + np.asarray(n) - 1
        if (target >= len(self.working_days)).any():
            raise ValueError("due date falls beyond the calendar's range")
        result = self.working_days[np.clip(target, 0, len(self.working_days) - 1)]
        return np.where(np.asarray(n) <= 0, days, result)

    def _check_range(self, day: dt.date) -> None:
        if not self.first_day <= day <= self.last_day:
            raise ValueError(f"{day} is outside the calendar ({self.first_day}–{self.last_day})")


def _is_working(
    day: dt.date, public_holidays: holidays.HolidayBase, days_off: frozenset, working_days: frozenset
) -> bool:
    if day in working_days:
        return True
    if day in days_off or day in public_holidays:
        return False
    return day.weekday() < 5


@functools.lru_cache(maxsize=16)
def _days(
    first_year: int, last_year: int, days_off: frozenset, working_days: frozenset
) -> tuple[holidays.HolidayBase, np.ndarray]:
    """(public holidays, sorted working days as a read-only datetime64[D] array) of the years first_year…last_year.

    Kept for the process: the same years and changes give the same days, and building them (the holidays of
    three years, then every day looked up) costs some 5 ms, paid by every recompute, refresh and drill-down."""
    public_holidays = holidays.country_holidays("VN", years=list(range(first_year, last_year + 1)))
    start, end = dt.date(first_year, 1, 1), dt.date(last_year, 12, 31)
    days = np.arange(np.datetime64(start), np.datetime64(end) + 1, dtype="datetime64[D]")
    working = np.array(
        [_is_working(d, public_holidays, days_off, working_days) for d in days.astype(object)], dtype=bool
    )
    result = days[working]
    result.flags.writeable = False
    return public_holidays, result


def shipped_day_overrides() -> list[dict]:
    """The announced day changes shipped with the package (workdays/data/day-overrides.yaml)."""
    from importlib import resources

    import yaml

    text = resources.files("cchc.workdays").joinpath("data/day-overrides.yaml").read_text("utf-8")
    return yaml.safe_load(text) or []


def shipped_calendar(years: Iterable[int]) -> WorkCalendar:
    """The calendar with the shipped day changes only (no database: the generator's calendar)."""
    rows = shipped_day_overrides()
    return WorkCalendar(
        years,
        extra_days_off=[r["date"] for r in rows if r["kind"] == "day_off"],
        extra_working_days=[r["date"] for r in rows if r["kind"] == "working_day"],
    )
