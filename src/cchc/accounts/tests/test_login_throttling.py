"""Repeated wrong passwords lock the account on that address for a while (django-axes), through the real page."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse


@pytest.fixture
def accounts(plan_2023, make_account):
    return make_account("593", "editor"), make_account("594", "editor")


def log_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_five_wrong_passwords_lock_the_account_until_reset(accounts, client, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for attempt in range(4):
        response = log_in(client, "editor-593", f"wrong-{attempt}")
        assert response.status_code == 200 and not response.wsgi_request.user.is_authenticated
    # The fifth failure reaches the limit: axes answers with its lockout page from now on.
    assert log_in(client, "editor-593", "wrong-4").status_code == 429

    locked = log_in(client, "editor-593", "editor-593-pass-2023")
    assert locked.status_code == 429  # "Too Many Requests", even with the right password
    assert "registration/locked_out.html" in [template.name for template in locked.templates]
    assert "_auth_user_id" not in client.session

    other = Client()
    response = log_in(other, "editor-594", "editor-594-pass-2023")
    assert response.status_code == 302 and "_auth_user_id" in other.session  # another account is not affected

    call_command("axes_reset", stdout=StringIO())
    response = log_in(client, "editor-593", "editor-593-pass-2023")
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_the_lockout_counts_per_account_and_address(accounts, client):
    for attempt in range(5):
        log_in(client, "editor-593", f"wrong-{attempt}")
    elsewhere = Client(REMOTE_ADDR="127.0.0.2")
    response = log_in(elsewhere, "editor-593", "editor-593-pass-2023")
    assert response.status_code == 302  # the same account from another address still logs in


def test_the_login_page_needs_the_csrf_token(accounts):
    strict = Client(enforce_csrf_checks=True)
    assert log_in(strict, "editor-593", "editor-593-pass-2023").status_code == 403
    page = strict.get(reverse("login"))
    token = page.cookies["csrftoken"].value
    response = strict.post(
        reverse("login"),
        {"username": "editor-593", "password": "editor-593-pass-2023", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
