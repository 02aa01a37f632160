"""In a real Chromium: upload a catalogue and dossiers, watch the job finish, read the figures, drill down."""

import pytest

from cchc.conftest import grant_role
from cchc.core.tests.test_browser import ARTIFACTS, log_in
from cchc.dossiers.tests.test_import_page import CATALOGUE, DOSSIERS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_imports_dossiers_and_follows_a_figure_to_the_late_ones(
    plan_2023,
    django_user_model,
    live_server,
    page,
    tmp_path,
):
    user = django_user_model.objects.create_user(username="vp.ubnd", password="Cchc-2023-demo")
    grant_role(user, "administrator")  # the province administrator role imports (issue 13)
    (tmp_path / "tthc.csv").write_text(CATALOGUE, encoding="utf-8")
    (tmp_path / "hoso.csv").write_text(DOSSIERS, encoding="utf-8-sig")
    log_in(page, live_server, "vp.ubnd", "Cchc-2023-demo")

    for kind, name in (("catalogue", "tthc.csv"), ("dossiers", "hoso.csv")):
        page.goto(f"{live_server.url}/dossiers/import/")
        page.select_option("select[name=kind]", kind)
        page.set_input_files("input[name=file]", str(tmp_path / name))
        page.click("#import-submit")
        page.wait_for_selector("#job-box[data-status=done]")
    assert page.locator("td[data-key=inserted]").inner_text() == "2"
    assert page.locator("td[data-key=rejected]").inner_text() == "1"
    assert "9.999999" in page.locator("#import-errors").inner_text()

    page.goto(f"{live_server.url}/indicators/593/2023Q1/")
    on_time = page.locator("#metrics766 tr[data-code=PROCESSING_ON_TIME]")
    assert "50,0%" in on_time.inner_text() and "1 / 2" in on_time.inner_text()
    assert page.locator("#groups-chart").is_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "indicators-593-2023Q1.png"), full_page=True)

    page.click("a[href*='part=missing']")
    page.wait_for_selector("#dossier-table")
    assert page.locator("#dossier-total").inner_text() == "1"
    assert "HS-2" in page.locator("#dossier-table").inner_text()
