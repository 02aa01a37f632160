"""The dashboard's queries do not grow with the number of units."""

from django.urls import reverse

from cchc.dashboard.tests.data import ROUTED, store
from cchc.units.models import Unit, UnitKind


def test_queries_are_constant_in_the_number_of_units(plan_2023, client, make_account, django_assert_max_num_queries):
    client.force_login(make_account("60", "leader"))
    units = list(Unit.objects.filter(kind__in=[UnitKind.DEPARTMENT, UnitKind.DISTRICT]))
    assert len(units) == 30
    for unit in units:
        store(unit, ROUTED, "P" if unit.kind == UnitKind.DEPARTMENT else "D", [60] * 12)
    store(Unit.objects.get(code="60"), ROUTED, "all", [60] * 12)
    # 18 for dossiers and reports, plus the entries, the surveys and the agency plans (2) of the other sources, and
    # whether the account holds an API token (the menu), and the data version the board is then kept under (a second
    # view reads it from the cache: test_dashboard_cache.py).
    with django_assert_max_num_queries(24):
        response = client.get(reverse("dashboard:home"), {"period": "2023Q2"})
    assert response.status_code == 200
    assert response.content.decode().count('<td><a href="?unit=') == 15  # the at-risk list, capped
