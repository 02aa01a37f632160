"""In Chromium set to English (en-US), a date field still reads and writes dd/mm/yyyy (a native date input would
show mm/dd/yyyy); numbers typed the Vietnamese way are kept."""

import datetime as dt

import pytest

from cchc.core.tests.test_browser import log_in
from cchc.progress.models import TaskProgress

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_completion_date_is_typed_and_shown_day_first_in_an_english_browser(
    plan_2023, make_account, live_server, page
):
    task = plan_2023.tasks.filter(agencies__code="STP").order_by("order").first()
    make_account("STP", "editor")
    log_in(page, live_server, "editor-stp", "editor-stp-pass-2023")
    page.goto(f"{live_server.url}/progress/2023/{task.code}/STP/")

    field = page.locator("#id_completed_on")
    assert field.get_attribute("type") == "text"  # not the browser's own mm/dd/yyyy date input
    assert field.get_attribute("placeholder") == "dd/mm/yyyy"
    page.select_option("#id_status", "done")
    field.fill("25/03/2023")  # no month 25: only a day-first reading accepts it
    with page.expect_navigation():
        page.click("#progress-form button[type=submit]")

    assert TaskProgress.objects.get(task=task, unit__code="STP").completed_on == dt.date(2023, 3, 25)
    assert page.locator("#id_completed_on").input_value() == "25/03/2023"
