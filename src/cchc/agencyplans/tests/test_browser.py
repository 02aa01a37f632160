"""In a real browser: a department drafts its plan, uploads the signed copy, its head submits, the province accepts."""

import pytest

from cchc.agencyplans.models import AgencyPlan
from cchc.core.tests.test_browser import ARTIFACTS, log_in

from .conftest import PDF


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_department_issues_and_submits_its_plan(plan_2023, make_account, live_server, page, tmp_path, settings):
    settings.LANGUAGE_CODE = "vi"
    make_account("STP", "editor")
    make_account("STP", "head")
    make_account("SNV", "administrator")
    signed = tmp_path / "15-KH-STP.pdf"
    signed.write_bytes(PDF)

    log_in(page, live_server, "editor-stp", "editor-stp-pass-2023")
    page.goto(f"{live_server.url}/agency-plans/")
    page.wait_for_url(f"{live_server.url}/agency-plans/2023/STP/")
    page.fill("#id_document_number", "15/KH-STP")
    page.fill("#id_issued_on", "20/01/2023")  # dd/mm/yyyy, whatever the browser's language
    page.set_input_files("#id_signed_document", str(signed))
    page.fill("#id_items-0-owner", "Phòng Hành chính tư pháp")
    with page.expect_navigation():
        page.click("#plan-form button[type=submit]")
    assert "Đã lưu kế hoạch." in page.content()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "agency-plan-draft.png"), full_page=True)

    page.context.clear_cookies()
    log_in(page, live_server, "head-stp", "head-stp-pass-2023")
    page.goto(f"{live_server.url}/agency-plans/2023/STP/")
    with page.expect_navigation():
        page.click("button[value=submit]")
    assert page.locator("#status").inner_text() == AgencyPlan.objects.get().get_status_display()

    page.context.clear_cookies()
    log_in(page, live_server, "administrator-snv", "administrator-snv-pass-2023")
    page.goto(f"{live_server.url}/agency-plans/2023/")
    page.screenshot(path=str(ARTIFACTS / "agency-plans-overview.png"), full_page=True)
    page.click("a:text('Sở Tư pháp')")
    with page.expect_navigation():
        page.click("button[value=accept]")
    assert AgencyPlan.objects.get().status == "accepted"
    assert page.locator("#plan-form").count() == 0
