import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cchc.progress.models import Evidence, ProgressNote, TaskProgress
from cchc.progress.queries import progress_for_unit
from cchc.units.models import Unit

pytestmark = pytest.mark.django_db


def unit(code):
    return Unit.objects.filter(code=code).order_by("-valid_from").first()


def test_one_row_per_assigned_task_with_missing_rows_not_started(plan_2023):
    stp = unit("STP")
    rows = progress_for_unit(stp, plan_2023, dt.date(2023, 1, 15))
    expected = set(plan_2023.tasks.filter(agencies=stp).values_list("code", flat=True))
    assert {row["task_code"] for row in rows} == expected
    assert len(rows) == len(expected)
    assert set(rows[0]) == {
        "task_code",
        "task_text",
        "area_number",
        "due",
        "status",
        "completed_on",
        "last_note",
        "evidence_count",
    }
    assert all(row["status"] in ("not_started", "overdue") for row in rows)


def test_status_notes_evidence_and_overdue(plan_2023, make_account):
    stp = unit("STP")
    task = plan_2023.tasks.filter(agencies=stp).order_by("due").first()
    user = make_account("STP", "editor")
    progress = TaskProgress.objects.create(task=task, unit=stp, status="in_progress", updated_by=user)
    ProgressNote.objects.create(progress=progress, text="first", author=user, at=dt.datetime(2023, 2, 1, tzinfo=dt.UTC))
    ProgressNote.objects.create(
        progress=progress, text="latest", author=user, at=dt.datetime(2023, 3, 1, tzinfo=dt.UTC)
    )
    Evidence.objects.create(progress=progress, file="x.pdf", original_name="a.pdf", kind="pdf", size=1, sha256="0")

    before = {r["task_code"]: r for r in progress_for_unit(stp, plan_2023, task.due)}[task.code]
    assert before["status"] == "in_progress"
    assert before["last_note"] == "latest"
    assert before["evidence_count"] == 1
    after = {r["task_code"]: r for r in progress_for_unit(stp, plan_2023, task.due + dt.timedelta(days=1))}
    assert after[task.code]["status"] == "overdue"


def test_a_district_carries_its_communes_tasks(plan_2023):
    district, commune = unit("593"), unit("22915")
    task = plan_2023.tasks.exclude(agencies=district).first()
    task.agencies.add(commune)
    codes = {row["task_code"] for row in progress_for_unit(district, plan_2023, dt.date(2023, 1, 1))}
    assert task.code in codes
    assert [row["task_code"] for row in progress_for_unit(commune, plan_2023, dt.date(2023, 1, 1))] == [task.code]


def test_queries_do_not_grow_with_rows(plan_2023):
    stp = unit("STP")
    with CaptureQueriesContext(connection) as queries:
        progress_for_unit(stp, plan_2023, dt.date(2023, 6, 1))
    assert len(queries) <= 3
