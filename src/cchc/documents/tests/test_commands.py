"""The command-line generation, as the README shows it."""

from io import StringIO

import docx
import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook


def test_generate_report_with_annex(q1_2023, tmp_path):
    out, annex = tmp_path / "bao-cao-q1-2023.docx", tmp_path / "annex.xlsx"
    stdout = StringIO()
    call_command(
        "generate_report",
        "--year=2023",
        "--period=Q1",
        f"--out={out}",
        f"--annex={annex}",
        "--number=25/BC-UBND",
        "--date=2023-03-20",
        "--signer=Nguyễn Hồng Hải",
        "--signer-title=Phó Chủ tịch",
        stdout=stdout,
    )
    printed = stdout.getvalue()
    assert "[1/6]" in printed and f"wrote {out}" in printed and f"wrote {annex}" in printed
    document = docx.Document(out)
    assert "Số: 25/BC-UBND" in document.tables[0].rows[0].cells[0].text
    assert "Nguyễn Hồng Hải" in document.tables[-1].rows[0].cells[1].text
    assert "Phụ lục số liệu" in load_workbook(annex).sheetnames


def test_generate_766_table(q1_2023, tmp_path):
    out = tmp_path / "766.xlsx"
    stdout = StringIO()
    call_command("generate_766_table", "--period=2023Q1", f"--out={out}", stdout=stdout)
    assert "units)" in stdout.getvalue()
    codes = [row[0] for row in load_workbook(out).active.iter_rows(min_row=4, values_only=True)]
    assert codes[0] == "60" and "593" in codes and "22915" in codes


@pytest.mark.parametrize(
    ("command", "args", "message"),
    [
        ("generate_report", ["--year=2019", "--period=Q1", "--out=x.docx"], "--period: no Q1 report period in 2019"),
        ("generate_report", ["--year=2023", "--period=Q1", "--out=x.pdf"], "--out: x.pdf must end in .docx"),
        ("generate_report", ["--year=2023", "--period=Q1", "--out=x.docx", "--date=20/03"], "--date:"),
        ("generate_766_table", ["--period=2023Q7", "--out=x.xlsx"], "--period:"),
    ],
)
def test_bad_arguments_are_named(q1_2023, command, args, message):
    with pytest.raises(CommandError, match=message):
        call_command(command, *args, stdout=StringIO())
