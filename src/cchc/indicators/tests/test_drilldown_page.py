"""The dossier list page: every page of a long list, in the engine's order, filtered once and then served from
the cache until the figures are recomputed."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from cchc.conftest import grant_role
from cchc.dossiers.models import Dossier
from cchc.indicators import drilldown
from cchc.indicators.compute import recompute
from cchc.indicators.tests.test_drilldown_same_rows import generated  # noqa: F401  (fixture)
from cchc.units.models import Unit

QUERY = {"metric": "PROCESSING_ON_TIME", "part": "denominator"}


def listed_codes(html: str) -> list[str]:
    body = html.split('id="dossier-table"', 1)[1]
    return re.findall(r'<tr><td class="code">([^<]+)</td>', body)


@pytest.fixture
def url():
    return reverse("indicators:dossiers", args=["593", "2023"])


def test_the_pages_together_list_every_dossier_once_in_order(generated, officer_client, url):  # noqa: F811
    behind = drilldown.dossiers_behind(Unit.objects.get(code="593"), "2023", **QUERY)
    code_of = dict(Dossier.objects.filter(pk__in=behind["id"].to_list()).values_list("pk", "code"))
    expected = [code_of[pk] for pk in behind["id"].to_list()]
    assert len(expected) > 2 * drilldown_page_size()
    size = drilldown_page_size()
    seen = []
    for page in range(1, -(-len(expected) // size) + 1):
        html = officer_client.get(url, {**QUERY, "page": page}).content.decode()
        assert f'<strong id="dossier-total">{len(expected)}</strong>' in html
        codes = listed_codes(html)
        assert len(codes) == min(size, len(expected) - len(seen))
        seen += codes
    assert seen == expected


def drilldown_page_size() -> int:
    from cchc.indicators.views import DossiersBehindView

    return DossiersBehindView.page_size


def test_the_list_is_filtered_once_until_the_figures_are_recomputed(
    generated,  # noqa: F811
    officer_client,
    url,
    monkeypatch,
):
    calls = []
    original = drilldown.dossiers_behind

    def counting(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(drilldown, "dossiers_behind", counting)
    first = officer_client.get(url, {**QUERY, "page": 1}).content.decode()
    officer_client.get(url, {**QUERY, "page": 2})
    officer_client.get(url, {**QUERY, "format": "xlsx"})
    assert len(calls) == 1
    officer_client.get(url, {**QUERY, "part": "missing"})  # another list: filtered on its own
    assert len(calls) == 2

    recompute(2023)  # new figures: the list is filtered again, and still the same
    again = officer_client.get(url, {**QUERY, "page": 1}).content.decode()
    assert len(calls) == 3
    assert listed_codes(again) == listed_codes(first)


def test_an_unknown_metric_is_not_found_and_the_list_needs_a_login(generated, officer_client, url):  # noqa: F811
    assert officer_client.get(url, {"metric": "NOPE"}).status_code == 404
    assert officer_client.get(url, {**QUERY, "part": "half"}).status_code == 404
    assert Client().get(url, QUERY).status_code == 302


@pytest.fixture
def officer_client(client, officer):
    """A leader: dossier lists follow the unit scope (issue 13), and a leader sees the whole province."""
    grant_role(officer, "leader")
    client.force_login(officer)
    return client
