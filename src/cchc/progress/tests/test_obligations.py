import datetime as dt

import pytest

from cchc.progress.models import TaskProgress
from cchc.progress.obligations import due_items
from cchc.units.models import Unit

pytestmark = pytest.mark.django_db


def test_tasks_due_within_two_weeks_or_late_and_not_done(plan_2023, stp_task):
    on = stp_task.due - dt.timedelta(days=14)
    items = {item.key: item for item in due_items(on)}
    key = f"task:{stp_task.pk}:STP"
    assert key in items
    item = items[key]
    assert (item.kind, item.due, item.done) == ("task", stp_task.due, False)
    assert item.url == f"/progress/2023/{stp_task.code}/STP/"
    assert all(i.due <= on + dt.timedelta(days=14) for i in items.values())
    assert f"task:{stp_task.pk}:STP" not in {i.key for i in due_items(stp_task.due - dt.timedelta(days=15))}

    TaskProgress.objects.create(task=stp_task, unit=Unit.objects.get(code="STP"), status="done", completed_on=on)
    assert key not in {i.key for i in due_items(on)}


def test_communes_are_owed_by_their_district_only(plan_2023):
    district, commune = Unit.objects.get(code="593"), Unit.objects.get(code="22915")
    task = plan_2023.tasks.exclude(agencies=district).order_by("due").first()
    task.agencies.add(commune)
    keys = {item.key for item in due_items(task.due)}
    assert f"task:{task.pk}:593" in keys
    assert not any(key.endswith(":22915") for key in keys)
    units = {item.unit_id for item in due_items(dt.date(2023, 12, 31))}
    assert not Unit.objects.filter(pk__in=units, kind="commune").exists()


def test_the_count_is_bounded_by_tasks_times_units(plan_2023):
    items = due_items(dt.date(2023, 12, 31))
    assert len(items) == len({item.key for item in items})
    assert len(items) <= plan_2023.tasks.count() * Unit.objects.filter(kind__in=["department", "district"]).count()


def test_no_items_without_a_plan_for_the_year(plan_2023):
    assert due_items(dt.date(2031, 6, 1)) == []
