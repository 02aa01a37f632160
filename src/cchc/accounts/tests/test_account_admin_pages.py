"""The province administrator creates and changes the accounts of the units; nobody else may."""

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.urls import reverse

from cchc.accounts.models import Membership
from cchc.units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["editor", "head", "leader", "monitor", "district_officer"])
def test_only_the_administrator_manages_accounts(plan_2023, make_account, client, role):
    client.force_login(make_account("593" if role != "monitor" else "STP", role))
    assert client.get(reverse("accounts:list")).status_code == 403
    response = client.post(reverse("accounts:create"), {"username": "x", "unit": 1, "role": "administrator"})
    assert response.status_code == 403
    assert not get_user_model().objects.filter(username="x").exists()


def test_the_administrator_creates_an_account_and_the_change_is_audited(plan_2023, make_account, client):
    admin = make_account("SNV", "administrator")
    client.force_login(admin)
    unit = Unit.objects.get(code="22915")
    data = {"username": "muine.ketoan", "email": "kt@muine.vn", "unit": unit.pk, "role": "editor", "is_active": "on"}
    assert client.post(reverse("accounts:create"), data).status_code == 302
    membership = Membership.objects.get(user__username="muine.ketoan")
    assert membership.unit == unit and not membership.user.has_usable_password(), "set by its owner, by link"
    html = client.get(reverse("accounts:list"), {"q": "muine"}).content.decode()
    assert 'data-username="muine.ketoan"' in html
    response = client.post(reverse("accounts:edit", args=[membership.pk]), {**data, "role": "head"})
    assert response.status_code == 302, response.context["form"].errors
    membership.refresh_from_db()
    assert membership.role == "head"
    entry = LogEntry.objects.get_for_object(membership).filter(action=LogEntry.Action.UPDATE).latest("timestamp")
    assert entry.actor == admin and entry.changes_dict["role"] == ["editor", "head"]


def test_bad_input_is_named_field_by_field(plan_2023, make_account, client):
    client.force_login(make_account("SNV", "administrator"))
    make_account("593", "editor", username="taken")
    response = client.post(
        reverse("accounts:create"),
        {"username": "taken", "email": "not-an-email", "unit": 999999, "role": "king"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"username", "email", "unit", "role"}
    assert 'id="error-username"' in response.content.decode()
