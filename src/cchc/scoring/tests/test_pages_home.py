"""/scoring/ sends each account where its work is: its unit's sheet, the council's worklist, or the ranking."""
# ruff: noqa: F811 — the fixtures are imported from tests/pages.py (no conftest of its own in this app)

import pytest

from cchc.scoring.models import Assessment
from cchc.scoring.tests.pages import district_set  # noqa: F401
from cchc.units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("unit", "role", "target"),
    [
        ("593", "editor", "/scoring/2023/593/"),
        ("593", "head", "/scoring/2023/593/"),
        ("SNV", "administrator", "/scoring/2023/council/"),
        ("593", "district_officer", "/scoring/2023/council/"),
        ("60", "leader", "/scoring/2023/ranking/"),
    ],
)
def test_home_goes_where_the_work_is(client, district_set, make_account, unit, role, target):
    client.force_login(make_account(unit, role))
    assert client.get("/scoring/").url == target


def test_units_that_are_not_scored_and_years_without_a_set_have_no_sheet(client, district_set, make_account):
    client.force_login(make_account("60", "editor"))
    assert client.get("/scoring/2023/60/").status_code == 404  # the province itself is not in the index
    client.force_login(make_account("593", "editor"))
    assert client.get("/scoring/2019/593/").status_code == 404
    assert client.get("/scoring/2023/NOPE/").status_code == 404


def test_no_sheet_opens_on_a_draft_set(client, district_set, make_account):
    district_set.status = "draft"
    district_set.save()
    client.force_login(make_account("593", "editor"))
    response = client.get("/scoring/2023/593/")
    assert response.status_code == 404
    assert 'id="sheet-closed"' in response.content.decode()
    response = client.post("/scoring/2023/593/act/", {"action": "open"})
    assert response.status_code == 400 and 'id="sheet-closed"' in response.content.decode()
    assert not Assessment.objects.exists()


def test_a_unit_gone_in_the_latest_year_is_sent_to_its_last_sheet(client, district_set, make_account):
    from cchc.scoring.models import CriteriaSet

    CriteriaSet.objects.create(year=2026, kind="commune", name="Bộ tiêu chí cấp xã 2026", status="draft")
    CriteriaSet.objects.create(year=2026, kind="district", name="Bộ tiêu chí cấp huyện 2026", status="draft")
    Unit.objects.filter(code="593").update(valid_to="2025-06-30")  # no district level after the reorganisation
    client.force_login(make_account("593", "editor"))
    assert client.get("/scoring/").url == "/scoring/2023/593/"
