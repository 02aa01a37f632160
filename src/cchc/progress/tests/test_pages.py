"""Who may open and write a unit's progress page, the list of its tasks and the monitor's table."""

import datetime as dt

import pytest
from django.urls import reverse

from cchc.core import clock
from cchc.progress.models import ProgressNote, TaskProgress

pytestmark = pytest.mark.django_db


def page(task, unit_code="STP"):
    return f"/progress/{task.plan.year}/{task.code}/{unit_code}/"


def test_anonymous_is_sent_to_the_login_page(client, stp_task):
    for url in (
        "/progress/",
        "/progress/monitor/",
        page(stp_task),
        f"/progress/{stp_task.code}/",
        "/progress/evidence/1/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url


def test_the_unit_records_progress_and_its_row_is_created_by_the_first_post(client, stp_task, make_account):
    client.force_login(make_account("STP", "editor"))
    assert client.get(f"/progress/{stp_task.code}/").url == page(stp_task)
    response = client.get(page(stp_task))
    assert response.status_code == 200 and b'id="progress-form"' in response.content
    assert not TaskProgress.objects.exists()  # a GET never writes (the form shows the unsaved row: not started)
    assert b'name="version" value="1"' in response.content
    response = client.post(
        page(stp_task), {"status": "done", "completed_on": "2023-03-01", "note": "Đã ban hành", "version": "1"}
    )
    assert response.status_code == 302
    row = TaskProgress.objects.get(task=stp_task, unit__code="STP")
    assert (row.status, row.completed_on) == ("done", dt.date(2023, 3, 1))
    assert ProgressNote.objects.get(progress=row).text == "Đã ban hành"
    response = client.post(page(stp_task), {"status": "in_progress", "completed_on": "2023-03-01"})
    row.refresh_from_db()
    assert (row.status, row.completed_on) == ("in_progress", None)


def test_done_needs_a_past_completion_date(client, stp_task, make_account):
    client.force_login(make_account("STP", "editor"))
    response = client.post(page(stp_task), {"status": "done"})
    assert response.status_code == 400
    assert "needs its completion date" in response.content.decode()
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    response = client.post(page(stp_task), {"status": "done", "completed_on": tomorrow})
    assert response.status_code == 400 and "cannot be in the future" in response.content.decode()


def test_another_units_editor_gets_404(client, stp_task, make_account):
    client.force_login(make_account("SKHDT", "editor"))
    assert client.get(page(stp_task)).status_code == 404
    assert client.post(page(stp_task), {"status": "in_progress"}).status_code == 404
    assert client.get("/progress/?unit=STP").status_code == 404
    assert not TaskProgress.objects.filter(unit__code="STP").exists()


def test_a_task_not_assigned_to_the_unit_is_404(client, plan_2023, make_account):
    task = plan_2023.tasks.exclude(agencies__code="TTHCC").first()
    client.force_login(make_account("TTHCC", "editor"))
    assert client.get(page(task, "TTHCC")).status_code == 404


def test_leaders_read_but_cannot_write(client, stp_task, make_account):
    client.force_login(make_account("60", "leader"))
    response = client.get(page(stp_task))
    assert response.status_code == 200 and b'id="progress-form"' not in response.content
    assert client.post(page(stp_task), {"status": "in_progress"}).status_code == 403
    assert not TaskProgress.objects.exists()  # reading does not create the unit's row


def test_the_monitor_of_the_task_reads_every_units_page(client, stp_task, make_account):
    client.force_login(make_account(stp_task.monitor.code, "monitor"))
    assert client.get(page(stp_task, "593")).status_code == 200
    assert client.post(page(stp_task, "593"), {"status": "in_progress"}).status_code == 403


def test_the_list_shows_every_assigned_task_with_filters(client, plan_2023, stp_task, make_account, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: stp_task.due + dt.timedelta(days=1))
    user = make_account("STP", "editor")
    TaskProgress.objects.create(task=stp_task, unit=user.membership.unit, status="in_progress")
    client.force_login(user)
    response = client.get("/progress/")
    assert response.status_code == 200
    rows = response.context["rows"]
    assert len(rows) == plan_2023.tasks.filter(agencies__code="STP").count()
    by_code = {row["task_code"]: row for row in rows}
    assert by_code[stp_task.code]["status"] == "overdue"
    overdue = client.get("/progress/?status=overdue").context["rows"]
    assert stp_task.code in {row["task_code"] for row in overdue}
    area = client.get(f"/progress/?area={stp_task.area.number}").context["rows"]
    assert {row["area_number"] for row in area} == {stp_task.area.number}


def test_the_list_uses_a_fixed_number_of_queries(client, plan_2023, make_account, django_assert_max_num_queries):
    client.force_login(make_account("STP", "editor"))
    # session, user, plan, membership, unit, tasks, progress rows, own dues, areas; the rest is base.html's
    with django_assert_max_num_queries(15):
        client.get("/progress/")


def test_the_province_chooses_a_unit(client, plan_2023, make_account):
    client.force_login(make_account("60", "leader"))
    response = client.get("/progress/?unit=593")
    assert response.status_code == 200 and response.context["unit"].code == "593"


def test_the_monitor_table_counts_by_status(client, stp_task, make_account, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: stp_task.due - dt.timedelta(days=1))
    monitor = make_account(stp_task.monitor.code, "monitor")
    TaskProgress.objects.create(
        task=stp_task, unit=monitor.membership.unit.__class__.objects.get(code="STP"), status="in_progress"
    )
    client.force_login(monitor)
    response = client.get("/progress/monitor/")
    assert response.status_code == 200
    table = {row["task"].code: row for row in response.context["table"]}
    assert set(table) == set(stp_task.plan.tasks.filter(monitor=stp_task.monitor).values_list("code", flat=True))
    not_started, in_progress, done, overdue = table[stp_task.code]["counts"]
    assert in_progress == 1 and done == 0 and overdue == 0
    assert not_started == stp_task.agencies.count() - 1


def test_only_monitors_and_the_province_see_the_monitor_table(client, plan_2023, make_account):
    client.force_login(make_account("STP", "editor"))
    assert client.get("/progress/monitor/").status_code == 403
    client.force_login(make_account("60", "leader"))
    response = client.get("/progress/monitor/")
    assert response.status_code == 200 and len(response.context["table"]) == plan_2023.tasks.count()
