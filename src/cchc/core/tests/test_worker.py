"""Jobs run in the task worker (database backend of django-tasks), and a dead worker never leaves a job running."""

import datetime as dt
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cchc.core import jobs
from cchc.core.models import DailyRun, Job, WorkerProcess
from cchc.core.worker import Worker, recover, schedule_daily

DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def db_tasks(settings, monkeypatch):
    """The production backend: enqueue writes a task row, only a worker runs it. No heartbeat thread in the test.

    The worker's loop runs inside the test's transaction here, so its between-tasks `close_old_connections` (which
    would close the test's connection) is left out; test_worker_process.py runs real worker processes."""
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    settings.TASKS = DB_BACKEND
    settings.CCHC_WORKER_HEARTBEAT = 3600
    settings.CCHC_REMINDERS_AT = ""
    return settings


def run_worker() -> Worker:
    worker = Worker(interval=0, batch=True)
    worker.run()
    return worker


def dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_a_job_waits_in_the_queue_until_a_worker_runs_it(db, db_tasks):
    job = jobs.start(Job.objects.create(kind="test", title="cộng"), "cchc.core.tests.jobfuncs.add", a=2, b=3)
    assert job.status == Job.Status.QUEUED
    assert DBTaskResult.objects.get(pk=job.task_id).status == "READY"

    worker = run_worker()

    job.refresh_from_db()
    assert (job.status, job.result, job.attempts) == (Job.Status.DONE, {"sum": 5}, 1)
    assert job.worker == worker.worker_id
    assert DBTaskResult.objects.get(pk=job.task_id).status == "SUCCESSFUL"
    process = WorkerProcess.objects.get(pk=worker.worker_id)
    assert process.stopped_at is not None and process.pid > 0


def test_a_job_error_is_shown_as_written_and_a_crash_without_traceback_or_path(db, db_tasks):
    refused = jobs.start(Job.objects.create(kind="test", title="a"), "cchc.core.tests.jobfuncs.refuse")
    crashed = jobs.start(Job.objects.create(kind="test", title="b"), "cchc.core.tests.jobfuncs.crash")
    run_worker()
    refused.refresh_from_db()
    crashed.refresh_from_db()
    assert refused.status == crashed.status == Job.Status.FAILED
    assert refused.message == "Tệp không đọc được: dòng 3, cột MaHoSo trống."
    assert f"công việc {crashed.pk}" in crashed.message  # the reference to find it in the log (Vietnamese default)
    for leak in ("Traceback", "/nonexistent", "FileNotFoundError", "settings.py", ".py"):
        assert leak not in crashed.message


def make_dead_worker(job: Job, hostname: str | None = None, seen_ago: float = 0, pid: int | None = None):
    process = WorkerProcess.objects.create(
        worker_id="dead-worker",
        hostname=hostname or socket.gethostname(),
        pid=pid if pid is not None else dead_pid(),
        seen_at=timezone.now() - dt.timedelta(seconds=seen_ago),
    )
    task = DBTaskResult.objects.get(pk=job.task_id)
    task.claim(process.worker_id)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, worker=process.worker_id, attempts=job.attempts + 1)
    job.refresh_from_db()
    return process, task


def test_the_job_of_a_dead_worker_is_queued_again_and_then_finished(db, db_tasks):
    job = jobs.start(Job.objects.create(kind="test", title="c"), "cchc.core.tests.jobfuncs.add", a=1, b=1)
    process, task = make_dead_worker(job)  # its process is gone: it died in the middle of the job

    counts = recover(me="someone-else")

    assert counts == {"workers": 1, "requeued": 1, "failed": 0}
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and job.worker == ""
    task.refresh_from_db()
    assert task.status == "FAILED"
    assert DBTaskResult.objects.get(pk=job.task_id).status == "READY"  # a new task for the same job
    process.refresh_from_db()
    assert process.stopped_at is not None
    assert recover(me="someone-else") == {"workers": 0, "requeued": 0, "failed": 0}  # settled once

    run_worker()
    job.refresh_from_db()
    assert (job.status, job.result, job.attempts) == (Job.Status.DONE, {"sum": 2}, 2)


def test_a_job_whose_worker_died_on_its_last_attempt_is_failed_not_running(db, db_tasks):
    job = jobs.start(Job.objects.create(kind="test", title="d"), "cchc.core.tests.jobfuncs.add", a=1, b=1)
    Job.objects.filter(pk=job.pk).update(attempts=1)
    job.refresh_from_db()
    make_dead_worker(job)
    assert recover(me="x")["failed"] == 1
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.finished_at is not None
    assert "stopped" in job.message or "dừng" in job.message


def test_a_worker_on_another_machine_is_dead_only_when_its_lease_ran_out(db, db_tasks):
    job = jobs.start(Job.objects.create(kind="test", title="e"), "cchc.core.tests.jobfuncs.add", a=1, b=1)
    process, _ = make_dead_worker(job, hostname="may-chu-khac", seen_ago=10, pid=1)
    assert recover(me="x")["workers"] == 0
    WorkerProcess.objects.filter(pk=process.pk).update(
        seen_at=timezone.now() - dt.timedelta(seconds=db_tasks.CCHC_WORKER_LEASE + 1)
    )
    assert recover(me="x") == {"workers": 1, "requeued": 1, "failed": 0}


def wait_for_exec(pid: int, word: str) -> None:
    """Until the child has exec'd, its command line is still its parent's (pytest's): wait for the new one."""
    cmdline = Path(f"/proc/{pid}/cmdline")
    for _ in range(200):
        if cmdline.exists() and word in cmdline.read_bytes().decode(errors="replace"):
            return
        time.sleep(0.05)


def test_a_live_worker_on_this_machine_keeps_its_job_whatever_its_heartbeat(db, db_tasks):
    job = jobs.start(Job.objects.create(kind="test", title="f"), "cchc.core.tests.jobfuncs.add", a=1, b=1)
    # A worker busy in a long SQLite transaction cannot write its heartbeat: its process is what counts.
    command = [sys.executable, "-c", "import time; time.sleep(30)", "cchc", "worker"]
    with subprocess.Popen(command) as live:
        try:
            wait_for_exec(live.pid, "worker")
            make_dead_worker(job, pid=live.pid, seen_ago=3600)
            assert recover(me="x")["workers"] == 0
            job.refresh_from_db()
            assert job.status == Job.Status.RUNNING
        finally:
            live.kill()
    assert recover(me="x") == {"workers": 1, "requeued": 1, "failed": 0}


def test_another_program_with_the_pid_of_a_dead_worker_does_not_keep_it_alive(db, db_tasks):
    job = jobs.start(Job.objects.create(kind="test", title="g"), "cchc.core.tests.jobfuncs.add", a=1, b=1)
    with subprocess.Popen(["sleep", "30"]) as other:
        try:
            wait_for_exec(other.pid, "sleep")
            make_dead_worker(job, pid=other.pid)
            assert recover(me="x")["workers"] == 1
        finally:
            other.kill()


def test_the_daily_reminders_are_enqueued_once_a_day_by_whichever_worker_comes_first(db, db_tasks, plan_2023):
    db_tasks.CCHC_REMINDERS_AT = "07:00"
    morning = timezone.make_aware(dt.datetime(2023, 3, 20, 6, 59))
    assert schedule_daily(morning) is None
    job = schedule_daily(morning + dt.timedelta(minutes=2))
    assert job is not None and job.status == Job.Status.QUEUED
    assert schedule_daily(morning + dt.timedelta(hours=3)) is None  # another worker, later that day
    assert DailyRun.objects.filter(name="send_reminders").count() == 1
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.message
    assert "notices_created" in job.result["summary"]


def test_jobs_left_running_by_the_old_in_process_threads_are_failed_at_the_next_start(db, db_tasks):
    old = Job.objects.create(kind="import_dossiers", title="cũ", status=Job.Status.RUNNING)
    Job.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(minutes=5))
    just_made = Job.objects.create(kind="import_dossiers", title="mới")  # about to be started: left alone
    assert recover(me="x")["failed"] == 1
    old.refresh_from_db()
    just_made.refresh_from_db()
    assert old.status == Job.Status.FAILED and old.finished_at is not None
    assert just_made.status == Job.Status.QUEUED
