"""In Chromium: Sở Tư pháp's editor enters 1.1 with its evidence, the head submits, Sở Nội vụ accepts, and the
leader's dashboard shows the value with a link back to the entry."""

import pytest

from cchc.core.tests.test_browser import ARTIFACTS, log_in
from cchc.demo.pdf import tiny_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_entry_submit_accept_journey(plan_2023, make_account, live_server, page, tmp_path):
    make_account("STP", "editor", username="stp-nhap")
    make_account("STP", "head", username="stp-lanhdao")
    make_account("SNV", "administrator", username="snv-quantri")
    make_account("VPUBND", "leader", username="lanhdao")
    evidence = tmp_path / "bao-cao-vbqppl.pdf"
    evidence.write_bytes(tiny_pdf(["Bao cao cong tac xay dung VBQPPL nam 2023"]))

    log_in(page, live_server, "stp-nhap", "stp-nhap-pass-2023")
    page.goto(f"{live_server.url}/targets/")
    row = page.locator('tr[data-target="1.1"]')
    with page.expect_navigation():
        row.locator("form").last.locator("button").click()  # the year report's value
    page.fill("input[name=numerator]", "38")
    page.fill("input[name=denominator]", "39")
    with page.expect_navigation():
        page.click("#entry-form button[type=submit]")
    page.set_input_files("#evidence-form input[type=file]", str(evidence))
    with page.expect_navigation():
        page.click("#evidence-form button[type=submit]")
    assert "bao-cao-vbqppl.pdf" in page.locator("#evidence").inner_text()
    entry_url = page.url

    page.context.clear_cookies()
    log_in(page, live_server, "stp-lanhdao", "stp-lanhdao-pass-2023")
    page.goto(entry_url)
    with page.expect_navigation():
        page.click("#review-form button[value=submit]")
    assert page.locator("#status").inner_text() == "Đã gửi"

    page.context.clear_cookies()
    log_in(page, live_server, "snv-quantri", "snv-quantri-pass-2023")
    page.goto(entry_url)
    with page.expect_navigation():
        page.click("#review-form button[value=accept]")
    assert page.locator("#status").inner_text() == "Đã chấp nhận"

    page.context.clear_cookies()
    log_in(page, live_server, "lanhdao", "lanhdao-pass-2023")
    page.goto(f"{live_server.url}/dashboard/?period=2023")
    figure = page.locator('tr[data-target="1.1"] a.figure')
    assert figure.inner_text() == "97,4%"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-entered-1.1.png"), full_page=True)
    with page.expect_navigation():
        figure.click()
    assert page.url == entry_url
