"""The reports API: scoped like the pages, validated the same way, moved on by the same workflow."""

import pytest
from rest_framework.test import APIClient

from cchc.reports.models import Report
from cchc.reports.tests.conftest import complete_report, unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def as_user(api, user):
    api.force_authenticate(user)
    return api


def url(report, action=""):
    return f"/api/reports/{report.pk}/" + (f"{action}/" if action else "")


def test_the_list_is_scoped_and_drafts_are_private(api, q1, accounts):
    draft = complete_report("593", q1)
    submitted = complete_report("594", q1)
    submitted.status = "submitted"
    submitted.save()
    own = as_user(api, accounts["editor"]).get("/api/reports/").json()["results"]
    assert [row["id"] for row in own] == [draft.pk]
    assert own[0]["figures"]["legal_docs_issued"] == "12" and own[0]["period"]["kind"] == "Q1"
    assert own[0]["due"] == str(q1.due_district)
    province = as_user(api, accounts["snv"]).get("/api/reports/").json()["results"]
    assert [row["id"] for row in province] == [submitted.pk]
    assert as_user(api, accounts["other_editor"]).get(url(draft)).status_code == 404


def test_editors_patch_the_narrative_and_figures_and_bad_figures_are_400(api, q1, accounts):
    report = Report.objects.create(unit=unit("593"), period=q1)
    as_user(api, accounts["editor"])
    response = api.patch(url(report), {"steering": "Chỉ đạo.", "figures": {"legal_docs_issued": 5}}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["figures"] == {"legal_docs_issued": "5"} and response.json()["steering"] == "Chỉ đạo."
    response = api.patch(
        url(report),
        {"figures": {"inspections_total": 5, "inspections_digital": 6, "work_files_online": 101}},
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()["figures"]
    assert "từ 0 đến 100" in errors["work_files_online"][0]
    assert dict(report.figures.values_list("code", "value")) == {"legal_docs_issued": 5}
    # A cross-check that fails does not stop the draft from being saved: it is reported, and stops the hand-over.
    response = api.patch(url(report), {"figures": {"inspections_total": 5, "inspections_digital": 6}}, format="json")
    assert response.status_code == 200
    assert "không được lớn hơn" in response.json()["checks"]["inspections_digital"][0]
    assert dict(report.figures.values_list("code", "value"))["inspections_digital"] == 6
    response = api.post(url(report, "send"))
    assert response.status_code == 400 and "inspections_digital" in response.json()["figures"]
    api.patch(url(report), {"figures": {"inspections_digital": None, "inspections_total": None}}, format="json")
    response = api.patch(url(report), {"figures": {"legal_docs_issued": None}}, format="json")
    assert response.json()["figures"] == {}


def test_who_may_not_write(api, q1, accounts):
    report = complete_report("593", q1)
    body = {"steering": "x"}
    assert as_user(api, accounts["other_editor"]).patch(url(report), body, format="json").status_code == 404
    report.status = "submitted"
    report.save()
    assert as_user(api, accounts["leader"]).patch(url(report), body, format="json").status_code == 403
    assert as_user(api, accounts["editor"]).patch(url(report), body, format="json").status_code == 403
    assert as_user(api, accounts["editor"]).put(url(report), body, format="json").status_code == 405


def test_the_workflow_through_the_api(api, q1, accounts):
    report = complete_report("593", q1)
    assert as_user(api, accounts["editor"]).post(url(report, "submit")).status_code == 403
    assert as_user(api, accounts["editor"]).post(url(report, "send")).status_code == 200
    response = as_user(api, accounts["head"]).post(url(report, "submit"))
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    assert response.json()["on_time"] is True and response.json()["task_snapshot"]
    assert as_user(api, accounts["head"]).post(url(report, "accept")).status_code == 403
    assert as_user(api, accounts["leader"]).post(url(report, "accept")).status_code == 403
    as_user(api, accounts["snv"])
    assert api.post(url(report, "return"), {"comment": ""}, format="json").status_code == 400
    response = api.post(url(report, "return"), {"comment": "Thiếu số liệu."}, format="json")
    assert response.json()["status"] == "returned" and response.json()["review_comment"] == "Thiếu số liệu."
    assert as_user(api, accounts["head"]).post(url(report, "submit")).json()["status"] == "submitted"
    assert as_user(api, accounts["snv"]).post(url(report, "accept")).json()["status"] == "accepted"
    for user in ("editor", "head", "snv"):
        assert as_user(api, accounts[user]).patch(url(report), {"steering": "x"}, format="json").status_code == 403
    assert as_user(api, accounts["head"]).post(url(report, "submit")).status_code == 409
    report.refresh_from_db()
    assert report.status == "accepted" and report.steering != "x"


def test_an_incomplete_report_cannot_be_submitted(api, q1, accounts):
    report = Report.objects.create(unit=unit("593"), period=q1, steering="x")
    response = as_user(api, accounts["head"]).post(url(report, "submit"))
    assert response.status_code == 400
    assert "psu_total" in response.json()["figures"] and "results" in response.json()["figures"]
    report.refresh_from_db()
    assert report.status == "draft"


def test_report_periods_are_read_only(api, periods_2023, accounts):
    as_user(api, accounts["leader"])
    rows = api.get("/api/report-periods/", {"year": 2023}).json()["results"]
    assert [(row["kind"], row["ministry_due"]) for row in rows] == [
        ("Q1", "2023-03-20"),
        ("H1", "2023-06-20"),
        ("Q3", "2023-09-20"),
        ("Y", "2023-12-20"),
    ]
    assert api.post("/api/report-periods/", {}).status_code == 405


def test_the_endpoints_are_in_the_openapi_schema(api, officer):
    schema = as_user(api, officer).get("/api/schema/", {"format": "json"}).json()
    for path in (
        "/api/reports/",
        "/api/reports/{id}/",
        "/api/reports/{id}/submit/",
        "/api/reports/{id}/accept/",
        "/api/reports/{id}/return/",
        "/api/report-periods/",
    ):
        assert path in schema["paths"], path
    assert "patch" in schema["paths"]["/api/reports/{id}/"]
