"""The same target, level and period gives the same verdict on the dashboard, the unit's indicator page, the
generated report, the scorecards, the public page and `cchc targets` (one rule: cchc.plans.thresholds)."""

import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from cchc.dashboard.tests.data import store
from cchc.documents.queries import compile_report
from cchc.public import published
from cchc.reports.models import ReportPeriod
from cchc.units.models import Unit

DIGITISED = "RESULTS_VALID_DIGITISED"  # 2.3: 100 % by 2025 → 50 % on the path at the end of 2023
ONLINE_ELIGIBLE = "ONLINE_SERVICE_ELIGIBLE_PROVIDED"  # 2.4a: ≥ 80 % at P, D and C, no whole-province threshold


@pytest.fixture
def figures(plan_2023):
    province = Unit.objects.get(code="60")
    for level in ("P", "D", "C", "all"):
        store(province, DIGITISED, level, [60] * 12)
        store(province, ONLINE_ELIGIBLE, level, [83.5] * 12)
    call_command("create_report_periods", "2023", stdout=StringIO())
    return province


def badge_of(html: str, code: str, level: str) -> str:
    """The indicator page's verdict for a target row at a level."""
    for match in re.finditer(r"<tr[^>]*>(.*?)</tr>", html, re.S):
        cells = match.group(1)
        if f">{code}<" in cells and f">{level}<" in cells.replace(" ", ""):
            return "met" if "badge done" in cells else ("not met" if "badge overdue" in cells else "none")
    return "absent"


def test_2_3_in_2023_is_met_on_every_page_against_the_path_point(client, make_account, figures):
    client.force_login(make_account("60", "leader"))
    board = client.get(reverse("dashboard:home"), {"period": "2023"}).content.decode()
    row = re.search(r'<tr data-target="2.3">(.*?)</tr>', board, re.S).group(1)
    assert "status met" in row and "status missed" not in row and "50,0%" in row

    overview = client.get(reverse("indicators:unit", args=["60", "2023"])).content.decode()
    digitised = [m.group(1) for m in re.finditer(r"<tr[^>]*>(.*?)</tr>", overview, re.S) if ">2.3<" in m.group(1)]
    assert digitised and all("badge overdue" not in r for r in digitised)
    assert any("badge done" in r and "≥ 50%" in r for r in digitised)

    period = ReportPeriod.objects.get(year=2023, kind="Y")
    figure = next(f for f in compile_report(period).computed if f.code == "2.3")
    assert [figure.met(level) for level in ("P", "D", "C", "all")] == [True, True, True, True]

    public = published.targets(2023, published.plan_for(2023), figures, {})
    row = next(t for area in public for t in area["targets"] if t["code"] == "2.3")
    assert [lv["met"] for lv in row["levels"]] == [True, True, True] and row["province_met"] is True

    out = StringIO()
    call_command("targets", "--year=2023", "--as-of=2024-03-01", stdout=out)
    rows = {(r["code"], r["level"]): r for r in json.loads(out.getvalue())}
    assert rows[("2.3", "P")]["status"] == "met" and rows[("2.3", "P")]["threshold"] == pytest.approx(50.0)


def test_2_4a_at_83_5_percent_is_met_for_the_whole_province_too(figures):
    out = StringIO()
    call_command("targets", "--year=2023", "--as-of=2024-03-01", stdout=out)
    rows = {(r["code"], r["level"]): r for r in json.loads(out.getvalue())}
    whole = rows[("2.4a", "all")]
    assert whole["value"] == pytest.approx(83.5)
    assert (whole["threshold"], whole["status"]) == (80.0, "met")  # was the row's worst status, with no threshold
    period = ReportPeriod.objects.get(year=2023, kind="Y")
    figure = next(f for f in compile_report(period).computed if f.code == "2.4a")
    assert figure.met("all") is True
