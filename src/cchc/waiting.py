"""What is waiting for an account: the things it must act on, gathered from the apps that own them.

A plain module below every app (it imports none, like cchc.restriction), so that the apps register into it and the
start page reads it without any app importing another. The start page asks `waiting_for(user, today)`; it knows no
app. Each app that has something for people to do registers a provider at start (`register(function)` in its
AppConfig.ready): `function(user, today)` returns WaitingItem rows for that account — the review workflow (reports,
agency plans, target entries handed to a head, submitted to a reviewer, returned to the unit), the reminders (what
the unit owes, in every year, late or due soon). A provider that fails is logged and skipped: one app's bug does not
empty the start page.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

logger = logging.getLogger(__name__)

# What the account is asked to do, most pressing first when deadlines are equal.
SIGN, REVIEW, CORRECT, DUE, FOLLOW = "sign", "review", "correct", "due", "follow"
ORDER = {SIGN: 0, REVIEW: 1, CORRECT: 2, DUE: 3, FOLLOW: 4}


@dataclass(frozen=True)
class WaitingItem:
    key: str  # stable identity (e.g. "report:12", "report:2023-Q1:593")
    action: str  # SIGN | REVIEW | CORRECT | DUE | FOLLOW
    action_label: str  # what to do, in the active language ("Ký và gửi")
    title: str  # the item ("Báo cáo CCHC Quý I/2023")
    unit_name: str
    url: str
    status: str = ""  # its state in the workflow's words (review/states.py), when it has one
    due: dt.date | None = None  # the unit's deadline for it
    since: dt.datetime | None = None  # since when it waits (handed over, submitted, returned)
    note: str = ""  # e.g. the reviewer's comment

    def days_left(self, today: dt.date) -> int | None:
        return None if self.due is None else (self.due - today).days


Provider = Callable[[object, dt.date], Iterable[WaitingItem]]
_providers: dict[str, Provider] = {}


def register(provider: Provider, name: str | None = None) -> None:
    """Add a provider (once: registering the same name again replaces it)."""
    _providers[name or f"{provider.__module__}.{provider.__qualname__}"] = provider


def providers() -> list[Provider]:
    return list(_providers.values())


def urgency(item: WaitingItem, today: dt.date):
    """The oldest deadline first (late items come first), then what to sign, review, correct, then the rest."""
    due = item.due or dt.date.max
    since = item.since or dt.datetime.max.replace(tzinfo=dt.UTC)
    return (due, ORDER.get(item.action, 9), since, item.key)


def waiting_for(user, today: dt.date) -> list[WaitingItem]:
    """Every provider's items for `user`, most urgent first (oldest deadline first; what to sign before the rest)."""
    if not getattr(user, "is_authenticated", False):
        return []
    # One row per page: a returned report is both owed (reminders) and to correct (review); the more precise
    # request wins (sign, review, correct before a plain deadline).
    items: dict[str, WaitingItem] = {}
    for provider in providers():
        try:
            for item in provider(user, today):
                found = items.get(item.url)
                if found is None or ORDER.get(item.action, 9) < ORDER.get(found.action, 9):
                    items[item.url] = item if found is None or found.due is None else _with_due(item, found.due)
        except Exception:
            logger.exception("Waiting-list provider %r failed; its items are left out", provider)
    return sorted(items.values(), key=lambda item: urgency(item, today))


def _with_due(item: WaitingItem, due: dt.date) -> WaitingItem:
    from dataclasses import replace

    return item if item.due is not None else replace(item, due=due)
