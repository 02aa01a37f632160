"""What units owe: one report per period, by their level's deadline, listed from 14 days before it."""

import datetime as dt

import pytest

from cchc.reminders.obligations import due_items as all_due_items
from cchc.reports.obligations import due_items
from cchc.reports.tests.conftest import complete_report
from cchc.units.models import Unit

pytestmark = pytest.mark.django_db
D = dt.date


def by_key(items):
    return {item.key: item for item in items}


def test_nothing_is_owed_more_than_14_days_before_the_first_deadline(periods_2023):
    assert due_items(D(2023, 2, 28)) == []  # communes and departments owe Q1 on 15/03: 15 days ahead


def test_communes_and_departments_are_owed_first_then_districts(periods_2023):
    # Nobody is due before the data cut-off (14/03); districts collect their communes' reports first.
    items = by_key(due_items(D(2023, 3, 1)))
    assert "report:2023-Q1:22915" in items and "report:2023-Q1:593" not in items
    item = items["report:2023-Q1:22915"]
    assert (item.kind, item.due, item.done, item.title) == ("report", D(2023, 3, 15), False, "Báo cáo CCHC Quý I/2023")
    assert items["report:2023-Q1:SNV"].due == D(2023, 3, 15)
    items = by_key(due_items(D(2023, 3, 3)))
    assert items["report:2023-Q1:593"].due == D(2023, 3, 17)
    assert "report:2023-Q1:TTHCC" not in items and "report:2023-Q1:60" not in items  # not scored / the province
    units = Unit.objects.valid_on(D(2023, 3, 14)).filter(is_scored=True, kind__in=["department", "district", "commune"])
    assert len([key for key in items if key.startswith("report:2023-Q1:")]) == units.count()


def test_submitted_reports_are_done_and_late_ones_stay_owed(periods_2023):
    submitted = complete_report("593", periods_2023["Q1"])
    submitted.status = "submitted"
    submitted.save()
    returned = complete_report("594", periods_2023["Q1"])
    returned.status = "returned"
    returned.save()
    items = by_key(due_items(D(2023, 4, 2)))  # after the deadline
    assert items["report:2023-Q1:593"].done is True
    assert items["report:2023-Q1:593"].url == submitted.get_absolute_url()
    assert items["report:2023-Q1:594"].done is False
    assert items["report:2023-Q1:595"].done is False and items["report:2023-Q1:595"].url.startswith(
        "/reports/?year=2023"
    )
    assert "report:2023-H1:593" not in items


def test_the_reminders_collect_the_reports(periods_2023):
    keys = {item.key for item in all_due_items(D(2023, 3, 3), providers=["cchc.reports.obligations"])}
    assert "report:2023-Q1:593" in keys
