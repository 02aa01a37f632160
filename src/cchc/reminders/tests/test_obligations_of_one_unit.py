"""The start page asks for one unit's obligations: each provider, told the unit, lists exactly what it lists for that
unit when asked for every unit (a commune's tasks included, owed by its district)."""

import datetime as dt

import pytest

from cchc.reminders.obligations import PROVIDERS, due_items
from cchc.reports.tests.conftest import periods_2023  # noqa: F401 - fixture
from cchc.units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("on", [dt.date(2023, 1, 24), dt.date(2023, 12, 31)])
def test_each_provider_filtered_by_unit_lists_the_same_items(periods_2023, on):  # noqa: F811
    everything = due_items(on)
    assert everything, "the 2023 plan owes something on that day"
    for code in ("593", "STP", "SNV", "22915"):
        unit = Unit.objects.filter(code=code).order_by("valid_from").first()
        for provider in PROVIDERS:
            expected = {i.key for i in due_items(on, [provider]) if i.unit_id == unit.pk}
            assert {i.key for i in due_items(on, [provider], unit_ids={unit.pk})} == expected, (provider, code)
    if on.month == 12:  # by the year's end the district owes tasks (its communes' among them)
        assert any(i.kind == "task" for i in due_items(on, unit_ids={Unit.objects.get(code="593").pk}))
