"""Issue 14: who may see a link may follow it. A crawler walks, for each role, every page it can reach from its start
page by following the links drawn for it (anchors and HTMX requests), and every link must answer 200 for that
account, after redirects, without sending it to the login. A link to a page that answers 403 or 404 for the account
that sees it is a defect of the page that draws it.

The world is the access table's (three units seen from Phan Thiết, objects in every state, the 2023 plan), built
once per test database and written back for each role from its snapshot (`WORLD` in test_access_table.py). To stay
fast the walk follows, on each kind of page, at most a few links of each kind (route and query keys): the same
template drawn for another object draws the same links.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django.urls import Resolver404, resolve, reverse

from cchc.accounts.tests.test_access_table import world  # noqa: F401  (the shared fixture)

LINK = re.compile(r"""(?:href|hx-get)=["']([^"'#][^"']*)["']""")
# Not followed: files and language switching; Django's admin (its own links, tested by Django); the API's JSON
# (its links are data for programs; the API documentation page itself is followed).
SKIP = ("/static/", "/media/", "/i18n/", "/admin/")
PER_KIND = 2  # links followed per kind of link on a kind of page (route and query keys)
PAGES_PER_ROLE = 1500


def kind_of(url: str) -> tuple[str, frozenset[str]] | None:
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return ("?", frozenset())  # a link to nowhere is followed (and fails)
    return (match.view_name, frozenset(k for k, _v in parse_qsl(parts.query)))


def crawl(client, start: list[str]) -> tuple[list[str], int]:
    """Breadth-first from the start pages; returns the broken links (with the page that drew them) and the count of
    pages fetched."""
    queue = deque((url, "(start)") for url in start)
    followed: Counter = Counter()
    visited: set[str] = set()
    broken: list[str] = []
    while queue and len(visited) < PAGES_PER_ROLE:
        url, source = queue.popleft()
        if url in visited:
            continue
        visited.add(url)
        response = client.get(url, follow=True)
        final = response.request["PATH_INFO"]
        if response.status_code != 200 or final == reverse("login") and url != reverse("login"):
            broken.append(f"{url} → {response.status_code} {final} (linked from {source})")
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        body = response.content.decode()
        for href in LINK.findall(body):
            href = href.replace("&amp;", "&")
            if href.startswith(("mailto:", "tel:", "javascript:", "data:")):
                continue
            target = urljoin(url, href)
            parts = urlsplit(target)
            if parts.netloc and parts.netloc != "testserver":
                continue  # outside the site (legal documents, the national portal)
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if path.startswith(SKIP) or (path.startswith("/api/") and not path.startswith("/api/docs")):
                continue
            kind = (kind_of(url), kind_of(path))  # a kind of link on a kind of page
            if path in visited or followed[kind] >= PER_KIND:
                continue
            followed[kind] += 1
            queue.append((path, url))
    return broken, len(visited)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anon", "admin", "leader", "monitor", "editor", "head", "officer", "commune"])
def test_every_link_drawn_for_a_role_answers_for_it(world, client, role):  # noqa: F811
    users, _objects, _shared = world
    client.raise_request_exception = False
    if users[role] is None:
        start = [reverse("login"), reverse("public:published")]
    else:
        client.force_login(users[role])
        start = [reverse("home")]
    broken, pages = crawl(client, start)
    assert pages > (2 if role == "anon" else 40), f"the walk reached only {pages} pages"
    assert not broken, f"{len(broken)} links answer an error for {role}:\n" + "\n".join(broken)
