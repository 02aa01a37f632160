import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cchc.plans.models import Plan


def test_copying_a_plan_makes_a_draft_for_the_next_year(plan_2023):
    call_command("copy_plan", "--from", "2023", "--to", "2024", stdout=StringIO())
    draft = Plan.objects.get(year=2024)
    assert draft.status == Plan.Status.DRAFT and draft.copied_from == plan_2023
    assert draft.title == "Kế hoạch Cải cách hành chính nhà nước năm 2024 tỉnh Bình Thuận"
    assert draft.agency_plan_deadline == dt.date(2024, 1, 31)
    assert draft.targets.count() == 27 and draft.tasks.count() == 48 and draft.areas.count() == 7
    assert draft.targets.get(code="2.1").deadline == dt.date(2024, 12, 31)
    assert draft.targets.get(code="2.1").thresholds.get(level="C").value == 60
    assert draft.targets.get(code="2.1").thresholds.get(level="D").value == 70  # 2024 still has districts
    # a 2025 goal stays a 2025 goal
    assert draft.targets.get(code="3.1a").deadline == dt.date(2025, 12, 31)
    assert draft.targets.get(code="3.1a").baseline_year == 2021
    assert draft.tasks.get(code="T1.1").agencies.count() == 29
    # the source plan is untouched
    assert plan_2023.targets.get(code="2.1").deadline == dt.date(2023, 12, 31)


def test_copying_onto_an_existing_year_is_refused(plan_2023):
    call_command("copy_plan", "--from", "2023", "--to", "2024", stdout=StringIO())
    with pytest.raises(CommandError, match="--to: a plan for 2024 already exists"):
        call_command("copy_plan", "--from", "2023", "--to", "2024")
