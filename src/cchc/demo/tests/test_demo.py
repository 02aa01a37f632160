"""The README's main command prepares a database a newcomer can log into as each kind of user."""

from io import StringIO

import pytest
from django.core.management import call_command

from cchc.accounts.models import Membership, Role

pytestmark = pytest.mark.django_db


def test_the_demo_prepares_one_account_per_role_with_the_printed_password(client, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    out = StringIO()
    call_command("demo", no_serve=True, dossiers=0, stdout=out)
    password = out.getvalue().split("password: ")[1].split()[0]
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    response = client.post("/login/", {"username": "phanthiet.bientap", "password": password})
    assert response.status_code == 302
    assert Membership.objects.get(user__username="muine.lanhdao").unit.code == "22915"
    call_command("demo", no_serve=True, dossiers=0, stdout=StringIO())  # a second run only resets passwords
    assert Membership.objects.count() == len(set(Membership.objects.values_list("user", flat=True)))
