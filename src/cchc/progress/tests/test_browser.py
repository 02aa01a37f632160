"""In a real browser: a department records a task as done with a proof, its monitor follows it across units."""

import pytest

from cchc.core.tests.test_browser import ARTIFACTS, log_in
from cchc.progress.models import Evidence, TaskProgress

from .conftest import PDF


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_unit_records_a_task_done_with_evidence(plan_2023, stp_task, make_account, live_server, page, tmp_path):
    make_account("STP", "editor")
    proof = tmp_path / "Quyết định 12-QĐ-STP.pdf"
    proof.write_bytes(PDF)
    log_in(page, live_server, "editor-stp", "editor-stp-pass-2023")
    page.goto(f"{live_server.url}/progress/")
    page.click(f"a:text-is('{stp_task.code}')")
    page.wait_for_url(f"{live_server.url}/progress/2023/{stp_task.code}/STP/")
    page.select_option("#id_status", "done")
    page.fill("#id_completed_on", "15/03/2023")  # dd/mm/yyyy, whatever the browser's language
    page.fill("#id_note", "Đã ban hành quyết định")
    page.set_input_files("#id_evidence", str(proof))
    with page.expect_navigation():
        page.click("#progress-form button[type=submit]")
    row = TaskProgress.objects.get(task=stp_task, unit__code="STP")
    assert row.status == "done" and row.notes.get().text == "Đã ban hành quyết định"
    assert page.locator("#evidence a").inner_text() == "Quyết định 12-QĐ-STP.pdf"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "task-progress.png"), full_page=True)
    with page.expect_download() as download:
        page.click("#evidence a")
    assert download.value.suggested_filename == Evidence.objects.get().original_name

    page.goto(f"{live_server.url}/progress/")
    assert page.locator(f"tr[data-task='{stp_task.code}'] .badge").inner_text() in ("Đã hoàn thành", "Done")
    page.screenshot(path=str(ARTIFACTS / "unit-tasks.png"), full_page=True)
