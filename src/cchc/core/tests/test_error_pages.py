"""Issue 14: error pages are the site's own — styled, in Vietnamese, with a way back — and the API menu is drawn only
for accounts that use the API (administrators and holders of a token); the others reach the documentation from their
account page."""

import re

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

from cchc.accounts.models import ApiToken


def nav(html: str) -> str:
    return re.search(r"<header class=\"site\">.*?</header>", html, re.S).group(0)


@pytest.mark.django_db
def test_a_missing_page_answers_in_the_sites_layout_with_a_way_back(plan_2023, make_account, client):
    client.force_login(make_account("593", "editor"))
    response = client.get("/khong-co-trang-nay/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy trang" in html and "Lỗi 404" in html
    assert 'class="site"' in html  # the menu: the official carries on from here
    assert f'href="{reverse("home")}" role="button">Về trang đầu' in html


@pytest.mark.django_db
def test_a_forbidden_page_says_who_to_ask(plan_2023, make_account, client):
    client.force_login(make_account("593", "editor"))
    response = client.get(reverse("accounts:list"))
    html = response.content.decode()
    assert response.status_code == 403
    assert "Không được phép" in html and "quản trị viên của Sở Nội vụ" in html
    assert "Về trang đầu" in html


@pytest.mark.django_db
def test_an_expired_form_is_explained_not_a_bare_csrf_error(plan_2023):
    response = Client(enforce_csrf_checks=True).post(reverse("login"), {"username": "a", "password": "b"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hiệu lực" in html and "CSRF verification failed" not in html
    assert "Đăng nhập" in html  # anonymous: the way back is the login


def test_the_server_error_page_renders_without_the_database_or_a_request_context():
    with translation.override("vi"):
        response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Lỗi máy chủ" in html and "không bị lưu dở dang" in html
    assert "pico.min.css" in html  # styled from the package, no CDN


@pytest.mark.django_db
def test_the_api_menu_is_for_those_who_use_the_api(plan_2023, make_account, client):
    editor = make_account("593", "editor")
    client.force_login(editor)
    docs = reverse("api-docs")
    assert docs not in nav(client.get(reverse("home")).content.decode())
    assert docs in client.get(reverse("account")).content.decode()  # found where tokens are made

    ApiToken.issue(editor, "Hệ thống một cửa")
    assert docs in nav(client.get(reverse("home")).content.decode())

    client.force_login(make_account("SNV", "administrator"))
    assert docs in nav(client.get(reverse("home")).content.decode())


@pytest.mark.django_db
def test_the_api_documentation_is_inside_the_sites_layout(plan_2023, make_account, client):
    client.force_login(make_account("SNV", "administrator"))
    html = client.get(reverse("api-docs")).content.decode()
    assert 'class="site"' in html and "Tài liệu API" in html
    assert 'id="swagger-ui"' in html
    assert "cdn" not in html.lower()
