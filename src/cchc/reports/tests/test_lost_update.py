"""An editor's save racing the head's submit never undoes the submission: the later write is refused, the user is
told to reload (409), and nothing of the stale page is written."""

import pytest
from django.db import transaction
from django.test import Client

from cchc.progress.models import TaskProgress
from cchc.reports import services
from cchc.reports.models import Report
from cchc.reports.tests.conftest import complete_report, form_data, unit
from cchc.review.concurrency import ConcurrentChange
from cchc.review.models import ReviewState
from cchc.review.states import Action

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_save_from_a_page_shown_before_the_submit_is_refused_with_409(q1, accounts):
    report = complete_report("593", q1)
    editor, head = logged_in(accounts["editor"]), logged_in(accounts["head"])
    page = editor.get(report.get_absolute_url())
    shown = f'name="version" value="{report.version}"'
    assert shown in page.content.decode()

    assert head.post(report.get_absolute_url(), {"action": Action.SUBMIT, "version": report.version}).status_code == 302

    stale = form_data(sections={"steering": "Viết lại", "results": "x", "assessment": "y", "next_tasks": "z"})
    response = editor.post(report.get_absolute_url(), {**stale, "version": report.version})
    assert response.status_code == 409
    assert "Tải lại trang" in response.content.decode() or "Reload" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReviewState.SUBMITTED
    assert report.steering != "Viết lại"


def test_a_save_that_read_the_row_before_a_submit_committed_is_refused(q1, accounts):
    """The race inside one request: the editor's request loaded the draft, the head's submit commits, then the
    editor's request writes — before, it wrote the whole stale row back (status draft)."""
    report = complete_report("593", q1)
    editors_copy = Report.objects.get(pk=report.pk)
    services.act(accounts["head"], Report.objects.get(pk=report.pk), Action.SUBMIT)

    with pytest.raises(ConcurrentChange):
        services.save(accounts["editor"], editors_copy, {"steering": "Viết lại"}, None)

    report.refresh_from_db()
    assert (report.status, report.steering != "Viết lại") == (ReviewState.SUBMITTED, True)


def test_saves_in_turn_each_see_the_last_version(q1, accounts):
    report = complete_report("593", q1)
    editor = logged_in(accounts["editor"])
    for round_ in range(3):
        version = Report.objects.get(pk=report.pk).version
        sections = {"steering": f"Lần {round_}", "results": "x", "assessment": "y", "next_tasks": "z"}
        data = form_data(sections=sections)
        assert editor.post(report.get_absolute_url(), {**data, "version": version}).status_code == 302
    report.refresh_from_db()
    assert (report.steering, report.version) == ("Lần 2", 4)


def test_progress_saved_by_two_people_at_once_keeps_the_first_and_refuses_the_second(plan_2023):
    task = plan_2023.tasks.filter(agencies__code="593").order_by("order").first()
    progress = TaskProgress.objects.create(task=task, unit=unit("593"))
    first, second = TaskProgress.objects.get(pk=progress.pk), TaskProgress.objects.get(pk=progress.pk)
    first.status = "in_progress"
    first.save()
    second.status = "not_started"
    with pytest.raises(ConcurrentChange), transaction.atomic():
        second.save()
    progress.refresh_from_db()
    assert (progress.status, progress.version) == ("in_progress", 2)
