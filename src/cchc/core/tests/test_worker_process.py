"""A real `cchc worker` process killed in the middle of a job (SIGKILL): the next worker finds it and finishes the job.

PostgreSQL only: the worker processes must reach the test database, which on SQLite is in the test's memory. The
same recovery runs in-process on both databases in test_worker.py.
"""

import os
import signal
import subprocess
import sys
import time

import pytest
from django.db import connection

from cchc.core import jobs
from cchc.core.models import Job, WorkerProcess

pytestmark = pytest.mark.django_db(transaction=True)


def worker_env(tmp_path) -> dict:
    db = connection.settings_dict
    url = f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="cchc.settings",
        SECRET_KEY="worker-test-key",
        DEBUG="",
        CCHC_DATA_DIR=str(tmp_path),
        CCHC_WORKER_HEARTBEAT="0.2",
        CCHC_REMINDERS_AT="",
        LOG_FORMAT="text",
    )
    return env


def wait_for(condition, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("timed out")


def test_a_killed_worker_process_leaves_its_job_to_the_next_worker(settings, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("worker processes need a database they can reach (PostgreSQL)")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    job = Job.objects.create(kind="test", title="chậm")
    jobs.start(job, "cchc.core.tests.jobfuncs.slow_first_time", seconds=60)
    env = worker_env(tmp_path)
    command = [sys.executable, "-m", "cchc", "worker", "--interval", "0.1"]
    first = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # Running, with its progress written by the heartbeat while the job itself is busy.
        wait_for(lambda: Job.objects.filter(pk=job.pk, status="running", message="working", done=1).exists())
        assert WorkerProcess.objects.get(pid=first.pid).job_id == job.pk
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING  # what the kill leaves behind, until a worker starts

    second = subprocess.run(command + ["--batch"], env=env, capture_output=True, text=True, timeout=120)
    assert second.returncode == 0, second.stderr[-2000:]
    job.refresh_from_db()
    assert (job.status, job.attempts, job.result) == (Job.Status.DONE, 2, {"attempt": 2})
    assert WorkerProcess.objects.get(pid=first.pid).stopped_at is not None
