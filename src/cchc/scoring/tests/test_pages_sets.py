"""Criteria set pages: for the province administrator only; import with errors by path or row; export; copy."""
# ruff: noqa: F811 — the fixtures are imported from tests/pages.py (no conftest of its own in this app)

import io

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.scoring.models import CriteriaSet
from cchc.scoring.tests.pages import SMALL_SET, district_set  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def upload(data: dict, name="bo-tieu-chi.yaml"):
    return SimpleUploadedFile(name, yaml.safe_dump(data, allow_unicode=True).encode(), content_type="application/yaml")


def test_only_the_administrator_manages_sets(client, district_set, make_account):
    client.force_login(make_account("593", "editor"))
    for url in ("/scoring/sets/", f"/scoring/sets/{district_set.pk}/", f"/scoring/sets/{district_set.pk}/export.yaml"):
        assert client.get(url).status_code == 403, url
    assert client.post("/scoring/sets/import/", {}).status_code == 403
    assert client.post("/scoring/sets/copy/", {"from_year": 2023, "to_year": 2024}).status_code == 403


def test_the_list_and_the_tree_with_maxima(client, district_set, make_account):
    client.force_login(make_account("SNV", "administrator"))
    page = client.get("/scoring/sets/").content.decode()
    assert 'data-set="2023-district"' in page
    tree = client.get(f"/scoring/sets/{district_set.pk}/").content.decode()
    assert 'data-code="1.3"' in tree and "Self-assessed with evidence: <strong>16.00</strong>" in tree


def test_an_invalid_file_is_refused_with_errors_by_path(client, plan_2023, make_account):
    client.force_login(make_account("SNV", "administrator"))
    data = {**SMALL_SET, "year": 2024, "kind": "district"}
    data["criteria"] = [dict(data["criteria"][0], maximum=12)]
    response = client.post("/scoring/sets/import/", {"file": upload(data)})
    assert response.status_code == 400
    assert "criteria[1] (1): maximum: 12 but its parts add up to 10" in response.content.decode()
    assert not CriteriaSet.objects.filter(year=2024).exists()


def test_a_valid_file_is_imported_and_exported_back(client, plan_2023, make_account):
    from openpyxl import load_workbook

    client.force_login(make_account("SNV", "administrator"))
    response = client.post("/scoring/sets/import/", {"file": upload({**SMALL_SET, "year": 2024, "kind": "commune"})})
    assert response.status_code == 302
    criteria_set = CriteriaSet.objects.get(year=2024, kind="commune")
    exported = client.get(f"/scoring/sets/{criteria_set.pk}/export.yaml")
    assert yaml.safe_load(b"".join(exported.streaming_content))["criteria"][0]["code"] == "1"
    workbook = client.get(f"/scoring/sets/{criteria_set.pk}/export.xlsx")
    book = load_workbook(io.BytesIO(b"".join(workbook.streaming_content)))
    assert {"set", "bands", "criteria"} <= set(book.sheetnames)


def test_copy_to_the_next_year_as_drafts(client, district_set, make_account):
    client.force_login(make_account("SNV", "administrator"))
    response = client.post("/scoring/sets/copy/", {"from_year": 2023, "to_year": 2024})
    assert response.status_code == 302
    copied = CriteriaSet.objects.get(year=2024, kind="district")
    assert copied.status == "draft" and copied.criteria.count() == district_set.criteria.count()
    again = client.post("/scoring/sets/copy/", {"from_year": 2023, "to_year": 2024})
    assert again.status_code == 400 and "2024 already has sets" in again.content.decode()


def test_an_xlsx_with_a_bad_row_is_refused_naming_the_row(client, district_set, make_account):
    from openpyxl import load_workbook

    from cchc.scoring import sets

    client.force_login(make_account("SNV", "administrator"))
    book = load_workbook(io.BytesIO(sets.export(district_set, "xlsx")))
    criteria = book["criteria"]
    header = [cell.value for cell in criteria[1]]
    criteria.cell(row=3, column=header.index("maximum") + 1, value="bốn")
    content = io.BytesIO()
    book.save(content)
    workbook = SimpleUploadedFile("bo-tieu-chi.xlsx", content.getvalue())
    response = client.post("/scoring/sets/import/", {"file": workbook})
    assert response.status_code == 400
    assert "sheet &#x27;criteria&#x27;, row 3" in response.content.decode()
    assert "maximum: a number is needed" in response.content.decode()


def test_pages_are_in_vietnamese_by_default(client, district_set, make_account, settings):
    settings.LANGUAGE_CODE = "vi"
    client.force_login(make_account("593", "editor"))
    assert "Mở phiếu tự đánh giá" in client.get("/scoring/2023/593/").content.decode()
    client.post("/scoring/2023/593/act/", {"action": "open"})
    html = client.get("/scoring/2023/593/").content.decode()
    assert "Lưu kết quả tự đánh giá" in html and "Tài liệu kiểm chứng" in html
