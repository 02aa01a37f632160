"""The Excel annex and the 766 table, opened back with openpyxl."""

import datetime as dt

import pytest
from openpyxl import load_workbook

from cchc.documents.excel import ANNEX_HEADER, render_766, render_annex
from cchc.documents.queries import Options, compile_report, table_766


@pytest.fixture
def annex(q1_2023, tmp_path):
    report = compile_report(q1_2023, Options(number_symbol="25/BC-UBND", date=dt.date(2023, 3, 20)))
    return load_workbook(render_annex(report, tmp_path / "annex.xlsx"))


def rows_by_code(sheet):
    rows = list(sheet.iter_rows(values_only=True))
    start = rows.index(tuple(ANNEX_HEADER))
    return {row[1]: dict(zip(ANNEX_HEADER, row, strict=True)) for row in rows[start + 1 :]}


def test_annex_long_table(annex):
    sheet = annex["Phụ lục số liệu"]
    assert sheet["A1"].value == "Phụ lục số liệu — Tình hình thực hiện công tác cải cách hành chính Quý I năm 2023"
    rows = rows_by_code(sheet)
    issued = rows["legal_docs_issued"]
    assert (issued["Sở, ban, ngành"], issued["Cấp huyện"], issued["Toàn tỉnh"]) == (4, 16, 20)
    assert issued["Đơn vị tính"] == "số lượng" and issued["Mục tiêu"] == "1.1"
    assert issued["Nguồn"] == "Báo cáo được chấp nhận của 3 đơn vị"
    assert rows["legal_docs_reviewed"]["Tỷ lệ (%)"] is None  # not a part of the documents issued in the period
    assert rows["inspections_digital"]["Tỷ lệ (%)"] == 30.0
    assert rows["work_files_online"]["Toàn tỉnh"] == "60–80"
    # Which days each row covers: its window, the year so far, or the calendar quarter of the dossiers.
    assert issued["Kỳ"] == "15/12/2022 – 14/03/2023"
    assert rows["work_files_online"]["Kỳ"] == "15/12/2022 – 14/03/2023 (lũy kế)"
    on_time = rows["PROCESSING_ON_TIME"]
    assert on_time["Toàn tỉnh"] == 66.67 and on_time["Kỳ"] == "01/01/2023 – 31/03/2023 (quý I năm 2023)"
    assert "2.4c" in rows and "≥" in rows["2.4c"]["Mục tiêu"]


def test_annex_lists_bare_percentages_per_unit_and_the_submissions(annex):
    per_unit = [row for row in annex["Theo đơn vị"].iter_rows(values_only=True) if row[0] == "work_files_online"]
    assert sorted((row[2], row[5]) for row in per_unit) == [("593", 80), ("594", 60), ("STP", 75.5)]
    sent = {row[0]: row[3] for row in annex["Tình hình gửi báo cáo"].iter_rows(min_row=2, values_only=True)}
    assert sent["594"] == "Trễ hạn" and sent["593"] == "Đúng hạn" and sent["SNV"] == "Chưa gửi"


def test_766_table_has_every_unit_with_groups_and_total(q1_2023, tmp_path, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):  # units, values, entered values: not one query per unit
        table = table_766("2023Q1")
    sheet = load_workbook(render_766(table, tmp_path / "766.xlsx")).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[2]
    assert header[:3] == ("Mã", "Đơn vị", "Cấp") and header[-3:] == ("Tổng điểm", "Tối đa", "Xếp loại")
    assert header[4] == "Tiến độ giải quyết (tối đa 20)"
    by_code = {row[0]: row for row in rows[3:]}
    province = by_code["60"]
    assert province[2] == "Tỉnh" and province[4] == 13.33 and province[-3] == 27.77
    assert by_code["593"][2] == "Cấp huyện" and by_code["22915"][2] == "Cấp xã"
    assert rows[3][0] == "60"  # the province first, then departments, districts, communes
    kinds = [row[2] for row in rows[3:]]
    assert kinds == sorted(kinds, key=["Tỉnh", "Sở, ban, ngành", "Cấp huyện", "Cấp xã"].index)
