import datetime as dt

import pytest

from cchc.reminders.obligations import DueItem
from cchc.reminders.tests import provider
from cchc.units.models import Unit


@pytest.fixture
def items(settings):
    """The list the test provider yields (the only provider configured)."""
    settings.CCHC_REMINDER_PROVIDERS = ["cchc.reminders.tests.provider"]
    provider.ITEMS.clear()
    yield provider.ITEMS
    provider.ITEMS.clear()


@pytest.fixture
def due_item():
    """due_item("593", "report:2023-Q1", dt.date(2023, 3, 10)) → a DueItem of that unit (by code)."""

    def make(unit_code: str, key: str, due: dt.date, done: bool = False, kind: str = "report", title: str = ""):
        unit = Unit.objects.filter(code=unit_code).order_by("-valid_from").first()
        return DueItem(
            key=f"{key}:{unit_code}",
            unit_id=unit.pk,
            kind=kind,
            title=title or f"Báo cáo {key}",
            due=due,
            url=f"/reports/{unit_code}/",
            done=done,
        )

    return make
