"""The dossier-metrics pages, the dossiers behind a figure and the XLSX exports (opened back)."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from cchc.conftest import grant_role
from cchc.formats import XLSX_PERCENT
from cchc.indicators.compute import recompute
from cchc.indicators.exports import level_label
from cchc.indicators.tests.test_recompute import at, dossier, procedure  # noqa: F401  (fixture)
from cchc.units.models import Unit


@pytest.fixture
def computed(plan_2023, procedure):  # noqa: F811
    commune, district = Unit.objects.get(code="22915"), Unit.objects.get(code="593")
    dossier("ON-1", commune, procedure, channel=2, routed_electronically=True)
    dossier("ON-2", district, procedure, routed_electronically=True)
    dossier("LATE-1", commune, procedure, finished_at=at("2023-03-20 10:00"))
    recompute(2023)
    return commune, district


def test_the_province_page_shows_targets_thresholds_766_and_children(computed, officer_client):
    html = officer_client.get(reverse("indicators:unit", args=["60", "2023Q1"])).content.decode()
    assert "Hồ sơ TTHC được luân chuyển giữa các cơ quan bằng phương thức điện tử" in html
    assert "66,7%" in html  # 2 of 3 routed (Vietnamese decimal comma)
    assert "≥ 70%" in html and "≥ 60%" in html  # per-level thresholds
    assert 'id="index-total"' in html and "groups-chart" in html
    assert "Thành phố Phan Thiết" in html  # a child row


def test_the_late_dossiers_behind_the_on_time_rate(computed, officer_client):
    url = reverse("indicators:dossiers", args=["593", "202303"])
    html = officer_client.get(url, {"metric": "PROCESSING_ON_TIME", "part": "missing"}).content.decode()
    assert "LATE-1" in html and "ON-1" not in html
    assert '<strong id="dossier-total">1</strong>' in html
    html = officer_client.get(
        url, {"metric": "PROCESSING_ON_TIME", "part": "denominator", "level": "D"}
    ).content.decode()
    assert "ON-2" in html and "LATE-1" not in html


def test_dossier_list_exports_to_xlsx(computed, officer_client):
    url = reverse("indicators:dossiers", args=["60", "2023"])
    response = officer_client.get(url, {"metric": "ROUTED_ELECTRONICALLY", "part": "numerator", "format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Mã hồ sơ" or rows[0][0] == "Dossier code"
    assert sorted(r[0] for r in rows[1:]) == ["ON-1", "ON-2"]


def test_page_exports_to_xlsx_with_the_same_figures(computed, officer_client):
    response = officer_client.get(reverse("indicators:unit-export", args=["593", "2023"]))
    book = load_workbook(io.BytesIO(response.content))
    targets = list(book.worksheets[0].iter_rows(values_only=True))
    with translation.override("vi"):
        all_levels = level_label("all")  # a label, not the stored "all"
    routed = next(r for r in targets if r[0] == "2.1" and r[2] == all_levels)
    assert routed[4:7] == (2, 3, 66.67)
    ratio_cell = next(r for r in book.worksheets[0].iter_rows() if r[0].value == "2.1" and r[2].value == all_levels)[6]
    assert ratio_cell.number_format == XLSX_PERCENT  # 66,7 in a Vietnamese Excel: one decimal, as on the page
    index = list(book.worksheets[1].iter_rows(values_only=True))
    on_time = next(r for r in index if r[0] == "PROCESSING_ON_TIME")
    assert on_time[4:6] == (2, 3)
    assert len(book.worksheets) == 3  # the district has communes below it


def test_unknown_unit_period_or_metric_is_a_404(computed, officer_client):
    assert officer_client.get(reverse("indicators:unit", args=["999", "2023"])).status_code == 404
    assert officer_client.get(reverse("indicators:unit", args=["60", "2023Q5"])).status_code == 404
    url = reverse("indicators:dossiers", args=["60", "2023"])
    assert officer_client.get(url, {"metric": "NOPE"}).status_code == 404
    assert officer_client.get(url, {"metric": "ACCEPTED", "part": "half"}).status_code == 404


def test_indicator_pages_require_login(computed, client):
    response = client.get(reverse("indicators:unit", args=["60", "2023"]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_procedures_behind_a_catalogue_figure(computed, officer_client):
    from cchc.dossiers.models import Procedure

    Procedure.objects.create(code="SYN.2", name="[Mô phỏng] Cấp phép", sector_name="Xây dựng", at_district=True)
    recompute(2023)
    url = reverse("indicators:procedures", args=["593", "2023"])
    html = officer_client.get(url, {"metric": "ONLINE_SERVICE_PROVIDED", "part": "missing"}).content.decode()
    assert "SYN.2" in html and "SYN.1" not in html  # SYN.1 is offered online, SYN.2 is not
    html = officer_client.get(
        url, {"metric": "ONLINE_SERVICE_PROVIDED", "part": "denominator", "level": "C"}
    ).content.decode()
    assert "SYN.1" in html and "SYN.2" not in html  # SYN.2 is not a commune-level procedure
    assert officer_client.get(url, {"metric": "ACCEPTED"}).status_code == 404


def test_the_start_page_summarises_the_latest_year(computed, officer_client):
    html = officer_client.get(reverse("home")).content.decode()
    assert 'id="dossier-summary"' in html
    assert "66,7%" in html  # 2 of 3 dossiers routed electronically in 2023
    assert reverse("indicators:unit", args=["60", "2023"]) in html


@pytest.fixture
def officer_client(client, officer):
    """A leader: dossier lists follow the unit scope (issue 13), and a leader sees the whole province."""
    grant_role(officer, "leader")
    client.force_login(officer)
    return client


def test_the_dossiers_behind_a_figure_are_titled_by_the_metric_name_not_its_code(computed, officer_client):
    url = reverse("indicators:dossiers", args=["60", "2023"])
    html = officer_client.get(url, {"metric": "ROUTED_ELECTRONICALLY", "part": "numerator"}).content.decode()
    heading = html.split("<h1>")[1].split("</p>")[0]
    assert "luân chuyển điện tử</strong>" in heading  # its name
    assert ">ROUTED_ELECTRONICALLY<" not in heading  # the code stays in the link, not in the text
