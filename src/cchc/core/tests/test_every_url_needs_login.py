"""No page or endpoint leaks to an anonymous visitor: every URL the project routes is walked, not a hand-kept list.

A new view that forgets its login check fails here. The only public URLs are listed, with the reason.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC = {
    "login",  # the way in
    "logout",
    "set_language",  # choosing the language before logging in
    "api-schema",  # the API's description, not its data (the endpoints themselves need a token)
    "api-docs",
    "api-token",  # exchanges a password for a token (throttled)
    "api-root",  # DRF's index of endpoint links
    "published",  # the public page (cchc.public): published aggregates only, tested for privacy in its app
    "published-year",
    "healthz",  # database reachable, worker seen, jobs waiting: counts only, for the load balancer and systemd
}
SAMPLE = {"int": "1", "str": "x", "slug": "x", "path": "x"}


def walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin" or entry.app_name == "admin":
                continue  # Django's admin has its own login (tested by Django)
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name or ''}", prefix + str(entry.pattern)


def concrete(route: str) -> str | None:
    """A URL for a route: <int:pk> → 1, <str:x> → x; the regex routes of DRF's router get 1 for each group."""
    if "(?P<format>" in route:
        return None  # the same views as the plain routes, with a format suffix
    url = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route).replace("^", "").replace("$", "")
    url = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE.get(m.group(1) or "str", "1"), url)
    if any(c in url for c in "()[]*+?\\"):
        return None
    return "/" + url


def routes():
    found = []
    for name, route in walk(get_resolver().url_patterns):
        if name.split(":")[-1] in PUBLIC or route.startswith(("static/", "media/", "i18n/")):
            continue
        url = concrete(route)
        if url:
            found.append((name, url))
    return sorted(set(found))


@pytest.mark.django_db
def test_every_routed_url_refuses_an_anonymous_visitor(plan_2023, client):
    checked = routes()
    assert len(checked) > 40, "the walk must find the project's pages and endpoints"
    leaks = []
    for name, url in checked:
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            redirected_to_login = response.status_code == 302 and "/login/" in response.get("Location", "")
            if not (redirected_to_login or response.status_code in (401, 403, 404, 405)):
                leaks.append(f"{method.upper()} {url} ({name}) → {response.status_code}")
    assert not leaks, "\n".join(leaks)
