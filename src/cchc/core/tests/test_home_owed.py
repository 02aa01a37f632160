"""The start page tells a unit's people what their unit still owes, most urgent first."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_a_unit_sees_what_it_owes_on_the_start_page(plan_2023, make_account, client, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: dt.date(2023, 1, 24))
    client.force_login(make_account("593", "editor"))
    html = client.get(reverse("home")).content.decode()
    panel = html[html.index('id="my-unit-owes"') :]
    assert 'data-key="agencyplan:2023:593"' in panel and "31/01/2023" in panel
    assert "còn 7 ngày" in panel
    assert "agencyplan:2023:594" not in panel, "another unit's obligations are not shown"


def test_nothing_owed_says_so(plan_2023, make_account, client, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: dt.date(2024, 6, 1))  # no 2024 plan: nothing due
    client.force_login(make_account("593", "editor"))
    html = client.get(reverse("home")).content.decode()
    assert 'id="my-unit-owes"' in html and 'data-key="' not in html


def test_an_account_without_a_unit_has_no_such_panel(plan_2023, officer_client):
    assert 'id="my-unit-owes"' not in officer_client.get(reverse("home")).content.decode()
