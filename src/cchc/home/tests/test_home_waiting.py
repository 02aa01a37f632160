"""The start page tells each account what waits for it, most urgent first: its unit's obligations (of every year,
not only the current one), what was handed to it to sign, submitted to it to review, returned to it to correct."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def panel(client) -> str:
    html = client.get(reverse("home")).content.decode()
    return html[html.index('id="waiting"') : html.index("</article>", html.index('id="waiting"'))]


def test_a_unit_sees_what_it_owes_on_the_start_page(plan_2023, make_account, client, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: dt.date(2023, 1, 24))
    client.force_login(make_account("593", "editor"))
    waiting = panel(client)
    assert 'data-key="agencyplan:2023:593"' in waiting and "31/01/2023" in waiting
    assert "còn 7 ngày" in waiting
    assert "agencyplan:2023:594" not in waiting, "another unit's obligations are not shown"


def test_what_a_past_year_left_undone_is_still_waiting(plan_2023, make_account, client, monkeypatch):
    # No 2024 plan: the 2023 agency plan never sent is still owed, and late, not "nothing due".
    monkeypatch.setattr(timezone, "localdate", lambda *args: dt.date(2024, 6, 1))
    client.force_login(make_account("593", "editor"))
    waiting = panel(client)
    assert 'data-key="agencyplan:2023:593"' in waiting and "31/01/2023" in waiting
    assert "trễ 487 ngày" in waiting
    assert 'id="nothing-waiting"' not in waiting


def test_the_oldest_deadline_comes_first(plan_2023, make_account, client, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: dt.date(2024, 6, 1))
    client.force_login(make_account("593", "editor"))
    response = client.get(reverse("home"))
    dues = [w.due for w in response.context["waiting"]]
    assert dues and dues == sorted(dues)


def test_an_account_with_nothing_to_do_is_told_so(plan_2023, make_account, client):
    client.force_login(make_account("VPUBND", "leader"))
    assert 'id="nothing-waiting"' in panel(client)
