"""Issue 13 (High): control characters typed into pages or the API, or imported, are normalised before they are
stored (vertical tab and form feed become line breaks, other control characters go, Vietnamese letters composed)."""

import unicodedata

import pytest
from rest_framework.test import APIClient

from cchc.core.text import csv_cell, normalise
from cchc.dossiers.importing import import_catalogue
from cchc.dossiers.models import Procedure
from cchc.reports.models import Report
from cchc.reports.tests.conftest import DISTRICT_FIGURES, form_data, unit

pytestmark = pytest.mark.django_db


def test_the_rule():
    decomposed = unicodedata.normalize("NFD", "Phường Mũi Né")
    assert normalise(f"a\x0bb\x0cc\r\nd\re\x01\x00\x7f\x9ff\tg {decomposed}") == "a\nb\nc\nd\nef\tg Phường Mũi Né"
    assert csv_cell("=1+2") == "'=1+2" and csv_cell("@SUM(A1)") == "'@SUM(A1)" and csv_cell("-3") == "'-3"
    assert csv_cell("Bình thường") == "Bình thường" and csv_cell(5) == 5


def test_a_page_and_the_api_store_normalised_text(q1, accounts, client):
    report = Report.objects.create(unit=unit("593"), period=q1)
    client.force_login(accounts["editor"])
    data = form_data(figures=DISTRICT_FIGURES)
    data["results"] = "Kết quả\x0bquý I\x01"
    assert client.post(report.get_absolute_url(), data).status_code == 302
    report.refresh_from_db()
    assert report.results == "Kết quả\nquý I"

    api = APIClient()
    api.force_authenticate(accounts["editor"])
    response = api.patch(f"/api/reports/{report.pk}/", {"steering": "Chỉ đạo\x01\x0b điều hành"}, format="json")
    assert response.status_code == 200, response.content
    report.refresh_from_db()
    assert report.steering == "Chỉ đạo\n điều hành"


def test_an_imported_catalogue_is_normalised(db, tmp_path):
    path = tmp_path / "tthc.csv"
    path.write_text("MaTTHC,TenTTHC,TenLinhVuc\n1.000001,Cấp phép\x0bxây dựng\x01,Xây dựng\n", encoding="utf-8")
    result = import_catalogue(path)
    assert result.inserted == 1, result.errors
    assert Procedure.objects.get(code="1.000001").name == "Cấp phép\nxây dựng"
