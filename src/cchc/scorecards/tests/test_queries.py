"""Cards built from the database: the unit's level, its tasks, reports and plan, peers, and a fixed query count."""

import datetime as dt

from django.utils import timezone

from cchc.agencyplans.models import AgencyPlan
from cchc.progress.models import TaskProgress
from cchc.reports.models import Report
from cchc.scorecards import rules
from cchc.scorecards.queries import build_cards, card_for, peers
from cchc.scorecards.tests.conftest import ON, unit
from cchc.units.models import UnitKind


def at(day: dt.date):
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, 9, 0))


def test_peers_are_scored_units_of_one_kind(plan_2023):
    departments = {u.code for u in peers(UnitKind.DEPARTMENT, 2023)}
    districts = {u.code for u in peers(UnitKind.DISTRICT, 2023)}
    assert {"SNV", "STP"} <= departments and "TTHCC" not in departments  # TTHCC is not scored
    assert {"593", "594"} <= districts and not departments & districts
    communes = peers(UnitKind.COMMUNE, 2023, unit("593"))
    assert communes and all(u.parent_id == unit("593").pk for u in communes)
    assert "22915" in {u.code for u in communes}
    assert peers(UnitKind.COMMUNE, 2023) == []  # communes are compared within their district only


def test_targets_are_judged_at_the_units_own_level(figures):
    cards = {k.code: k for k in build_cards([unit("593"), unit("594"), unit("STP")], 2023, ON)}
    routed = {code: next(t for t in k.targets if t.code == "2.1") for code, k in cards.items()}
    assert routed["593"].value == 80.0 and routed["593"].threshold == 70 and routed["593"].met is True
    assert routed["594"].value == 50.0 and routed["594"].met is False
    assert routed["STP"].value == 90.0 and routed["STP"].met is True
    assert cards["593"].score > cards["594"].score  # all on time against half
    assert cards["593"].rank < cards["594"].rank


def test_tasks_reports_and_agency_plan(periods_2023):
    district = unit("593")
    task = plan_2023_task_of(district)
    TaskProgress.objects.create(task=task, unit=district, status="done", completed_on=dt.date(2023, 3, 1))
    q1, h1 = periods_2023["Q1"], periods_2023["H1"]
    Report.objects.create(
        unit=district, period=q1, status="accepted", first_submitted_at=at(q1.due_district), on_time=True
    )
    Report.objects.create(unit=district, period=h1, status="draft")  # never submitted, deadline passed
    AgencyPlan.objects.create(
        plan=task.plan, unit=district, status="submitted", first_submitted_at=at(dt.date(2023, 2, 5)), on_time=False
    )
    k = card_for(district, 2023, ON)
    assert k.tasks.done >= 1 and k.tasks.total >= k.tasks.done
    statuses = {r.key: r.status for r in k.reports}
    assert statuses == {"Q1": rules.ON_TIME, "H1": rules.NOT_SUBMITTED, "Q3": rules.NOT_DUE, "Y": rules.NOT_DUE}
    assert k.agency_plan.status == rules.LATE
    assert k.on_time_share == 100 / 3  # Q1 on time; H1 missing; the plan late
    assert k.rank is not None


def plan_2023_task_of(district):
    from cchc.plans.assignment import tasks_for_unit
    from cchc.plans.models import Plan

    return tasks_for_unit(district, Plan.objects.get(year=2023)).first()


def test_a_district_carries_its_communes_tasks(plan_2023):
    from cchc.plans.assignment import tasks_for_unit

    district = unit("593")
    k = build_cards([district], 2023, ON)[0]
    assert k.tasks.total == tasks_for_unit(district, plan_2023).count()


def test_query_count_does_not_grow_with_the_number_of_units(figures, periods_2023, django_assert_max_num_queries):
    few = peers(UnitKind.DISTRICT, 2023)[:2]
    many = peers(UnitKind.DISTRICT, 2023) + peers(UnitKind.DEPARTMENT, 2023)
    assert len(many) > 20
    with django_assert_max_num_queries(12):
        build_cards(few, 2023, ON)
    with django_assert_max_num_queries(12):
        build_cards(many, 2023, ON)
