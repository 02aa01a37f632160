"""Districts review their communes' reports first; the district's report page shows them and their accepted sums."""

import pytest
from django.urls import reverse

from cchc.reports.tests.conftest import complete_report

pytestmark = pytest.mark.django_db

COMMUNE_FIGURES = {"work_files_online": "60", "commune_officials_standard": "90", "inspections_total": "4"}


@pytest.fixture
def submitted_commune_report(q1):
    report = complete_report("22915", q1, figures=COMMUNE_FIGURES)  # Phường Mũi Né, of Phan Thiết (593)
    report.status = "submitted"
    report.save()
    return report


def test_the_districts_officer_reviews_its_commune(client, submitted_commune_report, make_account):
    report = submitted_commune_report
    client.force_login(make_account("593", "district_officer"))
    assert report.get_absolute_url() in client.get(reverse("reports:review")).text
    page = client.get(report.get_absolute_url())
    assert 'id="accept-report"' in page.text and "Gửi UBND cấp huyện" not in page.text
    assert client.post(report.get_absolute_url(), {"action": "accept"}).status_code == 302
    report.refresh_from_db()
    assert report.status == "accepted"


def test_another_districts_officer_neither_sees_nor_reviews_it(client, submitted_commune_report, make_account):
    report = submitted_commune_report
    client.force_login(make_account("594", "district_officer"))
    assert client.get(report.get_absolute_url()).status_code == 404
    assert client.post(report.get_absolute_url(), {"action": "accept"}).status_code == 404
    assert report.get_absolute_url() not in client.get(reverse("reports:review")).text
    report.refresh_from_db()
    assert report.status == "submitted"


def test_the_commune_head_submits_to_its_district(client, q1, make_account):
    report = complete_report("22915", q1, figures=COMMUNE_FIGURES)
    client.force_login(make_account("22915", "head"))
    page = client.get(report.get_absolute_url())
    assert "Gửi UBND cấp huyện" in page.text
    client.post(report.get_absolute_url(), {"action": "submit"})
    report.refresh_from_db()
    assert report.status == "submitted" and report.due_date() == q1.due_commune


def test_the_district_report_shows_its_communes_and_the_sum_of_accepted_figures(client, q1, make_account):
    officer = make_account("593", "district_officer")
    for code, figures in (("22915", COMMUNE_FIGURES), ("22918", {**COMMUNE_FIGURES, "inspections_total": "6"})):
        report = complete_report(code, q1, figures=figures)
        report.status = "accepted"
        report.save()
    draft = complete_report("22936", q1, figures=COMMUNE_FIGURES)  # a draft does not count and is not shown
    district = complete_report("593", q1)
    client.force_login(officer)
    page = client.get(district.get_absolute_url())
    section = page.text.split('id="commune-reports"')[1]
    assert "2 báo cáo đã được chấp nhận." in section
    assert f'href="{draft.get_absolute_url()}"' not in section
    sums = section.split('id="commune-sums"')[1]
    assert ">10<" in sums.split('data-code="inspections_total"')[1].split("</tr>")[0]
    assert "60,0%" in sums.split('data-code="work_files_online"')[1].split("</tr>")[0]


def test_a_district_officer_sees_the_matrix_of_its_communes(client, submitted_commune_report, make_account):
    client.force_login(make_account("593", "district_officer"))
    page = client.get(reverse("reports:index"), {"year": 2023})
    matrix = page.text.split('id="matrix"')[1]
    assert 'data-unit="22915"' in matrix and 'data-unit="594"' not in matrix and 'data-unit="SNV"' not in matrix
