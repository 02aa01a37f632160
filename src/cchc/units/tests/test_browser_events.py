"""In Chromium: Sở Nội vụ's administrator records a 2026 merger of two wards from the events page, the form names what
is missing, and the new ward's page then shows the wards it came from, with the legal basis."""

import pytest

from cchc.core.tests.test_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_administrator_records_a_merger_and_the_new_wards_page_shows_its_history(
    units_2026, make_account, live_server, page
):
    make_account("SNV", "administrator", username="snv-quantri")
    log_in(page, live_server, "snv-quantri", "snv-quantri-pass-2023")
    page.goto(f"{live_server.url}/units/events/")
    assert page.locator("main table tbody tr").count() > 10  # the 2024 and 2025 events are listed
    with page.expect_navigation():
        page.click('main a[href="/units/events/new/"]')

    page.fill("#id_date", "01/03/2026")
    page.select_option("#id_kind", "merge")
    page.fill("#id_predecessors", "22918, 22924")
    page.fill("#id_successors", "22918; Phường Mũi Né - Phú Thủy; phường")
    page.click("main form button[type=submit]")
    # The legal basis is required: the browser keeps the form and points at the field (the server checks too).
    assert "/units/events/new/" in page.url and page.locator("#id_basis:invalid").count() == 1

    page.fill("#id_basis", "Nghị quyết số 01/2026 (ví dụ)")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url.endswith("/units/events/")
    assert page.locator("main article[role=status]").count() == 1  # "Event recorded: … opened, … closed"
    first = page.locator("main table tbody tr").first
    assert "01/03/2026" in first.inner_text() and "Nghị quyết số 01/2026" in first.inner_text()
    with page.expect_navigation():
        first.locator("td").nth(3).locator("a").first.click()
    body = page.locator("main").inner_text()
    assert "Phường Mũi Né - Phú Thủy" in body and "Nghị quyết số 01/2026" in body
