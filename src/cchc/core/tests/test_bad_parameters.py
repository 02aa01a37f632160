"""Issue 13 (Low): a bad query parameter (a year that is not a number, a page that is not a page, a NUL byte) gives
400 or the default, never a 500 — on every routed page and endpoint, walked from the URL configuration."""

import pytest

from cchc.core.tests.test_every_url_needs_login import routes

JUNK = "abc\x00'\""
PARAMS = [
    "year", "page", "period", "unit", "kind", "status", "on", "sort", "level", "metric", "part", "object_id",
    "date_from", "date_to", "overdue", "limit", "offset", "district", "q", "actor", "content_type", "action",
    "workflow", "area", "task", "code", "procedure", "accepted_from", "format",
]  # fmt: skip


@pytest.mark.django_db
def test_no_route_answers_500_to_bad_parameters(plan_2023, make_account, client):
    client.force_login(make_account("SNV", "administrator"))
    client.raise_request_exception = False
    crashes = []
    for name, url in routes() + [("progress", "/progress/"), ("indicators", "/indicators/60/2023/")]:
        for params in ({key: JUNK for key in PARAMS}, {key: "abc" for key in PARAMS}):
            response = client.get(url, params)
            if response.status_code >= 500:
                crashes.append(f"GET {url} ({name}) → {response.status_code}")
    assert not crashes, "\n".join(sorted(set(crashes)))


@pytest.mark.django_db
def test_progress_with_a_year_that_is_not_a_number(plan_2023, make_account, client):
    client.force_login(make_account("593", "editor"))
    assert client.get("/progress/", {"year": "abc"}).status_code in (200, 400)
    assert client.get("/progress/monitor/", {"year": "abc"}).status_code in (200, 400, 403)
