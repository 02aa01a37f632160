"""The unit page is kept in the page cache (cchc.core.pagecache): fresh right after an import and its refresh or a
recompute, and never one viewer's page for another."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from cchc.conftest import grant_role
from cchc.dossiers.models import Procedure
from cchc.dossiers.tests.test_import_dossiers import write_csv
from cchc.indicators.compute import recompute
from cchc.indicators.tests.test_recompute import dossier, procedure  # noqa: F401  (fixture)
from cchc.units.models import Unit

COMMUNE = reverse("indicators:unit", args=["22915", "2023"])


def accepted(html: str) -> int:
    """The count of dossiers accepted in the period, under the page's title."""
    return int(re.search(r"<hgroup>.*?· (\d+) hồ sơ tiếp nhận", html, re.S)[1])


@pytest.mark.django_db(transaction=True)  # real commits, as between an import and the next request
def test_an_import_and_its_refresh_show_on_the_page_at_once(plan_2023, officer_client, tmp_path):
    Procedure.objects.create(code="1.000001", name="Đăng ký khai sinh", sector_name="Hộ tịch")
    call_command("import_dossiers", str(write_csv(tmp_path / "a.csv", [{"MaHoSo": "HS-1"}])))
    assert accepted(officer_client.get(COMMUNE).content.decode()) == 1
    assert accepted(officer_client.get(COMMUNE).content.decode()) == 1  # now from the cache
    call_command("import_dossiers", str(write_csv(tmp_path / "b.csv", [{"MaHoSo": "HS-2"}, {"MaHoSo": "HS-3"}])))
    assert accepted(officer_client.get(COMMUNE).content.decode()) == 3


def test_a_recompute_shows_on_the_page_at_once(plan_2023, procedure, officer_client):  # noqa: F811
    commune = Unit.objects.get(code="22915")
    dossier("A", commune, procedure)
    recompute(2023)
    assert accepted(officer_client.get(COMMUNE).content.decode()) == 1
    dossier("B", commune, procedure)
    assert accepted(officer_client.get(COMMUNE).content.decode()) == 1  # not recomputed yet: the stored figures
    recompute(2023)
    assert accepted(officer_client.get(COMMUNE).content.decode()) == 2


@pytest.mark.parametrize("first", ["province", "other commune"])
def test_the_dossier_links_follow_each_viewer(plan_2023, procedure, client, django_user_model, first):  # noqa: F811
    """The figures are everyone's; the dossiers behind them only their units' and the province's readers'."""
    dossier("A", Unit.objects.get(code="22915"), procedure)
    recompute(2023)
    province = django_user_model.objects.create_user("reader")
    grant_role(province, "leader", "60")
    other = django_user_model.objects.create_user("elsewhere")
    grant_role(other, "editor", "22918")
    viewers = [province, other] if first == "province" else [other, province]
    pages = {}
    for user in viewers:
        client.force_login(user)
        pages[user] = client.get(COMMUNE).content.decode()
    assert "/indicators/22915/2023/dossiers/" in pages[province]
    assert "/dossiers/" not in pages[other]
    assert accepted(pages[province]) == accepted(pages[other]) == 1
