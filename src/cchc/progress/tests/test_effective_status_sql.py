"""The effective status computed in SQL agrees with the rule, the unit's own planned date included."""

import datetime as dt

import pytest

from cchc.agencyplans.services import create_draft
from cchc.progress.models import TaskProgress
from cchc.units.models import Unit

pytestmark = pytest.mark.django_db


def test_sql_filter_matches_the_rule(plan_2023, stp_task):
    stp, district = Unit.objects.get(code="STP"), Unit.objects.get(code="593")
    other = Unit.objects.get(code="594")
    late = TaskProgress.objects.create(task=stp_task, unit=stp, status="in_progress")
    done = TaskProgress.objects.create(task=stp_task, unit=district, status="done", completed_on=stp_task.due)
    fresh = TaskProgress.objects.create(task=stp_task, unit=other, status="not_started")
    after = stp_task.due + dt.timedelta(days=1)
    assert set(TaskProgress.objects.effective("overdue", after)) == {late, fresh}
    assert set(TaskProgress.objects.effective("done", after)) == {done}
    assert set(TaskProgress.objects.effective("in_progress", stp_task.due)) == {late}
    for row in TaskProgress.objects.with_effective_status(after):
        assert row.effective_status == TaskProgress.objects.get(pk=row.pk).status_on(after)


def test_a_submitted_agency_plan_moves_the_units_deadline(plan_2023, stp_task):
    stp = Unit.objects.get(code="STP")
    row = TaskProgress.objects.create(task=stp_task, unit=stp, status="in_progress")
    agency_plan = create_draft(plan_2023, stp)
    later = stp_task.due + dt.timedelta(days=30)
    agency_plan.lines.filter(task=stp_task).update(due=later)
    on = stp_task.due + dt.timedelta(days=1)
    assert list(TaskProgress.objects.effective("overdue", on)) == [row]  # a draft does not count
    agency_plan.status = "submitted"
    agency_plan.save()
    assert list(TaskProgress.objects.effective("overdue", on)) == []
    assert row.due_for_unit() == later and row.status_on(on) == "in_progress"
