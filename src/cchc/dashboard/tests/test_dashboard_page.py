"""The dashboard page: targets by area, values per level against thresholds, sources, links, status, filters."""

import re

import pytest
from django.urls import reverse

from cchc.dashboard.tests.data import ONLINE, ROUTED, accepted_report, store
from cchc.units.models import Unit

URL = reverse("dashboard:home")


@pytest.fixture
def board_data(plan_2023):
    province, district = Unit.objects.get(code="60"), Unit.objects.get(code="593")
    store(province, ROUTED, "P", [80] * 12)
    store(province, ROUTED, "D", [72] * 12)
    store(province, ROUTED, "C", [50] * 12)  # below 60%
    store(province, ROUTED, "all", [70] * 12)
    store(district, ROUTED, "D", [90] * 12)
    store(district, ROUTED, "C", [40] * 12)
    store(province, ONLINE, "all", [50, 45, 40, 35, 30, 25, 20, 15, 10, 5, 5, 5])
    dept = Unit.objects.get(code="STP")
    accepted_report(dept, "Y", {"inspections_total": 40, "inspections_digital": 4})
    accepted_report(district, "Y", {"inspections_total": 60, "inspections_digital": 16})
    la_gi = Unit.objects.get(code="594")
    accepted_report(la_gi, "Y", {"inspections_total": 100, "inspections_digital": 100}, status="submitted")
    return province, district


@pytest.fixture
def leader_client(client, make_account, board_data):
    client.force_login(make_account("60", "leader"))
    return client


def row(html: str, code: str) -> str:
    match = re.search(rf'<tr data-target="{re.escape(code)}">(.*?)</tr>', html, re.S)
    assert match, f"no row for target {code}"
    return match.group(1)


def test_every_target_of_the_plan_is_shown_by_area(leader_client):
    html = leader_client.get(URL).content.decode()
    assert html.count('<tr data-target="') == 27
    assert "1. Cải cách thể chế" in html and "7. Công tác chỉ đạo, điều hành" in html


def test_computed_values_per_level_with_threshold_status_and_link(leader_client):
    html = leader_client.get(URL, {"period": "2023"}).content.decode()
    routed = row(html, "2.1")
    assert "80,0%" in routed and "72,0%" in routed and "50,0%" in routed
    assert "≥ 70%" in routed and "≥ 60%" in routed
    assert routed.count("status met") == 2 and routed.count("status missed") == 2  # C, and the row's worst
    assert "/indicators/60/2023/dossiers/?metric=ROUTED_ELECTRONICALLY&amp;part=denominator&amp;level=C" in routed


def test_reported_values_are_parts_over_wholes_of_accepted_reports_only(leader_client):
    html = leader_client.get(URL, {"period": "2023"}).content.decode()
    inspections = row(html, "6.4")
    assert "20,0%" in inspections  # (4 + 16) / (40 + 60); La Gi's submitted report is not counted
    assert "4/40" in inspections and "16/60" in inspections  # the department's P cell, the district's D cell
    assert "/reports/?year=2023&amp;status=accepted" in inspections
    assert "2 accepted reports" in inspections or "2 báo cáo đã được chấp nhận" in inspections


def test_targets_without_a_source_say_no_data(leader_client):
    html = leader_client.get(URL).content.decode()
    assert "status no_data" in row(html, "3.2") and "status no_data" in row(html, "1.1")


def test_a_multi_year_goal_is_judged_against_the_straight_line(leader_client, board_data):
    province, _ = board_data
    store(province, "RESULTS_VALID_DIGITISED", "P", [55] * 12)  # 2.3: 100% by 2025 → 50% due at the end of 2023
    html = leader_client.get(URL, {"period": "2023"}).content.decode()
    digitised = row(html, "2.3")
    assert "straight-line path" in digitised or "lộ trình tuyến tính" in digitised
    assert "50,0%" in digitised and "status met" in digitised


def test_filtering_to_a_district_shows_its_values_and_its_communes_at_risk(leader_client):
    html = leader_client.get(URL, {"unit": "593", "period": "2023"}).content.decode()
    assert 'id="board-unit">Thành phố Phan Thiết' in html
    routed = row(html, "2.1")
    assert "90,0%" in routed and "40,0%" in routed and "80,0%" not in routed
    assert "/indicators/593/2023/dossiers/" in routed


def test_the_level_filter_keeps_one_level(leader_client):
    html = leader_client.get(URL, {"level": "C", "period": "2023"}).content.decode()
    routed = row(html, "2.1")
    assert "50,0%" in routed and "80,0%" not in routed
    assert '<tr data-target="3.2">' not in html  # no commune threshold


def test_the_departments_and_districts_most_at_risk(leader_client, board_data):
    _, district = board_data
    store(Unit.objects.get(code="594"), ROUTED, "D", [75, 70, 65, 60, 55, 50, 45, 40, 35, 30, 25, 20])
    html = leader_client.get(URL, {"period": "2023Q2"}).content.decode()
    table = html.split('id="at-risk"')[1].split("</table>")[0]
    assert "Thị xã La Gi" in table and ("will miss" in table or "sẽ không đạt" in table)
    assert "Thành phố Phan Thiết" in table  # its communes (C 40%) fall short of 60%; its own D (90%) is ahead
    assert table.count("Thành phố Phan Thiết") == 1


def test_early_in_the_year_the_status_uses_the_projection(leader_client):
    html = leader_client.get(URL, {"period": "2023Q2"}).content.decode()
    online = row(html, "2.4c")  # 50 → 25% by June, falling 5 points a month
    assert "status at_risk" in online


def test_bad_filters_are_a_404_naming_the_field(leader_client):
    assert leader_client.get(URL, {"unit": "nope"}).status_code == 404
    response = leader_client.get(URL, {"period": "2023Q5"})
    assert response.status_code == 404
    assert leader_client.get(URL, {"level": "X"}).status_code == 404


def test_the_dashboard_requires_login(client, board_data):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_any_logged_in_account_reads_it(client, make_account, board_data):
    client.force_login(make_account("22915", "editor"))
    assert client.get(URL).status_code == 200


def test_reported_figures_follow_the_accounts_scope(client, make_account, board_data):
    """A commune editor sees no other unit's reports, so their figures are not in its dashboard either."""
    client.force_login(make_account("22915", "editor"))
    inspections = row(client.get(URL, {"period": "2023"}).content.decode(), "6.4")
    assert "20,0%" not in inspections and "4/40" not in inspections
