"""/api/notices/ (own notices only, mark read) and /api/owed/ (scoped), in the OpenAPI schema."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from cchc.reminders.tests.factories import notice
from cchc.units.models import Unit


def test_notices_are_the_accounts_own(plan_2023, make_account, client):
    editor, other = make_account("593", "editor"), make_account("594", "editor")
    mine = notice(editor, Unit.objects.get(code="593"))
    theirs = notice(other, Unit.objects.get(code="594"))
    client.force_login(editor)
    data = client.get("/api/notices/").json()
    assert [n["id"] for n in data["results"]] == [mine.pk]
    assert data["results"][0]["unit"] == "593" and data["results"][0]["is_read"] is False
    assert client.get(f"/api/notices/{theirs.pk}/").status_code == 404
    assert client.post(f"/api/notices/{theirs.pk}/read/").status_code == 404
    response = client.post(f"/api/notices/{mine.pk}/read/")
    assert response.status_code == 200 and response.json()["is_read"] is True


def test_notices_cannot_be_written_through_the_api(plan_2023, make_account, client):
    editor = make_account("593", "editor")
    mine = notice(editor, Unit.objects.get(code="593"))
    client.force_login(editor)
    assert client.delete(f"/api/notices/{mine.pk}/").status_code == 405
    assert client.post("/api/notices/", {}).status_code == 405


def test_anonymous_is_refused(client, db):
    assert client.get("/api/notices/").status_code in (401, 403)
    assert client.get("/api/owed/").status_code in (401, 403)


def test_owed_is_scoped(plan_2023, items, due_item, make_account, client):
    today = timezone.localdate()
    items += [
        due_item("593", "report:Q1", today - dt.timedelta(days=2)),
        due_item("22915", "report:Q1", today + dt.timedelta(days=4)),
        due_item("594", "report:Q1", today),
    ]
    client.force_login(make_account("593", "district_officer"))
    data = client.get("/api/owed/").json()
    assert [(row["unit"]["code"], row["days_late"], row["overdue"]) for row in data] == [
        ("593", 2, True),
        ("22915", 0, False),
    ]
    assert [row["key"] for row in client.get("/api/owed/", {"overdue": "1"}).json()] == ["report:Q1:593"]
    client.force_login(make_account("594", "editor"))
    assert [row["unit"]["code"] for row in client.get("/api/owed/").json()] == ["594"]


def test_the_schema_has_the_endpoints(plan_2023, officer_client):
    paths = officer_client.get(reverse("api-schema"), {"format": "json"}).json()["paths"]
    assert {"/api/notices/", "/api/notices/{id}/read/", "/api/owed/"} <= set(paths)
