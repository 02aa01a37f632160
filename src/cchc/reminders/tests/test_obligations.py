"""Providers that are missing or broken are skipped with a warning; the others still count."""

import datetime as dt
import logging
import sys
import types

from cchc.reminders.obligations import DueItem, due_items


def test_a_missing_provider_is_skipped_with_a_warning(items, caplog):
    items.append(DueItem("k:1", 1, "report", "Báo cáo", dt.date(2023, 3, 10), "/r/1/", False))
    with caplog.at_level(logging.WARNING, logger="cchc.reminders.obligations"):
        found = due_items(dt.date(2023, 3, 1))
    assert [i.key for i in found] == ["k:1"]
    assert "cchc.reminders.tests.not_written_yet" in caplog.text


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
