"""The dashboard, the generated Word report, the scorecards and `cchc targets` give the same number for the same
target, level and period — they all read cchc.targets.queries.target_values."""

import datetime as dt
import json
import re
from io import StringIO

import docx
import openpyxl
import pytest
from django.core.management import call_command

from cchc.dashboard.tests.data import ROUTED, accepted_report, store
from cchc.documents.queries import compile_report, target_cell
from cchc.reports.models import ReportPeriod
from cchc.scorecards.queries import card_for
from cchc.targets.tests.data import agency_plan, entry, survey
from cchc.units.models import Unit

AS_OF = "2100-01-01"


@pytest.fixture
def data(plan_2023):
    plan = plan_2023
    snv, stp, lagi = (Unit.objects.get(code=c) for c in ("SNV", "STP", "594"))
    # 6.3: 90 % of 1,000 work files and 60 % of 3,000 → 67.5 % for the province (not the 75 % mean).
    # 2.5a (no rated dossier stored): 90 % of 100 ratings and 80 % of 300 → (90 + 240) / 400 = 82.5 %.
    accepted_report(
        snv,
        "Y",
        {"work_files_online": 90, "work_files_total": 1000, "satisfaction_tthc": 90, "satisfaction_respondents": 100},
    )
    accepted_report(
        lagi,
        "Y",
        {"work_files_online": 60, "work_files_total": 3000, "satisfaction_tthc": 80, "satisfaction_respondents": 300},
    )
    entry(plan, "1.1", numerator=38, denominator=39)  # 97.4 %
    entry(plan, "4.1", qualitative="partly")
    survey(2023, "admin", [("Đất đai", "TTHC", 100, 80.0), ("Hộ tịch", "TTHC", 300, 92.0)])  # 89 %
    agency_plan(plan, stp, dt.date(2023, 1, 30))
    store(Unit.objects.get(code="60"), ROUTED, "all", [75] * 12)
    store(Unit.objects.get(code="60"), ROUTED, "D", [72] * 12)
    store(lagi, ROUTED, "D", [64] * 12)
    return plan


def command_rows():
    out = StringIO()
    call_command("targets", year=2023, as_of=AS_OF, format="json", stdout=out)
    return {(r["code"], r["level"]): r for r in json.loads(out.getvalue())}


def test_the_command_contract(data):
    rows = command_rows()
    assert set(next(iter(rows.values()))) == {
        "code",
        "level",
        "source",
        "value",
        "numerator",
        "denominator",
        "threshold",
        "status",
        "period",
    }
    assert {code for code, level in rows if level == "all"} == {t.code for t in data.targets.all()}  # all 27
    assert rows[("6.3", "all")]["value"] == 67.5 and rows[("6.3", "all")]["source"] == "reports"
    assert rows[("6.3", "all")]["denominator"] == 4000
    assert rows[("1.1", "all")] | {"value": None} == {
        "code": "1.1",
        "level": "all",
        "source": "entered",
        "value": None,
        "numerator": 38,
        "denominator": 39,
        "threshold": 100,
        "status": "missed",
        "period": rows[("1.1", "all")]["period"],
    }
    assert rows[("3.3", "all")]["value"] == 89.0 and rows[("3.3", "all")]["status"] == "met"
    assert rows[("4.1", "all")]["value"] == 0.5 and rows[("4.1", "all")]["status"] == "missed"
    assert rows[("3.2", "all")] | {"period": ""} == {
        "code": "3.2",
        "level": "all",
        "source": "entered",
        "value": None,
        "numerator": None,
        "denominator": None,
        "threshold": 1,
        "status": "no_data",
        "period": "",
    }
    assert rows[("2.1", "D")]["value"] == 72.0 and rows[("2.1", "D")]["threshold"] == 70
    assert {r["level"] for r in rows.values()} <= {"P", "D", "C", "all"}
    assert {r["status"] for r in rows.values()} <= {"met", "on_track", "at_risk", "missed", "no_data"}


def test_dashboard_word_report_and_command_agree(data, client, make_account, tmp_path):
    rows = command_rows()
    client.force_login(make_account("VPUBND", "leader"))
    html = client.get("/dashboard/", {"period": "2023"}).content.decode()

    def cell_texts(code):
        row = re.search(rf'<tr data-target="{re.escape(code)}">(.*?)</tr>', html, re.S).group(1)
        return re.findall(r'class="figure"[^>]*>([^<]+)</a>', row)

    year = ReportPeriod.objects.get(year=2023, kind="Y")
    report = compile_report(year)
    by_code = {target.code: values for target, values in report.targets}
    path = tmp_path / "bao-cao.docx"
    annex = tmp_path / "phu-luc.xlsx"
    call_command("generate_report", year=2023, period="Y", out=str(path), annex=str(annex), stdout=StringIO())
    sheet = openpyxl.load_workbook(annex)["Chỉ tiêu Kế hoạch"]
    excel = {(r[0], r[2]): r[3] for r in sheet.iter_rows(min_row=2, values_only=True)}
    word_rows = {}
    for table in docx.Document(str(path)).tables:
        for table_row in table.rows:
            texts = [c.text for c in table_row.cells]
            if texts and re.fullmatch(r"\d\.\d[ab]?", texts[0]) and len(texts) == 8:
                word_rows[texts[0]] = texts

    assert rows[("2.5a", "all")]["value"] == 82.5
    checks = (
        ("2.5a", "all", 6),
        ("6.3", "P", 3),
        ("6.3", "D", 4),
        ("1.1", "all", 6),
        ("3.3", "all", 6),
        ("2.1", "D", 4),
    )
    for code, level, column in checks:
        number = rows[(code, level)]["value"]
        shown = f"{number:.1f}".replace(".", ",") + "%"
        assert shown in cell_texts(code), (code, cell_texts(code))
        assert by_code[code][level].value == pytest.approx(number)
        assert word_rows[code][column].startswith(shown), (code, word_rows[code])
        assert target_cell(by_code[code][level]).startswith(shown)
        label = {"P": "Cấp tỉnh", "D": "Cấp huyện", "C": "Cấp xã", "all": "Toàn tỉnh"}[level]
        assert excel[(code, label)] == pytest.approx(number, abs=0.01)
    assert word_rows["4.1"][6] == "Hoàn thành một phần"
    assert "Hoàn thành một phần" in cell_texts("4.1")


def test_a_scorecard_shows_the_units_own_level_value_of_the_shared_function(data):
    from cchc.indicators.periods import parse_period
    from cchc.targets.queries import target_values

    lagi = Unit.objects.get(code="594")
    card = card_for(lagi, 2023, dt.date(2024, 3, 1))
    shown = next(t for t in card.targets if t.code == "2.1")
    found = target_values(data, lagi, parse_period("2023"), levels=("D",))[("2.1", "D")]
    assert shown.value == pytest.approx(found.value) == pytest.approx(64)
