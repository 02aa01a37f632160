"""The Excel files hold numbers as numbers with a grouped display format, and times in Vietnam's time (UTC+7)."""

import datetime as dt

import pytest
from django.utils import translation
from openpyxl import load_workbook

from cchc.documents.excel import render_annex
from cchc.documents.queries import Options, compile_report
from cchc.formats import XLSX_DATETIME, XLSX_INTEGER, XLSX_PERCENT
from cchc.reports.models import Report
from cchc.review.models import ReviewState


@pytest.fixture
def annex(q1_2023, tmp_path):
    report = compile_report(q1_2023, Options(number_symbol="25/BC-UBND", date=dt.date(2023, 3, 20)))
    return load_workbook(render_annex(report, tmp_path / "annex.xlsx"))


def test_counts_are_numbers_shown_with_grouped_thousands(annex):
    sheet = annex["Phụ lục số liệu"]
    row = next(r for r in sheet.iter_rows() if r[1].value == "legal_docs_issued")
    total = row[7]  # "Toàn tỉnh"
    assert total.data_type == "n" and total.value == 20 and total.number_format == XLSX_INTEGER
    on_time = next(r for r in sheet.iter_rows() if r[1].value == "PROCESSING_ON_TIME")[7]
    assert on_time.value == 66.67 and on_time.number_format == XLSX_PERCENT  # shown 66,7 in a Vietnamese Excel


def test_submission_times_are_vietnam_time_date_cells_and_states_are_words(annex):
    report = Report.objects.get(unit__code="593", period__kind="Q1")
    stored = report.first_submitted_at  # aware, kept in UTC by the database
    sheet = annex["Tình hình gửi báo cáo"]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "593")
    sent_at = row[4]
    assert sent_at.is_date and sent_at.number_format == XLSX_DATETIME
    expected = stored.astimezone(dt.timezone(dt.timedelta(hours=7))).replace(tzinfo=None)
    assert sent_at.value == expected
    assert sent_at.value != stored.astimezone(dt.UTC).replace(tzinfo=None)  # not UTC
    with translation.override("vi"):
        assert row[5].value == str(ReviewState.ACCEPTED.label) != "accepted"  # the state's Vietnamese label
