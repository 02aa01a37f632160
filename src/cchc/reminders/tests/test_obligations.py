"""A provider that fails is skipped with its error logged, the others still count; one that cannot be imported is a
configuration error, never skipped in silence."""

import datetime as dt
import importlib
import sys
import types

import pytest
from django.core.exceptions import ImproperlyConfigured

from cchc.reminders.obligations import PROVIDERS, DueItem, due_items


def test_a_provider_that_cannot_be_imported_is_a_configuration_error(items, settings):
    items.append(DueItem("k:1", 1, "report", "Báo cáo", dt.date(2023, 3, 10), "/r/1/", False))
    assert [i.key for i in due_items(dt.date(2023, 3, 1))] == ["k:1"]
    settings.CCHC_REMINDER_PROVIDERS = ["cchc.reminders.tests.provider", "cchc.reminders.tests.not_written_yet"]
    with pytest.raises(ImproperlyConfigured, match="cchc.reminders.tests.not_written_yet"):
        due_items(dt.date(2023, 3, 1))


def test_every_shipped_provider_can_be_imported():
    for name in PROVIDERS:
        assert callable(importlib.import_module(name).due_items), name


def test_a_failing_provider_does_not_stop_the_others(monkeypatch, caplog):
    broken = types.ModuleType("broken_provider")

    def fail(on):
        raise RuntimeError("bug in a provider")

    broken.due_items = fail
    monkeypatch.setitem(sys.modules, "broken_provider", broken)
    good = types.ModuleType("good_provider")
    good.due_items = lambda on: [
        DueItem("b", 2, "task", "B", dt.date(2023, 3, 9), "/b/", False),
        DueItem("a", 1, "task", "A", dt.date(2023, 3, 9), "/a/", False),
    ]
    monkeypatch.setitem(sys.modules, "good_provider", good)
    found = due_items(dt.date(2023, 3, 1), providers=["broken_provider", "good_provider"])
    assert [i.key for i in found] == ["a", "b"]  # by due date, then unit
    assert "bug in a provider" in caplog.text
