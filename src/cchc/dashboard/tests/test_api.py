"""GET /api/dashboard/: the dashboard's rows as JSON, in the OpenAPI schema, for logged-in accounts only."""

import pytest
from django.core.management import call_command

from cchc.dashboard.tests.data import ROUTED, store
from cchc.units.models import Unit

URL = "/api/dashboard/"


@pytest.fixture
def api(client, make_account, plan_2023):
    store(Unit.objects.get(code="60"), ROUTED, "P", [80] * 12)
    store(Unit.objects.get(code="593"), ROUTED, "D", [40, 38, 36, 34, 32, 30, 28, 26, 24, 22, 20, 18])
    client.force_login(make_account("60", "leader"))
    return client


def test_the_same_rows_as_the_page(api):
    data = api.get(URL, {"year": 2023}).json()
    assert data["unit"] == "60" and data["period"] == "2023" and data["year_complete"] is True
    assert len(data["rows"]) == 27
    routed = next(r for r in data["rows"] if r["code"] == "2.1")
    cell = next(c for c in routed["cells"] if c["level"] == "P")
    assert cell["value"] == 80.0 and cell["threshold"] == 70.0 and cell["status"] == "met"
    assert cell["source"] == "dossiers" and cell["link"].startswith("/indicators/60/2023/dossiers/")
    assert cell["projection"]["outcome"] == "will_meet" and len(cell["trend"]) == 12
    assert {r["unit"] for r in data["at_risk"]} == {"593"}


def test_filters_by_unit_period_and_level(api):
    data = api.get(URL, {"unit": "593", "period": "2023Q2", "level": "D"}).json()
    assert data["unit"] == "593" and data["months_elapsed"] == 6 and data["level"] == "D"
    routed = next(r for r in data["rows"] if r["code"] == "2.1")
    assert [c["level"] for c in routed["cells"]] == ["D"]
    assert routed["cells"][0]["projection"]["outcome"] == "will_miss" and routed["status"] == "at_risk"


def test_bad_filters_are_400_and_an_unknown_unit_404(api):
    response = api.get(URL, {"period": "2023Q9"})
    assert response.status_code == 400 and "period" in str(response.json())
    assert api.get(URL, {"level": "Z"}).status_code == 400
    assert api.get(URL, {"year": 2023, "period": "2022"}).status_code == 400
    assert api.get(URL, {"unit": "999"}).status_code == 404


def test_anonymous_is_401(client, plan_2023):
    assert client.get(URL).status_code == 401


def test_in_the_openapi_schema(tmp_path, db):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(out), "--validate")
    text = out.read_text()
    assert "/api/dashboard/:" in text and "Dashboard" in text and "at_risk" in text
