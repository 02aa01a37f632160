"""POST /api/documents/ starts a generation; GET follows the job. Province-wide accounts only."""

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api():
    return APIClient()


def test_a_leader_starts_a_generation_and_follows_it(q1_2023, make_account, api):
    api.force_authenticate(make_account("VPUBND", "leader"))
    response = api.post(
        "/api/documents/",
        {"kind": "report", "year": 2023, "period": "Q1", "number_symbol": "25/BC-UBND", "recipients": ["Bộ Nội vụ"]},
        format="json",
    )
    assert response.status_code == 202
    job_id = response.json()["id"]
    status = api.get(f"/api/documents/{job_id}/").json()
    assert status["status"] == "done" and status["title"] == "bao-cao-cchc-q1-2023.docx"
    assert status["download"].endswith(f"/documents/jobs/{job_id}/download/")
    assert api.get("/api/documents/").json()["results"][0]["id"] == job_id


def test_unknown_period_is_a_400_naming_the_field(q1_2023, make_account, api):
    api.force_authenticate(make_account("SNV", "administrator"))
    response = api.post("/api/documents/", {"kind": "report", "year": 2019, "period": "Q1"}, format="json")
    assert response.status_code == 400 and "period" in response.json()
    response = api.post("/api/documents/", {"kind": "poster", "year": 2023, "period": "Q1"}, format="json")
    assert response.status_code == 400 and "kind" in response.json()


def test_an_editor_gets_403(q1_2023, make_account, api):
    api.force_authenticate(make_account("593", "editor"))
    assert api.post("/api/documents/", {"kind": "report", "year": 2023, "period": "Q1"}).status_code == 403
    assert api.get("/api/documents/").status_code == 403


def test_anonymous_gets_401(q1_2023, api):
    assert api.get("/api/documents/").status_code == 401
