"""In a real Chromium: Phan Thiết (593) scores itself with evidence and its head submits; Sở Nội vụ appraises two
rows down with notes; the district explains one row; Sở Nội vụ finalises and publishes; the ranking and the Word and
Excel results show the index worked out by hand; nobody can change a locked score."""
# ruff: noqa: F811 — the fixtures are imported from tests/pages.py (no conftest of its own in this app)

import io
from decimal import Decimal

import pytest

from cchc.core.tests.test_browser import ARTIFACTS, log_in
from cchc.scoring.models import Assessment, Score
from cchc.scoring.tests.pages import PDF, district_set  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What the district enters (1.3 does not apply; TR.1 is a deduction) and what the council changes.
SELF = {"1.1": "4", "1.2": "2,5", "2.1": "5", "TR.1": "1"}
APPRAISED = {"1.1": ("3", "Kế hoạch chưa phân công cụ thể"), "2.1": ("4,5", "Chưa công khai đủ thủ tục")}
SURVEY = Decimal("3")  # 2.2, imported by Sở Nội vụ (the fixture)
MAXIMA = {"1.1": 4, "1.2": 3, "1.3": 3, "2.1": 6, "2.2": 4}


def expected_index() -> Decimal:
    points = Decimal("3") + Decimal("2.5") + Decimal("4.5") + SURVEY  # final: appraised, else self, and the survey
    deduction = Decimal("1")
    applicable = sum(v for k, v in MAXIMA.items() if k != "1.3")  # 1.3 does not apply: its maximum leaves
    return ((points - deduction) / applicable * 100).quantize(Decimal("0.01"))


def sheet_status(page) -> str:
    return page.locator("#sheet-status").get_attribute("data-status")


def test_a_district_is_scored_appraised_finalised_and_ranked(district_set, make_account, live_server, page, tmp_path):
    for role in ("editor", "head"):
        make_account("593", role)
    make_account("SNV", "administrator")
    sheet_url = f"{live_server.url}/scoring/2023/593/"
    proof = tmp_path / "Kế hoạch 10-KH-UBND.pdf"
    proof.write_bytes(PDF)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    # The district's editor fills the sheet: scores, a note, a PDF as evidence, explanations where there is none.
    log_in(page, live_server, "editor-593", "editor-593-pass-2023")
    page.goto(f"{live_server.url}/scoring/")
    assert page.url == sheet_url
    page.click("#open-sheet")  # the first visit offers to open the sheet; opening is a POST
    page.wait_for_selector("[name='self-1.1']")
    for code, value in SELF.items():
        page.fill(f"[name='self-{code}']", value)
    page.fill("[name='note-1.1']", "Kế hoạch số 10/KH-UBND ngày 15/01/2023")
    page.set_input_files("[name='evidence-1.1']", str(proof))
    page.check("[name='na-1.3']")
    page.fill("[name='why-1.2']", "Biên bản kiểm tra lưu bản giấy tại Phòng Nội vụ")
    page.fill("[name='why-2.1']", "Niêm yết tại Bộ phận một cửa")
    page.fill("[name='why-TR.1']", "Báo cáo quý I gửi trễ 2 ngày")
    page.fill("[name='self-2.1']", "7")  # above the maximum of 6: refused on its row, nothing saved
    with page.expect_navigation():
        page.click("#save-sheet")
    assert "2.1:" in page.locator("tr[data-code='2.1'] small.errorlist").inner_text()
    assert not Score.objects.filter(criterion__code="1.1", self_score__isnull=False).exists()
    page.screenshot(path=str(ARTIFACTS / "scoring-593-score-above-maximum.png"), full_page=True)
    page.fill("[name='self-2.1']", SELF["2.1"])
    page.set_input_files("[name='evidence-1.1']", str(proof))  # the refused post did not keep the file
    with page.expect_navigation():
        page.click("#save-sheet")
    assert page.locator("small.errorlist").count() == 0
    assert page.locator("tr[data-code='1.1'] td.evidence a").inner_text() == proof.name
    # so far: (4 + 2.5 + 5 + 3 − 1) / 17 × 100
    assert page.locator("#index-total").inner_text() == "79,41"
    with page.expect_download() as download:
        page.click("tr[data-code='1.1'] td.evidence a")
    assert download.value.suggested_filename == proof.name
    page.screenshot(path=str(ARTIFACTS / "scoring-593-self-assessment.png"), full_page=True)
    assert page.locator("#submit-sheet").count() == 0  # the editor does not submit

    log_in(page, live_server, "head-593", "head-593-pass-2023")
    page.goto(sheet_url)
    with page.expect_navigation():
        page.click("#submit-sheet")
    assert sheet_status(page) == "submitted"

    # The council (Sở Nội vụ) finds it in its worklist and appraises two rows down, with notes.
    log_in(page, live_server, "administrator-snv", "administrator-snv-pass-2023")
    page.goto(f"{live_server.url}/scoring/")
    assert page.locator("#worklist tr[data-unit='593']").get_attribute("data-status") == "submitted"
    page.screenshot(path=str(ARTIFACTS / "scoring-council-worklist.png"), full_page=True)
    page.click("#worklist tr[data-unit='593'] a")
    page.wait_for_url(sheet_url)
    for code, (value, note) in APPRAISED.items():
        page.fill(f"[name='appraised-{code}']", value)
        page.fill(f"[name='appraisal-note-{code}']", note)
    with page.expect_navigation():
        page.click("#appraise-sheet")
    assert sheet_status(page) == "appraised"
    page.screenshot(path=str(ARTIFACTS / "scoring-593-appraised.png"), full_page=True)

    # The district sees the draft appraisal and explains one row, once.
    log_in(page, live_server, "editor-593", "editor-593-pass-2023")
    page.goto(sheet_url)
    assert APPRAISED["1.1"][1] in page.locator("tr[data-code='1.1'] td.appraisal").inner_text()
    page.fill("[name='explain-1.1']", "Phân công cụ thể tại Phụ lục kèm theo Kế hoạch")
    with page.expect_navigation():
        page.click("#explain-sheet")
    assert sheet_status(page) == "explained"
    assert page.locator("#explain-sheet").count() == 0

    # The council finalises: the scores are locked.
    log_in(page, live_server, "administrator-snv", "administrator-snv-pass-2023")
    page.goto(sheet_url)
    assert "Phụ lục kèm theo" in page.locator("tr[data-code='1.1'] td.explanation").inner_text()
    with page.expect_navigation():
        page.click("#finalise-sheet")
    assert sheet_status(page) == "final"
    shown = f"{expected_index():.2f}"
    assert shown == "70.59"
    assert page.locator("#index-total").inner_text() == shown.replace(".", ",")
    page.screenshot(path=str(ARTIFACTS / "scoring-593-final.png"), full_page=True)

    # The ranking shows it; the administrator publishes; the Word annex and the Excel table carry the same index.
    page.goto(f"{live_server.url}/scoring/2023/ranking/?kind=district")
    row = page.locator("#ranking tr[data-unit='593']")
    assert row.locator("td.index").inner_text() == shown.replace(".", ",")
    assert row.locator("td.rank").inner_text() == "1"
    with page.expect_navigation():
        page.click("#publish")
    page.screenshot(path=str(ARTIFACTS / "scoring-ranking-district-2023.png"), full_page=True)
    with page.expect_download() as download:
        page.click("#download-annex")
    from docx import Document

    annex = Document(download.value.path())
    cells = [cell.text for table in annex.tables for row in table.rows for cell in row.cells]
    assert shown.replace(".", ",") in cells
    assert any("Phan Thiết" in cell for cell in cells)
    with page.expect_download() as download:
        page.click("#download-table")
    from openpyxl import load_workbook

    with open(download.value.path(), "rb") as downloaded:
        book = load_workbook(io.BytesIO(downloaded.read()))
    values = [cell for row in book.active.iter_rows(values_only=True) for cell in row]
    assert float(shown) in values

    # Nobody can change a locked score: no inputs, and a forged POST is refused.
    for username in ("editor-593", "head-593", "administrator-snv"):
        log_in(page, live_server, username, f"{username}-pass-2023")
        page.goto(sheet_url)
        assert page.locator("main input[type=text], main textarea").count() == 0
        statuses = page.evaluate(
            """async () => {
                const token = JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRFToken'];
                const send = (url, fields) => fetch(url, {method: 'POST',
                    body: new URLSearchParams({csrfmiddlewaretoken: token, ...fields})}).then(r => r.status);
                return [
                    await send(location.href, {action: 'save', 'self-1.1': '4'}),
                    await send(location.href, {action: 'appraise', 'appraised-1.1': '4', 'appraisal-note-1.1': 'x'}),
                    await send(location.href + 'act/', {action: 'finalise'}),
                ];
            }"""
        )
        assert statuses == [403, 403, 403], username
    assessment = Assessment.objects.get(unit__code="593")
    assert assessment.status == "final"
    assert assessment.scores.get(criterion__code="1.1").final_score == Decimal("3")
    page.screenshot(path=str(ARTIFACTS / "scoring-593-locked.png"), full_page=True)
