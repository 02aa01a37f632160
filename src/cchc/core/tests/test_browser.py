"""A real Chromium logs in and reads the plan, as an official would."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(os.environ.get("CCHC_TEST_ARTIFACTS", Path(__file__).resolve().parents[4] / "test-artifacts"))


def log_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "/login/" not in page.url, "login failed"


def test_an_official_logs_in_and_reads_the_plan(plan_2023, django_user_model, live_server, page):
    django_user_model.objects.create_user(username="snv.officer", password="Cchc-2023-demo")
    page.goto(f"{live_server.url}/plans/2023/")
    assert "/login/" in page.url  # anonymous: sent to log in first

    page.fill("#id_username", "snv.officer")
    page.fill("#id_password", "Cchc-2023-demo")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/plans/2023/")

    # Vietnamese although the browser asks for English
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.locator("h1").inner_text() == "Kế hoạch Cải cách hành chính nhà nước năm 2023 tỉnh Bình Thuận"
    row = page.locator("tr", has=page.locator("a", has_text="2.1")).first
    assert "Hồ sơ TTHC được luân chuyển" in row.inner_text()
    assert [c.strip() for c in row.locator("td.num").all_inner_texts()[:3]] == ["≥ 70%", "≥ 70%", "≥ 60%"]
    assert page.locator("section h2").count() == 7

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "plan-2023.png"), full_page=True)

    page.click("text=48 nhiệm vụ")
    page.wait_for_url(f"{live_server.url}/plans/2023/tasks/")
    assert page.locator("#task-table tbody tr").count() == 48
    page.select_option("select[name=area]", label="6. Xây dựng và phát triển Chính quyền điện tử, Chính quyền số")
    # No string predicate (wait_for_function evaluates it, which the Content-Security-Policy forbids): a locator.
    expect(page.locator("#task-table tbody tr")).to_have_count(8)
    assert "area=" in page.url  # the filter is in the address, so it can be shared
    assert "T6.8" in page.locator("#task-table").inner_text()
