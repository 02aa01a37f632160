"""An account sees its unit and role, and gets an API token that the API then accepts."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_the_account_page_shows_unit_role_and_scope(plan_2023, make_account, client):
    client.force_login(make_account("593", "district_officer"))
    html = client.get(reverse("account")).content.decode()
    assert "Thành phố Phan Thiết" in html and 'data-role="district_officer"' in html
    assert "xã mà đơn vị xem xét" in html or "communes it reviews" in html


def test_a_token_is_created_replaced_and_used_by_the_api(plan_2023, make_account, client):
    user = make_account("593", "editor")
    client.force_login(user)
    client.post(reverse("account"))
    first = Token.objects.get(user=user).key
    client.post(reverse("account"))
    second = Token.objects.get(user=user).key
    assert first != second
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert api.get("/api/plans/").status_code == 401, "the replaced token no longer works"
    api.credentials(HTTP_AUTHORIZATION=f"Token {second}")
    assert api.get("/api/plans/").status_code == 200


def test_a_token_is_obtained_with_username_and_password(plan_2023, make_account):
    user = make_account("593", "editor")
    api = APIClient()
    response = api.post("/api/token/", {"username": user.username, "password": f"{user.username}-pass-2023"})
    assert response.status_code == 200 and response.json()["token"] == Token.objects.get(user=user).key
    assert api.post("/api/token/", {"username": user.username, "password": "wrong"}).status_code == 400


def test_anonymous_gets_the_login_page_not_the_account(client):
    response = client.get(reverse("account"))
    assert response.status_code == 302 and "/login/" in response["Location"]
