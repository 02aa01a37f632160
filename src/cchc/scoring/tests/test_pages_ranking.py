"""The ranking page, publication and the published Word and Excel results; the council's worklist."""
# ruff: noqa: F811 — the fixtures are imported from tests/pages.py (no conftest of its own in this app)

import io

import pytest

from cchc.scoring.tests.pages import EXPECTED_INDEX, district_set, final, pdf, submitted  # noqa: F401

pytestmark = pytest.mark.django_db

RANKING = "/scoring/2023/ranking/?kind=district"


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def accounts(make_account):
    return {
        "editor": make_account("593", "editor"),
        "head": make_account("593", "head"),
        "council": make_account("SNV", "administrator"),
        "other": make_account("594", "editor"),
        "leader": make_account("60", "leader"),
    }


@pytest.fixture
def finalised(district_set, accounts, pdf):
    return final(district_set, "593", accounts["editor"], accounts["head"], accounts["council"], pdf())


def test_the_index_worked_by_hand():
    assert f"{EXPECTED_INDEX:.2f}" == "70.59"  # (3 + 2.5 + 4.5 + 3 − 1) / (4 + 3 + 6 + 4) × 100


def test_before_publication_only_the_province_sees_the_provisional_ranking(client, finalised, accounts):
    client.force_login(accounts["council"])
    page = client.get(RANKING).content.decode()
    assert '<td class="num index"><strong>70.59</strong>' in page
    assert "Khá" in page and 'id="publish"' in page
    assert 'id="download-annex"' not in page
    assert client.get("/scoring/2023/ranking/annex.docx?kind=district").status_code == 404
    client.force_login(accounts["other"])
    page = client.get(RANKING).content.decode()
    assert 'id="not-published"' in page and "70.59" not in page
    assert client.post("/scoring/2023/ranking/publish/", {"kind": "district"}).status_code == 403


def test_publication_needs_every_sheet_final(client, district_set, accounts, pdf):
    submitted(district_set, "593", accounts["editor"], accounts["head"], pdf())
    client.force_login(accounts["council"])
    response = client.post("/scoring/2023/ranking/publish/", {"kind": "district"}, follow=True)
    assert "not final yet" in response.content.decode()
    district_set.refresh_from_db()
    assert not district_set.is_published


def test_published_results_in_word_and_excel(client, finalised, accounts, district_set):
    from docx import Document
    from openpyxl import load_workbook

    client.force_login(accounts["council"])
    assert client.post("/scoring/2023/ranking/publish/", {"kind": "district"}).status_code == 302
    district_set.refresh_from_db()
    assert district_set.is_published
    client.force_login(accounts["other"])  # every account reads published results
    page = client.get(RANKING).content.decode()
    assert '<td class="num index"><strong>70.59</strong>' in page and 'id="publish"' not in page
    annex = client.get("/scoring/2023/ranking/annex.docx?kind=district")
    assert annex.status_code == 200
    document = Document(io.BytesIO(b"".join(annex.streaming_content)))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "70,59" in cells
    table = client.get("/scoring/2023/ranking/table.xlsx?kind=district")
    sheet = load_workbook(io.BytesIO(b"".join(table.streaming_content))).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert 70.59 in values


def test_the_worklist_is_for_councils_only(client, district_set, accounts, pdf, make_account):
    submitted(district_set, "593", accounts["editor"], accounts["head"], pdf())
    client.force_login(accounts["editor"])
    assert client.get("/scoring/2023/council/").status_code == 403
    client.force_login(accounts["council"])
    page = client.get("/scoring/2023/council/").content.decode()
    assert 'data-unit="593" data-status="submitted"' in page
    assert 'data-unit="594" data-status="missing"' in page
    assert 'data-timing="on_time"' in page
    assert "0 / 5" in page  # rows appraised / self-scored rows
    client.force_login(make_account("593", "district_officer"))
    page = client.get("/scoring/2023/council/").content.decode()
    assert 'data-unit="593"' not in page and 'data-unit="22915"' in page


def test_a_unit_that_is_not_final_can_be_left_out_with_a_reason(client, finalised, accounts, make_account, pdf):
    from cchc.scoring.models import Assessment
    from cchc.scoring.tests.pages import opened

    draft = opened(finalised.criteria_set, "594")
    client.force_login(accounts["council"])
    page = client.get(RANKING).content.decode()
    assert f'name="exclude-{draft.unit_id}"' in page
    response = client.post(
        "/scoring/2023/ranking/publish/", {"kind": "district", f"exclude-{draft.unit_id}": "Sáp nhập"}
    )
    assert response.status_code == 302
    draft = Assessment.objects.get(pk=draft.pk)
    assert draft.excluded and draft.exclusion_reason == "Sáp nhập"
    assert draft.criteria_set.is_published
