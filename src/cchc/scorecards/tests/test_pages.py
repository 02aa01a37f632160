"""The comparison page, a unit's card and the API: who sees what, sorting, links to the sources."""

import pytest
from django.urls import reverse

from cchc.agencyplans.models import AgencyPlan
from cchc.plans.models import Plan
from cchc.reports.models import Report
from cchc.scorecards.tests.conftest import unit

TABLE = reverse("scorecards:table", args=[2023])


def rows(html: str) -> list[str]:
    """The unit codes of the comparison table, in order."""
    import re

    return re.findall(r'<tr data-code="([^"]+)">', html)


@pytest.mark.parametrize("url", [TABLE, reverse("scorecards:unit", args=[2023, "593"]), "/api/scorecards/"])
def test_anonymous_is_sent_to_log_in(client, plan_2023, url):
    response = client.get(url)
    assert response.status_code in (302, 401)
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))


def test_home_redirects_to_the_plan_year(client, plan_2023, make_account):
    client.force_login(make_account("593", "editor"))
    assert client.get(reverse("scorecards:home"))["Location"] == TABLE


def test_districts_compare_with_districts_sorted_server_side(client, figures, make_account):
    client.force_login(make_account("594", "editor"))  # any account sees the comparison
    html = client.get(TABLE, {"kind": "district", "sort": "-score"}).content.decode()
    codes = rows(html)
    assert "STP" not in codes and {"593", "594"} <= set(codes)
    assert codes.index("593") < codes.index("594")
    assert 'id="peers-chart"' in html and "chart.umd.min.js" in html
    ascending = rows(client.get(TABLE, {"kind": "district", "sort": "score"}).content.decode())
    assert ascending.index("594") < ascending.index("593")
    by_name = rows(client.get(TABLE, {"kind": "district", "sort": "name"}).content.decode())
    names = [unit(code).name.casefold() for code in by_name]
    assert names == sorted(names)
    assert rows(client.get(TABLE, {"kind": "district", "sort": "-name"}).content.decode()) == by_name[::-1]
    departments = rows(client.get(TABLE).content.decode())
    assert "STP" in departments and "593" not in departments


def test_communes_are_compared_within_a_district(client, plan_2023, make_account):
    client.force_login(make_account("SNV", "administrator"))
    codes = rows(client.get(TABLE, {"kind": "commune", "district": "593"}).content.decode())
    assert "22915" in codes and "593" not in codes
    assert client.get(TABLE, {"kind": "commune", "district": "nowhere"}).status_code == 404
    assert client.get(TABLE, {"kind": "planet"}).status_code == 404


def test_card_links_every_figure_to_its_source(client, figures, periods_2023, make_account):
    report = Report.objects.create(unit=unit("593"), period=periods_2023["Q1"], status="accepted", on_time=True)
    report.first_submitted_at = report.created_at
    report.save()
    AgencyPlan.objects.create(plan=Plan.objects.get(year=2023), unit=unit("593"), status="submitted")
    client.force_login(make_account("VPUBND", "leader"))
    html = client.get(reverse("scorecards:unit", args=[2023, "593"])).content.decode()
    assert reverse("indicators:unit", args=["593", "2023"]) in html
    assert "/progress/?year=2023&amp;unit=593" in html
    assert reverse("reports:detail", args=[report.pk]) in html
    assert reverse("agencyplans:detail", args=[2023, "593"]) in html
    assert reverse("plans:target", args=[2023, "2.1"]) in html
    assert "80.0%" in html  # 2.1 at district level


def test_no_link_to_an_agency_plan_that_was_never_opened(client, figures, make_account):
    """The leader may read 593's plan once it exists; before that a link would answer 404 (issue 14)."""
    client.force_login(make_account("VPUBND", "leader"))
    html = client.get(reverse("scorecards:unit", args=[2023, "593"])).content.decode()
    assert reverse("agencyplans:detail", args=[2023, "593"]) not in html
    client.force_login(make_account("593", "editor"))  # its own editors open (and so create) the draft
    html = client.get(reverse("scorecards:unit", args=[2023, "593"])).content.decode()
    assert reverse("agencyplans:detail", args=[2023, "593"]) in html


def test_another_units_account_sees_the_figures_but_no_links_to_private_items(
    client, figures, periods_2023, make_account
):
    draft = Report.objects.create(unit=unit("593"), period=periods_2023["H1"], status="draft")
    client.force_login(make_account("594", "editor"))
    response = client.get(reverse("scorecards:unit", args=[2023, "593"]))
    html = response.content.decode()
    assert response.status_code == 200 and "80.0%" in html
    assert reverse("reports:detail", args=[draft.pk]) not in html
    assert "/progress/?year=2023" not in html and reverse("agencyplans:detail", args=[2023, "593"]) not in html
    # and the report itself stays closed to them
    assert client.get(reverse("reports:detail", args=[draft.pk])).status_code == 404


def test_own_unit_gets_the_link_to_its_draft(client, figures, periods_2023, make_account):
    draft = Report.objects.create(unit=unit("593"), period=periods_2023["H1"], status="draft")
    client.force_login(make_account("593", "editor"))
    html = client.get(reverse("scorecards:unit", args=[2023, "593"])).content.decode()
    assert reverse("reports:detail", args=[draft.pk]) in html


def test_unknown_unit_or_year_is_404(client, plan_2023, make_account):
    client.force_login(make_account("SNV", "administrator"))
    assert client.get(reverse("scorecards:unit", args=[2023, "NOPE"])).status_code == 404
    assert client.get(reverse("scorecards:unit", args=[2023, "60"])).status_code == 404  # the province has no peers


def test_api_lists_ranked_cards_and_names_bad_fields(client, figures, make_account):
    client.force_login(make_account("594", "editor"))
    data = client.get("/api/scorecards/", {"year": 2023, "kind": "district"}).json()
    assert data["kind"] == "district"
    codes = [r["unit"] for r in data["results"]]
    assert codes.index("593") < codes.index("594")
    first = next(r for r in data["results"] if r["unit"] == "593")
    assert first["links"]["indicators"] == "/indicators/593/2023/"
    assert next(t for t in first["targets"]["items"] if t["code"] == "2.1")["met"] is True
    bad = client.get("/api/scorecards/", {"year": "soon", "kind": "district"})
    assert bad.status_code == 400 and "year" in bad.json()
    assert "kind" in client.get("/api/scorecards/", {"kind": "planet"}).json()
    assert "district" in client.get("/api/scorecards/", {"kind": "commune", "district": "x"}).json()
