"""The task progress and evidence API: scoped like the pages; editors of the unit PATCH the status."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from cchc.progress.models import Evidence, TaskProgress
from cchc.units.models import Unit

pytestmark = pytest.mark.django_db


def api(user=None):
    client = APIClient()
    if user:
        client.force_authenticate(user)
    return client


@pytest.fixture
def rows(stp_task):
    stp, district = Unit.objects.get(code="STP"), Unit.objects.get(code="593")
    return (
        TaskProgress.objects.create(task=stp_task, unit=stp, status="in_progress"),
        TaskProgress.objects.create(task=stp_task, unit=district, status="done", completed_on=stp_task.due),
    )


def test_anonymous_gets_401_or_403(rows):
    assert api().get("/api/task-progress/").status_code in (401, 403)
    assert api().patch(f"/api/task-progress/{rows[0].pk}/", {"status": "done"}).status_code in (401, 403)
    assert api().get("/api/evidence/").status_code in (401, 403)


def test_each_unit_sees_its_own_rows_and_the_province_all(rows, make_account):
    data = api(make_account("STP", "editor")).get("/api/task-progress/").json()
    assert [row["unit_code"] for row in data["results"]] == ["STP"]
    assert api(make_account("593", "editor")).get(f"/api/task-progress/{rows[0].pk}/").status_code == 404
    assert api(make_account("60", "leader")).get("/api/task-progress/").json()["count"] == 2


def test_filters_including_overdue(rows, stp_task, make_account):
    leader = api(make_account("60", "leader"))
    assert leader.get("/api/task-progress/?unit=593").json()["count"] == 1
    assert leader.get(f"/api/task-progress/?task={stp_task.code}&year=2023").json()["count"] == 2
    # the tests run after 2023: STP's unfinished row is overdue, the district's is done
    overdue = leader.get("/api/task-progress/?status=overdue").json()["results"]
    assert [(row["unit_code"], row["effective_status"]) for row in overdue] == [("STP", "overdue")]
    assert leader.get("/api/task-progress/?status=in_progress").json()["count"] == 0


def test_editors_patch_their_units_row(rows, make_account):
    url = f"/api/task-progress/{rows[0].pk}/"
    editor = api(make_account("STP", "editor"))
    response = editor.patch(url, {"status": "done"}, format="json")
    assert response.status_code == 400 and "completed_on" in response.json()
    response = editor.patch(url, {"status": "done", "completed_on": "2023-04-02"}, format="json")
    assert response.status_code == 200
    assert response.json()["effective_status"] == "done"
    rows[0].refresh_from_db()
    assert rows[0].completed_on == dt.date(2023, 4, 2)
    response = editor.patch(url, {"status": "in_progress"}, format="json")
    assert response.json()["completed_on"] is None


def test_others_cannot_patch(rows, make_account):
    url = f"/api/task-progress/{rows[0].pk}/"
    assert api(make_account("60", "leader")).patch(url, {"status": "done"}, format="json").status_code == 403
    assert api(make_account("593", "editor")).patch(url, {"status": "done"}, format="json").status_code == 404
    assert api(make_account("STP", "editor")).put(url, {"status": "done"}, format="json").status_code == 405


def test_evidence_metadata_with_a_scoped_download_link(rows, make_account):
    Evidence.objects.create(
        progress=rows[0], file="evidence/x.pdf", original_name="a.pdf", kind="pdf", size=3, sha256="0" * 64
    )
    data = api(make_account("STP", "editor")).get("/api/evidence/").json()
    assert data["count"] == 1
    assert data["results"][0]["download_url"].endswith(f"/progress/evidence/{data['results'][0]['id']}/")
    assert "file" not in data["results"][0]
    assert api(make_account("593", "editor")).get("/api/evidence/").json()["count"] == 0
