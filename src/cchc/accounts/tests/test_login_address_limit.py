"""Issue 13 (Low): besides the lockout per username and address, one address cannot try a password on every account:
LOGIN_ADDRESS_FAILURE_LIMIT failures from one address, whatever the usernames, lock that address out."""

import pytest
from django.test import Client
from django.urls import reverse


@pytest.mark.django_db
def test_one_address_trying_many_accounts_is_locked_out(plan_2023, make_account, client, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    users = [make_account("593", "editor", username=f"user{i}") for i in range(4)]
    for user in users:  # two wrong passwords each: below the per-account limit of 5
        for attempt in range(2):
            client.post(reverse("login"), {"username": user.username, "password": f"wrong-{attempt}"})
    right = client.post(reverse("login"), {"username": "user3", "password": "user3-pass-2023"})
    assert right.status_code == 429 and "_auth_user_id" not in client.session
    other = Client(REMOTE_ADDR="10.0.0.9")  # another address is not affected
    response = other.post(reverse("login"), {"username": "user3", "password": "user3-pass-2023"})
    assert response.status_code == 302 and "_auth_user_id" in other.session
