"""An account sees its unit and role, and gets an API token that the API then accepts."""

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cchc.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def test_the_account_page_shows_unit_role_and_scope(plan_2023, make_account, client):
    client.force_login(make_account("593", "district_officer"))
    html = client.get(reverse("account")).content.decode()
    assert "Thành phố Phan Thiết" in html and 'data-role="district_officer"' in html
    assert "xã mà đơn vị xem xét" in html or "communes it reviews" in html


def created_key(response) -> str:
    text = " ".join(str(m) for m in response.context["messages"]) if response.context else ""
    found = re.search(r"\b([0-9a-f]{40})\b", text)
    assert found, text
    return found.group(1)


def test_tokens_are_created_listed_revoked_and_used_by_the_api(plan_2023, make_account, client):
    user = make_account("593", "editor")
    client.force_login(user)
    first = created_key(client.post(reverse("account"), {"name": "một cửa"}, follow=True))
    second = created_key(client.post(reverse("account"), {"name": "báo cáo"}, follow=True))
    assert first != second
    html = client.get(reverse("account")).content.decode()
    assert "một cửa" in html and first[:8] in html and first not in html, "listed by name and prefix, key not shown"
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert api.get("/api/plans/").status_code == 200
    client.post(reverse("account"), {"revoke": ApiToken.objects.get(prefix=first[:8]).pk})
    assert api.get("/api/plans/").status_code == 401, "the revoked token no longer works"
    api.credentials(HTTP_AUTHORIZATION=f"Token {second}")
    assert api.get("/api/plans/").status_code == 200


def test_another_accounts_token_cannot_be_revoked(plan_2023, make_account, client):
    token, key = ApiToken.issue(make_account("594", "editor"))
    client.force_login(make_account("593", "editor"))
    assert client.post(reverse("account"), {"revoke": token.pk}).status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_a_token_is_obtained_with_username_and_password(plan_2023, make_account):
    user = make_account("593", "editor")
    api = APIClient()
    response = api.post("/api/token/", {"username": user.username, "password": f"{user.username}-pass-2023"})
    assert response.status_code == 200
    assert ApiToken.objects.get(user=user).digest == ApiToken.digest_of(response.json()["token"])
    assert api.post("/api/token/", {"username": user.username, "password": "wrong"}).status_code == 400


def test_anonymous_gets_the_login_page_not_the_account(client):
    response = client.get(reverse("account"))
    assert response.status_code == 302 and "/login/" in response["Location"]
