"""Periods named as DHIS2 names them: 2023 (year), 2023S1 (half), 2023Q1 (quarter), 202303 (month).

Dossier figures use calendar periods; the Decree 09/2019 reporting periods live with the reports.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_PATTERNS = [
    (re.compile(r"^(\d{4})$"), "year"),
    (re.compile(r"^(\d{4})S([12])$"), "half"),
    (re.compile(r"^(\d{4})Q([1-4])$"), "quarter"),
    (re.compile(r"^(\d{4})(0[1-9]|1[0-2])$"), "month"),
]


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date  # last day, inclusive
    code: str
    kind: str

    def __str__(self) -> str:
        return self.code

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def parse_period(code: str) -> Period:
    for pattern, kind in _PATTERNS:
        m = pattern.match(code)
        if not m:
            continue
        year = int(m[1])
        if kind == "year":
            first, last = 1, 12
        elif kind == "half":
            first = 1 if m[2] == "1" else 7
            last = first + 5
        elif kind == "quarter":
            first = (int(m[2]) - 1) * 3 + 1
            last = first + 2
        else:
            first = last = int(m[2])
        return Period(dt.date(year, first, 1), _month_end(year, last), code, kind)
    raise ValueError(f"'{code}' is not a period (use 2023, 2023S1, 2023Q1 or 202303)")


def periods_of_year(year: int) -> list[Period]:
    """The 19 periods of a year: the year, two halves, four quarters, twelve months."""
    codes = [f"{year}", f"{year}S1", f"{year}S2", *(f"{year}Q{q}" for q in range(1, 5))]
    codes += [f"{year}{m:02d}" for m in range(1, 13)]
    return [parse_period(code) for code in codes]


ROMAN_QUARTERS = ("I", "II", "III", "IV")


def vietnamese_label(code: str) -> str:
    """The period as an official text writes it, in lower case for the middle of a sentence: 2023 → "năm 2023",
    2023S1 → "6 tháng đầu năm 2023", 2023S2 → "6 tháng cuối năm 2023", 2023Q1 → "quý I năm 2023",
    202303 → "tháng 3 năm 2023". Codes are for machines; documents write this."""
    period = parse_period(code)
    year = period.start.year
    if period.kind == "year":
        return f"năm {year}"
    if period.kind == "half":
        return f"6 tháng {'đầu' if period.start.month == 1 else 'cuối'} năm {year}"
    if period.kind == "quarter":
        return f"quý {ROMAN_QUARTERS[(period.start.month - 1) // 3]} năm {year}"
    return f"tháng {period.start.month} năm {year}"
