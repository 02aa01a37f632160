"""Which reminder applies to an obligation on a given day (pure rules, no database).

Three notices at most per obligation and person, each sent once:

- UPCOMING  "due in N days"       when  days_before >= days left > soon_days   (default 7 >= left > 1)
- IMMINENT  "due tomorrow/today"  when  soon_days >= days left >= 0           (default left is 1 or 0)
- OVERDUE   "late"                when  days left < 0

The rules are windows, not exact days: if the daily job did not run on the seventh day before the deadline, the
next run still sends the "upcoming" notice. Done obligations never get a reminder. The offsets come from settings
(CCHC_REMINDER_DAYS_BEFORE, CCHC_REMINDER_SOON_DAYS) with the defaults below; tests pass them explicitly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from cchc.reminders.obligations import DueItem

UPCOMING = "upcoming"
IMMINENT = "imminent"
OVERDUE = "overdue"
EVENTS = (UPCOMING, IMMINENT, OVERDUE)

DEFAULT_DAYS_BEFORE = 7
DEFAULT_SOON_DAYS = 1


@dataclass(frozen=True)
class Offsets:
    days_before: int = DEFAULT_DAYS_BEFORE
    soon_days: int = DEFAULT_SOON_DAYS

    def __post_init__(self):
        if self.soon_days < 0 or self.days_before < self.soon_days:
            raise ValueError(
                f"reminder offsets: need days_before ({self.days_before}) >= soon_days ({self.soon_days}) >= 0"
            )


def configured_offsets() -> Offsets:
    return Offsets(
        days_before=int(getattr(settings, "CCHC_REMINDER_DAYS_BEFORE", DEFAULT_DAYS_BEFORE)),
        soon_days=int(getattr(settings, "CCHC_REMINDER_SOON_DAYS", DEFAULT_SOON_DAYS)),
    )


def days_left(item: DueItem, today: dt.date) -> int:
    """Days until the deadline: 0 on the day itself, negative when late."""
    return (item.due - today).days


def event_for(item: DueItem, today: dt.date, offsets: Offsets | None = None) -> str | None:
    """The reminder event that applies to `item` on `today`, or None (done, or not due soon enough)."""
    if item.done:
        return None
    offsets = offsets or configured_offsets()
    left = days_left(item, today)
    if left < 0:
        return OVERDUE
    if left <= offsets.soon_days:
        return IMMINENT
    if left <= offsets.days_before:
        return UPCOMING
    return None


def event_key(item: DueItem, event: str) -> str:
    """Identity of one notice about one obligation: the same key is never sent twice to the same person."""
    return f"{item.key}:{event}"
