"""Publication of a set's final results; the public list; the Word annex and the Excel table read back."""

import datetime as dt
import io
from decimal import Decimal as D

import docx
import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation
from openpyxl import load_workbook

from cchc.scoring import exports, queries, services
from cchc.scoring.tests.core_helpers import make_set, on_time_dossiers, run_to_final, unit
from cchc.scoring.workflow import ScoringError


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked as written (the English msgids), whatever the site's default language."""
    with translation.override("en"):
        yield


@pytest.fixture
def year_2023(plan_2023, make_account):
    """By hand (small set, B.1 not applicable so the applicable maximum is 15, deductions 2 capped at 1.5,
    B.2 = 1 for 92% on time, B.3 = 2.25):
      594: A.1 appraised 4   → (4 + 6 + 1 + 2.25 − 1.5) / 15 × 100 = 11.75 / 15 × 100 = 78.33 → rank 1, Khá
      593: A.1 appraised 3.5 → 11.25 / 15 × 100 = 75.00 → rank 2, Khá
      596: A.1 appraised 3.5 → 75.00 → rank 2 too (tie), Khá
      595: still a draft → must be left out explicitly before publishing.
    2022 (previous year, published): 593 with A.1 appraised 2 and no dossier figures (B.2 = 0):
      (2 + 6 + 0 + 2.25 − 1.5) / 15 × 100 = 8.75 / 15 × 100 = 58.33 → change for 593: 75.00 − 58.33 = +16.67.
    """
    council = make_account("SNV", "administrator")
    last_year = make_set(year=2022, self_assessment_due="2022-12-10")
    people = {code: (make_account(code, "editor"), make_account(code, "head")) for code in ("593", "594", "595", "596")}
    run_to_final(last_year, unit("593"), *people["593"], council, a1=("4", "2"), today=dt.date(2022, 12, 10))
    services.publish(last_year, council)
    criteria_set = make_set()
    for code, a1 in (("593", ("4", "3.5")), ("594", ("4", "4")), ("596", ("4", "3.5"))):
        on_time_dossiers(unit(code), 92, 100)
        run_to_final(criteria_set, unit(code), *people[code], council, a1=a1)
    services.open_assessment(criteria_set, unit("595"))
    return criteria_set, council


def test_publication_needs_every_sheet_final_or_left_out_with_a_reason(year_2023, make_account):
    criteria_set, council = year_2023
    with pytest.raises(PermissionDenied):
        services.publish(criteria_set, make_account("593", "leader"))
    with pytest.raises(ScoringError, match="not final yet .*Huyện Tuy Phong"):
        services.publish(criteria_set, council)
    with pytest.raises(ScoringError, match="Say why"):
        services.publish(criteria_set, council, {unit("595").pk: ""})
    published = services.publish(criteria_set, council, {unit("595").pk: "Chưa hoàn thành tự đánh giá"})
    assert published.published_at is not None and published.published_by == council
    with pytest.raises(ScoringError, match="published already"):
        services.publish(criteria_set, council)


def test_ranking_with_a_tie_bands_and_change_on_last_year(year_2023):
    criteria_set, council = year_2023
    assert queries.published_index(2023) is None  # nothing published for 2023 yet
    services.publish(criteria_set, council, {unit("595").pk: "Chưa hoàn thành"})
    rows = queries.published_index(2023)
    assert [(r["unit_code"], r["index"], r["rank"], r["band"]) for r in rows] == [
        ("594", 78.33, 1, "Khá"),
        ("593", 75.0, 2, "Khá"),
        ("596", 75.0, 2, "Khá"),
    ]
    by_code = {r["unit_code"]: r for r in rows}
    assert by_code["593"]["previous_index"] == 58.33
    assert by_code["594"]["previous_index"] is None
    assert set(rows[0]) == {"unit_code", "unit_name", "kind", "index", "rank", "band", "previous_index"}
    full = {r["unit_code"]: r for r in queries.results(criteria_set)}
    assert full["593"]["delta"] == D("16.67")
    assert full["594"]["index"] == D("11.75") / 15 * 100  # unrounded inside


def test_word_annex_and_excel_table_show_the_published_index(year_2023):
    criteria_set, council = year_2023
    services.publish(criteria_set, council, {unit("595").pk: "Chưa hoàn thành"})

    document = docx.Document(io.BytesIO(exports.annex_docx(criteria_set, number_symbol="Số: 25/QĐ-UBND")))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "PHỤ LỤC" in text and "DỰ THẢO" not in text
    ranking = next(t for t in document.tables if t.rows[0].cells[0].text == "Xếp hạng")
    cells = [[c.text for c in row.cells] for row in ranking.rows[1:]]
    assert [(r[0], r[1], r[4], r[5], r[6]) for r in cells] == [
        ("1", "Thị xã La Gi", "78,33", "Khá", ""),
        ("2", "Thành phố Phan Thiết", "75,00", "Khá", "+16,67"),
        ("2", unit("596").name, "75,00", "Khá", ""),
    ]
    assert cells[0][2] == "11,75" and cells[0][3] == "15,00"  # points after the deduction, applicable maximum

    sheet = load_workbook(io.BytesIO(exports.results_xlsx(criteria_set))).active
    header = [c.value for c in sheet[2]]
    rows = [dict(zip(header, [c.value for c in row], strict=True)) for row in sheet.iter_rows(min_row=3)]
    assert [(r["Xếp hạng"], r["Mã đơn vị"], r["Chỉ số (%)"]) for r in rows] == [
        (1, "594", 78.33),
        (2, "593", 75.0),
        (2, "596", 75.0),
    ]
    assert rows[1]["Chỉ số 2022"] == 58.33 and rows[1]["Thay đổi"] == 16.67
    assert rows[1]["Lĩnh vực A"] == 95.0 and rows[1]["Lĩnh vực B"] == 65.0
    assert rows[1]["Điểm trừ"] == 1.5


def test_an_unpublished_set_exports_as_a_draft(year_2023):
    criteria_set, _council = year_2023
    document = docx.Document(io.BytesIO(exports.annex_docx(criteria_set)))
    assert any("DỰ THẢO" in p.text for p in document.paragraphs)


def test_the_public_page_learns_when_the_index_was_published(year_2023):
    # The public page's data version (cchc.public.published.data_version) follows this moment.
    criteria_set, council = year_2023
    assert queries.published_at(2023) is None
    moment = dt.datetime(2024, 3, 15, 9, 0, tzinfo=dt.UTC)
    services.publish(criteria_set, council, {unit("595").pk: "Chưa hoàn thành"}, at=moment)
    assert queries.published_at(2023) == moment
    assert queries.published_at(2024) is None
