"""The dashboard of 2026 compares each target with 2023–2025 on the units as they are now: a 2025 ward's earlier
years are its predecessors' figures re-based onto it, marked as reconstructed, in a fixed number of queries."""

import datetime as dt
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.dashboard import history
from cchc.dashboard.tests.data import ROUTED, store
from cchc.plans.models import Plan
from cchc.units.models import Unit

START = dt.date(2021, 1, 1)


@pytest.fixture
def lam_dong_2026(plan_2023, load_units_2026):
    """Ward 22945 of 2025 came from the 2023 wards Đức Nghĩa (22942), Lạc Đạo (22945) and Đức Thắng (22948)."""
    store(Unit.objects.get(code="22942", valid_from=START), ROUTED, "C", [50] * 12)  # 6,000 / 12,000
    store(Unit.objects.get(code="22948", valid_from=START), ROUTED, "C", [70] * 12)  # 8,400 / 12,000
    load_units_2026()
    call_command("copy_plan", "--from", "2023", "--to", "2026", stdout=StringIO())
    ward = Unit.objects.valid_on(dt.date(2026, 1, 1)).get(code="22945")
    store(ward, ROUTED, "C", [80] * 12, year=2026)
    return ward


def test_the_2026_ward_shows_its_predecessors_2023_figure_rebased_and_marked(client, make_account, lam_dong_2026):
    client.force_login(make_account("68", "leader"))
    response = client.get(reverse("dashboard:home"), {"year": "2026", "period": "2026", "unit": "22945"})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="history"' in html
    row = re.search(r'<tr data-target="2.1" data-level="C">(.*?)</tr>', html, re.S).group(1)
    cells = dict(re.findall(r'<td class="num" data-year="(\d{4})"(.*?)</td>', row, re.S))
    assert "60,0% (*)" in cells["2023"] and "data-reconstructed" in cells["2023"]  # (6,000 + 8,400) / 24,000
    assert "14400/24000" in cells["2023"].replace(".", "")
    assert "80,0%" in cells["2026"] and "(*)" not in cells["2026"]
    assert "Phường Đức Nghĩa" in html and "Phường Đức Thắng" in html  # the units it was re-based from


def test_the_comparison_takes_the_same_queries_for_one_ward_or_the_whole_province(lam_dong_2026):
    plan = Plan.objects.get(year=2026)
    targets = list(plan.targets.all())
    with CaptureQueriesContext(connection) as ward:
        one = history.compare(lam_dong_2026, 2026, targets, ["C"])
    province = Unit.objects.valid_on(dt.date(2026, 1, 1)).get(code="68")
    with CaptureQueriesContext(connection) as whole:
        history.compare(province, 2026, targets, ["C"])
    assert len(whole) == len(ward)  # not one query per unit or per year
    assert one.years == [2023, 2024, 2025, 2026]
    assert history.compare(lam_dong_2026, 2023, targets, ["C"]) is None
