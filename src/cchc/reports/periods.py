"""The periodic PAR reports of a year (Decree 09/2019/NĐ-CP) and the deadlines of each level: plain date rules.

| Report      | Data window (the title says what it covers)  | Due to the Ministry |
|-------------|----------------------------------------------|---------------------|
| Quarter I   | 15/12 of the previous year – 14/03           | 20/03               |
| Six months  | 15/12 of the previous year – 14/06           | 20/06               |
| Quarter III | 15/06 – 14/09 (a quarter: not "nine months") | 20/09               |
| Year        | 15/12 of the previous year – 14/12           | 20/12               |

A quarterly report covers the 15th of the month before the quarter to the 14th of its last month; the six-month
and the year reports run from 15/12 of the year before. Whether a figure is counted within the window or from the
start of the reporting year is declared per statistic (`accumulation` in data/statistics.yaml); `year_so_far`
says which windows add up to the year so far.

The province sets internal deadlines so that Sở Nội vụ can compile its own report, and no unit is due before its
data cut-off (the 14th): by default communes report to their district on the 15th of the period's last month,
departments on the 15th and districts on the 17th (after their communes). These days come from settings (env
CCHC_REPORT_DUE_DAY_DEPARTMENT, …_DISTRICT, …_COMMUNE) and each period's dates stay editable by an administrator
once created (ReportPeriod.clean keeps them after the cut-off). Under the two-level local government (no district on
the period's last data day, from 1 July 2025) communes report directly to Sở Nội vụ, on the departments' day.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass


class Kind(enum.StrEnum):
    Q1 = "Q1"
    H1 = "H1"  # six months
    Q3 = "Q3"  # the third quarter: 15/06–14/09
    YEAR = "Y"


# kind → (data from: (month, day, year offset), data to: (month, day)); the Ministry's day is the 20th of the
# data-to month, which is also "the period's last month" of the internal deadlines.
DATA_WINDOWS: dict[Kind, tuple[tuple[int, int, int], tuple[int, int]]] = {
    Kind.Q1: ((12, 15, -1), (3, 14)),
    Kind.H1: ((12, 15, -1), (6, 14)),
    Kind.Q3: ((6, 15, 0), (9, 14)),
    Kind.YEAR: ((12, 15, -1), (12, 14)),
}
MINISTRY_DAY = 20
CUTOFF_DAY = 14  # every window ends on the 14th of its last month
# The windows whose "window" figures add up to the year so far at each report's cut-off.
YEAR_SO_FAR: dict[Kind, tuple[Kind, ...]] = {
    Kind.Q1: (Kind.Q1,),
    Kind.H1: (Kind.H1,),
    Kind.Q3: (Kind.H1, Kind.Q3),
    Kind.YEAR: (Kind.YEAR,),
}


def year_so_far(kind: Kind | str) -> tuple[Kind, ...]:
    """The reports whose per-window values add up to the year so far at `kind`'s cut-off (15/12 of the year
    before to it): the six months' window ends the day before the third quarter's begins."""
    return YEAR_SO_FAR[Kind(kind)]


@dataclass(frozen=True)
class DueDays:
    """Day of the period's last month by which each level hands its report in."""

    department: int = 15
    district: int = 17
    commune: int = 15

    def __post_init__(self):
        for level in ("department", "district", "commune"):
            day = getattr(self, level)
            if not CUTOFF_DAY < day <= MINISTRY_DAY:
                raise ValueError(
                    f"{level} due day must be after the data cut-off (the {CUTOFF_DAY}th) and at most the "
                    f"Ministry's {MINISTRY_DAY}th, not {day}"
                )
        if self.commune > self.district:
            raise ValueError(f"communes report to their district: due day {self.commune} after its {self.district}")

    @classmethod
    def from_settings(cls) -> DueDays:
        """From the settings CCHC_REPORT_DUE_DAY_* (read from the environment of the same names)."""
        from django.conf import settings

        return cls(
            department=settings.CCHC_REPORT_DUE_DAY_DEPARTMENT,
            district=settings.CCHC_REPORT_DUE_DAY_DISTRICT,
            commune=settings.CCHC_REPORT_DUE_DAY_COMMUNE,
        )


@dataclass(frozen=True)
class Period:
    kind: Kind
    year: int
    data_from: dt.date
    data_to: dt.date
    ministry_due: dt.date
    due_department: dt.date
    due_district: dt.date
    due_commune: dt.date


def period(year: int, kind: Kind | str, days: DueDays | None = None, two_level: bool = False) -> Period:
    """One report of `year`; two_level: no district level (communes report to the province like departments)."""
    kind = Kind(kind)
    days = days or DueDays()
    (from_month, from_day, offset), (to_month, to_day) = DATA_WINDOWS[kind]
    return Period(
        kind=kind,
        year=year,
        data_from=dt.date(year + offset, from_month, from_day),
        data_to=dt.date(year, to_month, to_day),
        ministry_due=dt.date(year, to_month, MINISTRY_DAY),
        due_department=dt.date(year, to_month, days.department),
        due_district=dt.date(year, to_month, days.district),
        due_commune=dt.date(year, to_month, days.department if two_level else days.commune),
    )


def periods_for(year: int, days: DueDays | None = None) -> list[Period]:
    """The four reports of `year`, in the order they fall due."""
    return [period(year, kind, days) for kind in Kind]
