"""A leader opens the dashboard in Chromium, filters to a district and follows a figure to its dossiers."""

from io import StringIO

import pytest
from django.core.management import call_command

from cchc.core.tests.test_browser import ARTIFACTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def synthetic_year(plan_2023, synthetic_files):
    """3,000 synthetic 2023 dossiers imported and computed, as `cchc demo` does with 300,000."""
    out, catalogue = synthetic_files(3000, 5)
    quiet = StringIO()
    call_command("import_catalogue", str(catalogue), stdout=quiet)
    call_command("import_dossiers", str(out), stdout=quiet)
    call_command("recompute_indicators", year=2023, stdout=quiet)


def test_a_leader_filters_to_a_district_and_follows_a_figure(synthetic_year, make_account, live_server, page):
    make_account("60", "leader", username="lanhdao")
    log_in(page, live_server, "lanhdao", "lanhdao-pass-2023")
    page.goto(f"{live_server.url}/dashboard/")
    assert page.locator("h1").inner_text() == "Bảng điều hành của tỉnh"
    assert page.locator("tr[data-target]").count() == 27
    page.wait_for_function("document.querySelectorAll('canvas.trend').length > 0")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-2023.png"), full_page=True)

    page.select_option("#board-filters select[name=unit]", value="593")
    with page.expect_navigation():
        page.click("#board-filters button[type=submit]")
    assert "unit=593" in page.url
    assert page.locator("#board-unit").inner_text() == "Thành phố Phan Thiết"

    figure = page.locator('tr[data-target="2.1"] a.figure').first
    href = figure.get_attribute("href")
    assert href.startswith("/indicators/593/2023/dossiers/?metric=ROUTED_ELECTRONICALLY")
    with page.expect_navigation():
        figure.click()
    total = int(page.locator("#dossier-total").inner_text().replace(".", "").replace(",", ""))
    assert total > 0
    assert page.locator("table tbody tr").count() > 0
