"""What a unit owes and by when: the common shape in which each app reports its deadlines to the reminders.

Each app that has deadlines provides a module with `due_items(on: datetime.date) -> Iterable[DueItem]`, listed in
PROVIDERS; it may accept `unit_ids` (a set of unit ids) and then lists only those units' items (the start page asks
for one unit's, over several years). It yields every obligation of the current cycle that is due within the
reminder horizon or already late, done or not (the owed page shows both; reminders only go out for items not done).
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

PROVIDERS = [
    "cchc.agencyplans.obligations",
    "cchc.reports.obligations",
    "cchc.progress.obligations",
    "cchc.targets.obligations",
]


@dataclass(frozen=True)
class DueItem:
    key: str  # stable identity of the obligation, e.g. "agencyplan:2023:SNV", "report:2023-Q1:593", "task:45:593"
    unit_id: int  # the unit that owes it
    kind: str  # "agency_plan" | "report" | "task" | "target_value"
    title: str  # what is owed, in the active language (e.g. "Báo cáo CCHC Quý I/2023")
    due: dt.date  # the deadline that applies to this unit (the internal deadline for its level, for reports)
    url: str  # path of the page where it is done (e.g. /reports/12/)
    done: bool  # submitted (plans, reports) or completed (tasks)


def configured_providers() -> list[str]:
    """The provider modules to ask: settings.CCHC_REMINDER_PROVIDERS when set, else PROVIDERS."""
    return list(getattr(settings, "CCHC_REMINDER_PROVIDERS", None) or PROVIDERS)


def due_items(on: dt.date, providers: Iterable[str] | None = None, unit_ids: set[int] | None = None) -> list[DueItem]:
    """Every provider's items, ordered by deadline then unit.

    A provider that fails while listing is skipped with the error logged: one app's bug in its data must not stop
    the reminders of the others. A provider that cannot be imported is a configuration error (a misspelt name, a
    module removed) and stops the listing with ImproperlyConfigured naming it: it is never skipped in silence.
    """
    items: list[DueItem] = []
    for name in configured_providers() if providers is None else providers:
        try:
            module = importlib.import_module(name)
        except ImportError as exc:
            raise ImproperlyConfigured(f"reminder provider {name} cannot be imported: {exc}") from exc
        try:
            if unit_ids is None:
                items.extend(module.due_items(on))
            elif "unit_ids" in inspect.signature(module.due_items).parameters:
                items.extend(module.due_items(on, unit_ids=unit_ids))
            else:
                items.extend(item for item in module.due_items(on) if item.unit_id in unit_ids)
        except Exception:
            logger.exception("Reminder provider %s skipped: it failed while listing its due items", name)
    return sorted(items, key=lambda item: (item.due, item.unit_id, item.key))
