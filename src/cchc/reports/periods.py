"""The periodic PAR reports of a year (Decree 09/2019/NĐ-CP) and the deadlines of each level: plain date rules.

| Report                          | Data period                          | Due to the Ministry |
|---------------------------------|--------------------------------------|---------------------|
| Quarter I                       | 15/12 of the previous year – 14/03   | 20/03               |
| Six months                      | 15/12 of the previous year – 14/06   | 20/06               |
| Quarter III (the nine months)   | 15/06 – 14/09                        | 20/09               |
| Year                            | 15/12 of the previous year – 14/12   | 20/12               |

The province sets earlier internal deadlines so that Sở Nội vụ can compile its own report: by default departments
and districts report on the 15th of the period's last month and communes to their district on the 10th. These days
come from settings (env CCHC_REPORT_DUE_DAY_DEPARTMENT, …_DISTRICT, …_COMMUNE) and each period's dates stay
editable by an administrator once created. Under the two-level local government (no district on the period's last
data day, from 1 July 2025) communes report directly to Sở Nội vụ, on the departments' day.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass


class Kind(enum.StrEnum):
    Q1 = "Q1"
    H1 = "H1"  # six months
    Q3 = "Q3"  # serves as the nine-month report
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


@dataclass(frozen=True)
class DueDays:
    """Day of the period's last month by which each level hands its report in."""

    department: int = 15
    district: int = 15
    commune: int = 10

    def __post_init__(self):
        for level in ("department", "district", "commune"):
            day = getattr(self, level)
            if not 1 <= day <= MINISTRY_DAY:
                raise ValueError(f"{level} due day must be between 1 and {MINISTRY_DAY}, not {day}")

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
