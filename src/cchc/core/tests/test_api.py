"""The plan and units through the REST API, with the OpenAPI schema."""

from django.urls import reverse
from rest_framework.test import APIClient

from cchc.accounts.models import ApiToken


def test_anonymous_api_requests_are_refused(plan_2023, client):
    assert client.get("/api/targets/").status_code in (401, 403)


def test_token_authentication_lists_targets_with_thresholds(plan_2023, officer):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {ApiToken.issue(officer)[1]}")
    data = api.get("/api/targets/", {"year": 2023, "area": 2}).json()
    assert data["count"] == 11
    first = data["results"][0]
    assert first["code"] == "2.1" and first["thresholds"][2] == {
        "level": "C",
        "op": ">=",
        "value": 60.0,
        "unit": "percent",
    }


def test_tasks_filter_by_agency_code(plan_2023, officer_client):
    data = officer_client.get("/api/tasks/", {"year": 2023, "agency": "SYT"}).json()
    codes = [t["code"] for t in data["results"]]
    assert "T3.7" in codes and "T6.5" not in codes
    assert data["results"][0]["effective_status"] in {"not_started", "in_progress", "done", "overdue"}


def test_units_filter_by_kind_and_date(plan_2023, officer_client):
    data = officer_client.get("/api/units/", {"kind": "district", "date": "2023-06-30"}).json()
    assert data["count"] == 10
    assert officer_client.get("/api/units/", {"date": "2023-13-40"}).status_code == 400


def test_openapi_schema_describes_the_endpoints(plan_2023, officer_client):
    response = officer_client.get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/units/", "/api/plans/", "/api/targets/", "/api/tasks/", "/api/areas/"} <= set(paths)


def test_the_openapi_schema_is_valid_and_generates_without_warnings(db, tmp_path):
    """Every app's endpoints are described without name collisions or guessed types (drf-spectacular's own check)."""
    from django.core.management import call_command

    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    for path in ("/api/reports/", "/api/agency-plans/", "/api/task-progress/", "/api/notices/", "/api/dashboard/"):
        assert f"  {path}:" in text, path
