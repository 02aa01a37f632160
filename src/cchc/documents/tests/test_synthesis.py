"""Sections III–V of the province report: a synthesis by theme with the units that said each thing, not pasted
paragraphs; period words, not codes; task status as of the report's cut-off (the Word file opened back)."""

import datetime as dt
import re

import pytest

from cchc.documents import synthesis
from cchc.documents.queries import Options, compile_report
from cchc.documents.tests.docx_text import paragraphs, tables
from cchc.documents.word import render
from cchc.plans.models import Task
from cchc.progress.models import TaskProgress
from cchc.reports.models import Report

SAME = (
    "Công tác CCHC được triển khai đồng bộ, đúng kế hoạch. Tuy nhiên, việc số hóa hồ sơ, kết quả giải quyết TTHC "
    "còn chậm; một số nhiệm vụ chưa hoàn thành đúng thời hạn do thiếu nhân lực chuyên trách."
)
OTHER = (
    "Các nhiệm vụ CCHC cơ bản hoàn thành theo tiến độ. Hạn chế: tỷ lệ thanh toán trực tuyến còn thấp; hạ tầng "
    "công nghệ thông tin chưa đáp ứng yêu cầu."
)


def test_statements_are_sorted_into_results_limits_causes_and_merged_with_their_units():
    found = synthesis.synthesise(
        [("Sở A", SAME), ("Sở B", OTHER), ("Huyện C", SAME + " Đã bổ sung, làm rõ theo ý kiến của cơ quan thẩm định.")],
        kinds=(synthesis.RESULT, synthesis.LIMIT, synthesis.CAUSE),
    )
    limits = {s.text: s.units for s in found.statements(synthesis.LIMIT)}
    assert limits["Việc số hóa hồ sơ, kết quả giải quyết TTHC còn chậm"] == ["Sở A", "Huyện C"]  # once, two units
    assert limits["Tỷ lệ thanh toán trực tuyến còn thấp"] == ["Sở B"]
    causes = {s.text: s.units for s in found.statements(synthesis.CAUSE)}
    assert causes == {"Thiếu nhân lực chuyên trách": ["Sở A", "Huyện C"]}  # the "… do …" clause
    results = [s.text for s in found.statements(synthesis.RESULT)]
    assert "Công tác CCHC được triển khai đồng bộ, đúng kế hoạch" in results
    assert not any("thẩm định" in s.text for kind in synthesis.KINDS for s in found.statements(kind))
    # by theme: the limitation on digitising dossiers is about procedures, the infrastructure about digital
    assert "procedures" in found.by_kind[synthesis.LIMIT] and "digital" in found.by_kind[synthesis.LIMIT]


def test_nothing_to_propose_is_left_out_and_near_duplicates_merge():
    found = synthesis.synthesise(
        [
            ("Sở A", "Không có."),
            ("Sở B", "Đề nghị Sở Nội vụ tổ chức tập huấn nghiệp vụ CCHC cho công chức làm công tác tham mưu."),
            ("Sở C", "Đề nghị Sở Nội vụ tổ chức tập huấn nghiệp vụ CCHC cho công chức làm công tác tham mưu"),
        ],
        kinds=(synthesis.PROPOSAL,),
        default=synthesis.PROPOSAL,
    )
    proposals = found.statements(synthesis.PROPOSAL)
    assert len(proposals) == 1 and proposals[0].units == ["Sở B", "Sở C"]
    assert found.units == ["Sở B", "Sở C"]
    assert synthesis.sentence(proposals[0]) == (
        "- Đề nghị Sở Nội vụ tổ chức tập huấn nghiệp vụ CCHC cho công chức làm công tác tham mưu"
        " (2 cơ quan, đơn vị: Sở B, Sở C)."
    )


@pytest.fixture
def report_q1(q1_2023, plan_2023, tmp_path):
    """Two more accepted reports say the same as Phan Thiết; a task done in May counts as under way on 14/03."""
    Report.objects.filter(period=q1_2023, status="accepted").update(assessment=SAME, proposals="Không có.")
    Report.objects.filter(period=q1_2023, unit__code="594").update(assessment=OTHER)
    task = Task.objects.filter(plan=plan_2023, area__number=1).order_by("order").first()
    TaskProgress.objects.filter(task=task, unit__code="594").update(status="done", completed_on=dt.date(2023, 5, 4))
    compiled = compile_report(q1_2023, Options(number_symbol="25/BC-UBND", date=dt.date(2023, 3, 20)))
    return compiled, render(compiled, tmp_path / "q1.docx"), task


def test_the_word_report_gives_each_statement_once_with_the_units_that_made_it(report_q1):
    _compiled, path, _task = report_q1
    text = paragraphs(path)
    assessment = text[text.index("III. ĐÁNH GIÁ CHUNG") : text.index("IV. NHIỆM VỤ TRỌNG TÂM KỲ TỚI")]
    assert "2. Tồn tại, hạn chế" in assessment and "3. Nguyên nhân" in assessment
    merged = [line for line in assessment if line.startswith("- Việc số hóa hồ sơ, kết quả giải quyết TTHC còn chậm")]
    assert merged == [
        "- Việc số hóa hồ sơ, kết quả giải quyết TTHC còn chậm (2 cơ quan, đơn vị: Sở Tư pháp, Thành phố Phan Thiết)."
    ]
    assert "- Thiếu nhân lực chuyên trách (2 cơ quan, đơn vị: Sở Tư pháp, Thành phố Phan Thiết)." in assessment
    assert any(line.startswith("- Tỷ lệ thanh toán trực tuyến còn thấp (Thị xã La Gi)") for line in assessment)
    assert not any(line.startswith("- Sở Tư pháp:") or line.startswith("- Thị xã La Gi:") for line in text)
    proposals = text[text.index("V. ĐỀ XUẤT, KIẾN NGHỊ") :]
    assert "Không có nội dung trong các báo cáo đã được chấp nhận." in proposals


def test_no_period_codes_in_the_text(report_q1):
    _compiled, path, _task = report_q1
    everything = paragraphs(path) + [cell for table in tables(path) for row in table for cell in row]
    assert not [line for line in everything if re.search(r"\b20\d\d(Q[1-4]|S[12])\b", line)]
    assert any("quý I năm 2023" in line for line in paragraphs(path))


def test_task_status_is_the_one_of_the_cut_off_not_today(report_q1):
    compiled, path, task = report_q1
    table = next(t for t in tables(path) if t[0][:3] == ["Mã", "Nhiệm vụ", "Thời hạn"] and t[1][0] == task.code)
    # Phan Thiết finished on 01/02 (done by 14/03); La Gi finished on 04/05: under way on 14/03, not "done".
    assert table[1][3:5] == ["1", "1"]
    lines = paragraphs(path)
    assert any(line.startswith("Đến ngày 14/03/2023, 1/2 lượt nhiệm vụ") for line in lines)


def test_the_annex_names_periods_in_words(report_q1, tmp_path):
    from openpyxl import load_workbook

    from cchc.documents.excel import render_annex

    compiled, _path, _task = report_q1
    book = load_workbook(render_annex(compiled, tmp_path / "annex.xlsx"))
    cells = [str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert not [c for c in cells if re.search(r"\b20\d\d(Q[1-4]|S[12])\b", c)]


def test_without_districts_the_communes_own_words_are_in_the_synthesis(plan_2023, load_units_2026):
    from io import StringIO

    from django.core.management import call_command

    from cchc.reports.models import ReportPeriod
    from cchc.units.models import Unit

    load_units_2026()
    call_command("copy_plan", "--from", "2023", "--to", "2026", stdout=StringIO())
    call_command("create_report_periods", "2026", stdout=StringIO())
    period = ReportPeriod.objects.get(year=2026, kind="Q1")
    ward = Unit.objects.valid_on(dt.date(2026, 3, 14)).get(code="22945")
    Report.objects.create(
        unit=ward, period=period, status="accepted", proposals="Đề nghị bố trí kinh phí số hóa hồ sơ TTHC."
    )
    proposals = compile_report(period).section("proposals")
    lines = [block for child in proposals.children for block in child.blocks]
    assert f"- Đề nghị bố trí kinh phí số hóa hồ sơ TTHC ({ward.name})." in lines
