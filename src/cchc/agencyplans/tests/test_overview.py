"""The province's overview: who has submitted, on time or late, and who is late without a plan."""

import datetime as dt

import pytest

from cchc.agencyplans.models import AgencyPlan
from cchc.agencyplans.services import create_draft, issuing_units, overview, overview_row, unit_for_year
from cchc.core import clock
from cchc.review.services import apply

pytestmark = pytest.mark.django_db


def test_days_late_count_from_today_until_a_submission():
    due = dt.date(2023, 1, 31)
    assert overview_row(None, None, due, dt.date(2023, 1, 31)).days_late == 0
    late = overview_row(None, None, due, dt.date(2023, 2, 10))
    assert late.days_late == 10 and late.is_late and late.status == "not_submitted"


def test_submissions_are_recorded_on_time_or_late(plan_2023, signed_plan, make_account):
    plan_2023.agency_plan_deadline = dt.date.today() + dt.timedelta(days=3)
    plan_2023.save()
    apply(signed_plan, "submit", make_account("STP", "head"))
    assert signed_plan.on_time is True
    late_plan = create_draft(plan_2023, unit_for_year("593", 2023))
    plan_2023.agency_plan_deadline = dt.date.today() - dt.timedelta(days=1)
    plan_2023.save()
    late_plan.plan.refresh_from_db()
    apply(late_plan, "submit", make_account("593", "head"))
    assert late_plan.on_time is False


def test_the_overview_lists_every_department_and_district_with_the_late_ones(
    client, plan_2023, signed_plan, make_account, monkeypatch
):
    apply(signed_plan, "submit", make_account("STP", "head"))
    create_draft(plan_2023, unit_for_year("SKHDT", 2023))  # a draft: not submitted to the province
    monkeypatch.setattr(clock, "today", lambda: dt.date(2023, 2, 10))
    client.force_login(make_account("SNV", "administrator"))
    response = client.get("/agency-plans/2023/")
    assert response.status_code == 200
    rows = {row.unit.code: row for row in response.context["rows"]}
    assert set(rows) == set(issuing_units(2023).values_list("code", flat=True))
    assert "TTHCC" not in rows
    assert rows["STP"].status == "submitted" and rows["STP"].submitted_at is not None
    assert rows["SKHDT"].status == "not_submitted" and rows["SKHDT"].days_late == 10
    assert rows["593"].days_late == 10
    html = response.content.decode()
    assert "10 days late" in html

    late = client.get("/agency-plans/2023/?status=late").context["rows"]
    # STP submitted after 31/01/2023 (the test runs later): late too, and shown as such rather than by days
    assert {row.unit.code for row in late} == set(rows)
    assert rows["STP"].on_time is False and rows["STP"].days_late == 0
    districts = client.get("/agency-plans/2023/?kind=district").context["rows"]
    assert {row.unit.kind for row in districts} == {"district"}
    submitted = client.get("/agency-plans/2023/?status=submitted").context["rows"]
    assert [row.unit.code for row in submitted] == ["STP"]


def test_before_the_deadline_nobody_is_late(client, plan_2023, make_account, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: dt.date(2023, 1, 31))
    client.force_login(make_account("60", "leader"))
    rows = client.get("/agency-plans/2023/").context["rows"]
    assert rows and not any(row.days_late for row in rows)


def test_a_unit_sees_only_itself_in_the_overview_with_its_draft(plan_2023, make_account):
    create_draft(plan_2023, unit_for_year("STP", 2023))
    rows = overview(plan_2023, make_account("STP", "editor"), dt.date(2023, 1, 10))
    assert [(row.unit.code, row.status) for row in rows] == [("STP", "draft")]


def test_editors_go_to_their_plan_and_the_province_to_the_overview(client, plan_2023, make_account):
    client.force_login(make_account("593", "head"))
    assert client.get("/agency-plans/").url == "/agency-plans/2023/593/"
    client.force_login(make_account("SNV", "administrator"))
    assert client.get("/agency-plans/").url == "/agency-plans/2023/"
    client.force_login(make_account("22915", "editor"))
    assert client.get("/agency-plans/").url == "/agency-plans/2023/"
    assert client.get("/agency-plans/2023/").context["rows"] == []


def test_a_returned_plan_keeps_its_first_submission_for_the_province(
    client, plan_2023, signed_plan, make_account, monkeypatch
):
    plan_2023.agency_plan_deadline = dt.date.today() + dt.timedelta(days=5)
    plan_2023.save()
    signed_plan.plan.refresh_from_db()
    admin = make_account("SNV", "administrator")
    apply(signed_plan, "submit", make_account("STP", "head"))
    apply(signed_plan, "return", admin, "Bổ sung thời hạn")
    monkeypatch.setattr(clock, "today", lambda: dt.date.today() + dt.timedelta(days=30))
    client.force_login(admin)
    response = client.get("/agency-plans/2023/?status=returned")
    [row] = response.context["rows"]
    assert (row.unit.code, row.on_time, row.days_late, row.link) == ("STP", True, 0, True)
    assert 'href="/agency-plans/2023/STP/"' in response.content.decode()  # its reviewer follows the returned plan
    assert client.get("/agency-plans/2023/STP/").status_code == 200


def test_the_overview_query_count_does_not_grow_with_units(
    client, plan_2023, make_account, django_assert_max_num_queries
):
    admin = make_account("SNV", "administrator")
    for code in ("STP", "593", "594", "SKHDT"):
        create_draft(plan_2023, unit_for_year(code, 2023))
    AgencyPlan.objects.update(status="submitted")
    client.force_login(admin)
    with django_assert_max_num_queries(12):
        response = client.get("/agency-plans/2023/")
    assert response.content.decode().count('href="/agency-plans/2023/') == 4
