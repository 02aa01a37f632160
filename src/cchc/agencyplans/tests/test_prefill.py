import pytest

from cchc.agencyplans.models import AgencyPlan
from cchc.agencyplans.services import create_draft, unit_for_year

pytestmark = pytest.mark.django_db


def test_a_new_draft_lists_the_province_tasks_assigned_to_the_unit_with_their_due_dates(plan_2023):
    stp = unit_for_year("STP", 2023)
    agency_plan = create_draft(plan_2023, stp)
    items = list(agency_plan.lines.select_related("task"))
    expected = list(plan_2023.tasks.filter(agencies=stp).order_by("order"))
    assert [item.task for item in items] == expected
    assert all(item.text == item.task.text and item.due == item.task.due for item in items)
    assert not any(item.is_own for item in items)
    assert agency_plan.status == "draft"
    assert "2023" in agency_plan.title


def test_a_district_plan_includes_the_tasks_of_its_communes(plan_2023):
    district, commune = unit_for_year("593", 2023), None
    from cchc.units.models import Unit

    commune = Unit.objects.get(code="22915")
    task = plan_2023.tasks.exclude(agencies=district).first()
    task.agencies.add(commune)
    agency_plan = create_draft(plan_2023, district)
    assert agency_plan.lines.filter(task=task).exists()


def test_opening_twice_keeps_one_plan(plan_2023):
    stp = unit_for_year("STP", 2023)
    first = create_draft(plan_2023, stp)
    first.lines.first().delete()
    count = first.lines.count()
    assert create_draft(plan_2023, stp) == first
    assert first.lines.count() == count
    assert AgencyPlan.objects.count() == 1


def test_the_one_stop_centre_does_not_issue_a_plan(plan_2023):
    assert unit_for_year("TTHCC", 2023) is None
    assert unit_for_year("22915", 2023) is None  # communes neither
