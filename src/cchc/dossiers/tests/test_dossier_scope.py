"""Issue 13 (High): dossiers and the dossier lists behind figures follow the unit scope: a unit sees its own and its
children's, the province and leaders see all; before, GET /api/dossiers/ gave every account the whole province."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from cchc.dossiers.models import Dossier, Procedure
from cchc.units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossiers(plan_2023):
    cache.clear()  # the drill-down caches its lists per figure version; these dossiers are added without a recompute
    procedure = Procedure.objects.create(code="1.000001", name="Cấp giấy phép", at_commune=True, at_district=True)
    accepted = timezone.make_aware(dt.datetime(2023, 3, 1, 9))
    made = {}
    for code in ("593", "22915", "594"):  # Phan Thiết, its ward Mũi Né, La Gi
        made[code] = Dossier.objects.create(
            code=f"HS-{code}",
            procedure=procedure,
            unit=Unit.objects.filter(code=code).latest("valid_from"),
            status=Dossier.Status.IN_PROGRESS,
            accepted_at=accepted,
            due_at=accepted + dt.timedelta(days=5),
        )
    return made


def listed(user) -> set[str]:
    api = APIClient()
    api.force_authenticate(user)
    response = api.get("/api/dossiers/", {"limit": 50})
    assert response.status_code == 200
    return {row["code"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    "unit, role, expected",
    [
        ("22915", "editor", {"HS-22915"}),
        ("593", "editor", {"HS-593", "HS-22915"}),
        ("593", "district_officer", {"HS-593", "HS-22915"}),
        ("594", "head", {"HS-594"}),
        ("STP", "monitor", set()),
        ("VPUBND", "leader", {"HS-593", "HS-22915", "HS-594"}),
        ("SNV", "administrator", {"HS-593", "HS-22915", "HS-594"}),
    ],
)
def test_the_dossier_api_lists_the_units_own_and_childrens_dossiers(dossiers, make_account, unit, role, expected):
    assert listed(make_account(unit, role)) == expected


def test_another_units_dossier_is_a_404(dossiers, make_account):
    api = APIClient()
    api.force_authenticate(make_account("22915", "editor"))
    assert api.get("/api/dossiers/HS-594/").status_code == 404
    assert api.get("/api/dossiers/HS-22915/").status_code == 200


@pytest.mark.parametrize(
    "unit, role, code, status",
    [
        ("22915", "editor", "594", 404),
        ("22915", "editor", "593", 404),
        ("22915", "editor", "22915", 200),
        ("593", "editor", "22915", 200),
        ("594", "editor", "594", 200),
        ("VPUBND", "leader", "594", 200),
    ],
)
def test_dossier_lists_behind_figures_follow_the_scope(dossiers, make_account, client, unit, role, code, status):
    client.force_login(make_account(unit, role))
    for params in ({}, {"format": "xlsx"}):
        assert client.get(f"/indicators/{code}/2023/dossiers/", params).status_code == status
