"""In a real Chromium: a district writes its Q1 2023 report, its head submits, Sở Nội vụ returns it with a comment,
the district corrects and resubmits, Sở Nội vụ accepts; then the report is locked and private to those who may see
it, and its page tells the story with who did what."""

import pytest

from cchc.core.tests.test_browser import ARTIFACTS, log_in
from cchc.reports.models import Report
from cchc.reports.tests.conftest import SECTIONS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_figures(page, figures):
    for code, value in figures.items():
        page.fill(f"#id_fig-{code}", value)


def test_a_district_report_goes_through_review_in_a_browser(q1, make_account, live_server, page):
    # q1: the Q1 2023 period with its internal deadlines moved 30 days ahead, so the submission is on time.
    for code, role in (("593", "editor"), ("593", "head"), ("SNV", "administrator"), ("594", "editor")):
        make_account(code, role)

    log_in(page, live_server, "editor-593", "editor-593-pass-2023")
    page.goto(f"{live_server.url}/reports/?year=2023")
    with page.expect_navigation():
        page.locator("tr[data-period=Q1] button.open-report").click()
    report = Report.objects.get(unit__code="593", period=q1)
    report_url = f"{live_server.url}/reports/{report.pk}/"
    assert page.url == report_url
    for name, text in SECTIONS.items():
        page.fill(f"#id_{name}", text)
    fill_figures(
        page,
        {
            "legal_docs_issued": "10",
            "legal_docs_reviewed": "12",  # more than issued: reviews cover earlier years, so it is valid
            "psu_total": "40",
            "psu_staff": "1500",
            "inspections_total": "10",
            "inspections_digital": "12",
        },
    )
    page.fill("#id_fig-work_files_online", "72,5")
    with page.expect_navigation():
        page.click("#save-report")  # a failing cross-check does not stop the draft from being saved
    check = page.locator("#report-checks li[data-field=inspections_digital]")
    assert "không được lớn hơn “Số cuộc kiểm tra đã thực hiện trong kỳ” (10)" in check.inner_text()
    assert page.locator("#report-checks li[data-field=legal_docs_reviewed]").count() == 0
    # Each figure says which days it covers: the report's window, or the year so far.
    assert page.locator("tr[data-code=legal_docs_issued] small.covers").inner_text() == "15/12/2022–14/03/2023"
    assert Report.objects.get(pk=report.pk).figures.get(code="inspections_digital").value == 12  # kept as a draft
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-593-2023Q1-invalid-figure.png"), full_page=True)
    page.fill("#id_fig-inspections_digital", "8")
    with page.expect_navigation():
        page.click("#save-report")  # saved: redirected to the report page
    assert page.locator("small.errorlist, #report-checks").count() == 0
    assert page.input_value("#id_fig-inspections_digital") == "8"
    assert page.input_value("#id_fig-legal_docs_reviewed") == "12"
    page.click("#send-report")
    page.wait_for_selector("#report-prepared")

    log_in(page, live_server, "head-593", "head-593-pass-2023")
    page.goto(report_url)
    page.click("#submit-report")
    page.wait_for_selector("#report-status[data-status=submitted]")
    assert page.locator("#report-status [data-timing=on_time]").count() == 1

    log_in(page, live_server, "administrator-snv", "administrator-snv-pass-2023")
    page.goto(f"{live_server.url}/reports/review/")
    page.click(f"#review-queue a[href='/reports/{report.pk}/']")
    page.fill("#id_comment", "Đề nghị bổ sung số liệu đơn vị sự nghiệp theo mức tự chủ.")
    with page.expect_navigation():
        page.click("#return-report")
    assert page.url == report_url  # the returned report stays visible to the reviewer who returned it
    page.goto(f"{live_server.url}/reports/review/")
    assert page.locator(f"#review-queue a[href='/reports/{report.pk}/']").count() == 0  # nothing more to review

    log_in(page, live_server, "editor-593", "editor-593-pass-2023")
    page.goto(report_url)
    assert "bổ sung số liệu đơn vị sự nghiệp" in page.locator("#review-comment").inner_text()
    fill_figures(page, {"psu_autonomy_recurrent": "5", "psu_autonomy_partial": "20", "psu_autonomy_state": "15"})
    page.click("#send-report")
    page.wait_for_selector("#report-prepared")

    log_in(page, live_server, "head-593", "head-593-pass-2023")
    page.goto(report_url)
    page.click("#submit-report")
    page.wait_for_selector("#report-status[data-status=submitted]")

    log_in(page, live_server, "administrator-snv", "administrator-snv-pass-2023")
    page.goto(report_url)
    page.click("#accept-report")
    page.wait_for_selector("#report-status[data-status=accepted]")

    log_in(page, live_server, "editor-593", "editor-593-pass-2023")
    page.goto(report_url)
    assert page.locator("main input, main textarea, main select").count() == 0
    assert page.locator("#save-report, #send-report, #submit-report").count() == 0
    assert page.locator("tr[data-code=psu_autonomy_partial] td.num").inner_text().strip() == "20"
    forged = page.evaluate(
        """async () => {
            const token = JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRFToken'];
            const body = new URLSearchParams({csrfmiddlewaretoken: token, action: 'save', steering: 'forged'});
            const response = await fetch(location.href, {method: 'POST', body});
            return response.status;
        }"""
    )
    assert forged == 403
    assert Report.objects.get(pk=report.pk).steering == SECTIONS["steering"]

    timeline = [
        (row.get_attribute("data-action"), row.locator("td.actor").inner_text())
        for row in page.locator("#timeline tbody tr").all()
    ]
    assert timeline == [
        ("hand", "editor-593"),
        ("submit", "head-593"),
        ("return", "administrator-snv"),
        ("hand", "editor-593"),
        ("submit", "head-593"),
        ("accept", "administrator-snv"),
    ]
    page.locator("details.history summary").click()
    assert "administrator-snv" in page.locator("details.history").inner_text()
    page.screenshot(path=str(ARTIFACTS / "report-593-2023Q1-accepted.png"), full_page=True)

    log_in(page, live_server, "editor-594", "editor-594-pass-2023")
    response = page.goto(report_url)
    assert response.status == 404

    # The administrator's audit log lists each step with its author: the report's status changes and the events.
    log_in(page, live_server, "administrator-snv", "administrator-snv-pass-2023")
    page.goto(f"{live_server.url}/audit/?workflow=on")
    steps = page.locator("#audit-table tbody tr.workflow")
    assert steps.count() >= 8  # 4 review events + 4 status changes of the report
    log_text = page.locator("#audit-table").inner_text()
    assert "head-593" in log_text and "administrator-snv" in log_text
    assert "bổ sung số liệu đơn vị sự nghiệp" in log_text  # the return's comment
    page.screenshot(path=str(ARTIFACTS / "audit-log-workflow-steps.png"), full_page=True)
