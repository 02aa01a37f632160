"""What each unit owes, scoped: the whole province, a district with its communes, or one's own unit."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone


@pytest.fixture
def owed_items(plan_2023, items, due_item):
    today = timezone.localdate()
    items += [
        due_item("593", "report:Q1", today - dt.timedelta(days=3)),  # late
        due_item("593", "task:45", today + dt.timedelta(days=5), kind="task"),
        due_item("593", "agencyplan", today - dt.timedelta(days=10), done=True),  # done: not owed
        due_item("22915", "report:Q1", today + dt.timedelta(days=2)),  # a commune of 593
        due_item("594", "report:Q1", today - dt.timedelta(days=1)),  # another district
        due_item("SNV", "report:Q1", today),
    ]
    return items


def owed_codes(client) -> dict[str, list[str]]:
    response = client.get(reverse("reminders:owed"))
    assert response.status_code == 200
    return {unit.code: [row.item.key for row in rows] for unit, rows in response.context["groups"]}


@pytest.mark.parametrize("unit_code, role", [("SNV", "administrator"), ("60", "leader")])
def test_administrators_and_leaders_see_every_unit(owed_items, make_account, client, unit_code, role):
    client.force_login(make_account(unit_code, role))
    codes = owed_codes(client)
    assert list(codes) == ["SNV", "593", "594", "22915"]  # departments, districts, communes
    assert codes["593"] == ["report:Q1:593", "task:45:593"]  # the done plan is not owed


def test_a_district_officer_sees_its_district_and_communes(owed_items, make_account, client):
    client.force_login(make_account("593", "district_officer"))
    assert set(owed_codes(client)) == {"593", "22915"}


def test_an_editor_sees_its_own_unit(owed_items, make_account, client):
    client.force_login(make_account("22915", "editor"))
    assert set(owed_codes(client)) == {"22915"}


def test_overdue_rows_are_highlighted_with_days_late(owed_items, make_account, client):
    client.force_login(make_account("593", "head"))
    html = client.get(reverse("reminders:owed")).content.decode()
    assert 'class="overdue"' in html and "trễ 3 ngày" in html and "còn 5 ngày" in html
    response = client.get(reverse("reminders:owed"), {"overdue": "1"})
    assert [row.item.key for _u, rows in response.context["groups"] for row in rows] == ["report:Q1:593"]
