"""The task worker (`cchc worker`): runs the queued jobs, keeps a heartbeat, recovers the jobs of dead workers,
finishes interrupted indicator refreshes and enqueues the daily reminders.

It is the database backend's worker of the `django-tasks` backport (`django_tasks_db`, which claims each task with
a row lock, so several workers on several machines share one queue) with what a production queue also needs:

- a `WorkerProcess` row per worker, its `seen_at` refreshed every CCHC_WORKER_HEARTBEAT seconds by a thread that
  also writes the running job's progress (on its own connection, outside the job's transaction);
- recovery, at start and then every minute: a worker is dead when its process is gone (same machine) or it has not
  been seen for CCHC_WORKER_LEASE seconds (another machine). Its running job is queued again (jobs are idempotent:
  an import that died rolled back, and re-running it is harmless) until it has run CCHC_JOB_ATTEMPTS times, then
  marked failed; its task row is marked failed. A job is never left "running" by a dead worker.
- at start, the indicator refreshes that an import committed but did not finish (`dossiers.RefreshMark` rows);
- once a day at CCHC_REMINDERS_AT (local time), the reminder run, enqueued by whichever worker gets there first
  (`DailyRun` has one row per day).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django_tasks_db.management.commands.db_worker import Worker as DatabaseWorker

from cchc.core import hooks
from cchc.core.models import PROGRESS_SINK, DailyRun, Job, WorkerProcess

log = logging.getLogger(__name__)
_current: Worker | None = None


def current() -> Worker | None:
    """The worker of this process, when it is one (jobs record who runs them)."""
    return _current


def pid_alive(pid: int) -> bool:
    """Whether a `cchc worker` process with this id runs on this machine."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            command = f.read()
    except OSError:
        return True  # no /proc: the process exists, trust it
    return b"worker" in command


def is_dead(process: WorkerProcess, now: dt.datetime, host: str | None = None) -> bool:
    host = host or socket.gethostname()
    if process.hostname == host:
        return process.pid == os.getpid() or not pid_alive(process.pid)
    return process.seen_at < now - dt.timedelta(seconds=settings.CCHC_WORKER_LEASE)


def requeue_or_fail(job: Job) -> str:
    """What becomes of a job whose worker died: queued again while it has attempts left, else failed."""
    from cchc.core import jobs

    with translation.override((job.arguments or {}).get("language") or settings.LANGUAGE_CODE):
        if job.function and job.attempts < settings.CCHC_JOB_ATTEMPTS:
            message = _(
                "The worker that ran this job stopped; the job was queued again (run %(next)s of at most %(max)s)."
            ) % {"next": job.attempts + 1, "max": settings.CCHC_JOB_ATTEMPTS}
            Job.objects.filter(pk=job.pk).update(status=Job.Status.QUEUED, worker="", message=message)
            job.refresh_from_db()
            jobs.enqueue(job)
            return "requeued"
        message = _(
            "The worker that ran this job stopped before it finished. Nothing was half-written: start it again."
        )
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED, worker="", message=message, finished_at=timezone.now()
        )
        return "failed"


def recover(me: str | None = None) -> dict[str, int]:
    """Find dead workers and settle their jobs and task rows; returns counts (for logs and tests)."""
    from django_tasks_db.models import DBTaskResult

    now, host = timezone.now(), socket.gethostname()
    counts = {"workers": 0, "requeued": 0, "failed": 0}
    candidates = WorkerProcess.objects.filter(stopped_at__isnull=True).exclude(worker_id=me or "")
    for process in list(candidates):
        if not is_dead(process, now, host):
            continue
        with transaction.atomic():
            # Whoever marks the row stopped settles its jobs; a second recovering worker finds nothing to do.
            if not WorkerProcess.objects.filter(pk=process.pk, stopped_at__isnull=True).update(stopped_at=now):
                continue
            counts["workers"] += 1
            log.warning(
                "worker %s (%s, pid %s) is dead: recovering its jobs", process.pk, process.hostname, process.pid
            )
            for job in Job.objects.filter(worker=process.worker_id, status=Job.Status.RUNNING):
                counts[requeue_or_fail(job)] += 1
            for task in DBTaskResult.objects.filter(status="RUNNING"):
                if process.worker_id in (task.worker_ids or [])[-1:]:
                    DBTaskResult.objects.filter(pk=task.pk).update(
                        status="FAILED",
                        finished_at=now,
                        exception_class_path="cchc.core.worker.WorkerDied",
                        traceback="the worker process died while running this task",
                    )
    # Jobs of the old in-process runner (no function recorded) cannot be running any more after a restart.
    # (A minute old at least: a job is created a moment before `jobs.start` records its function.)
    stale = Job.objects.filter(
        function="", status__in=[Job.Status.QUEUED, Job.Status.RUNNING], created_at__lt=now - dt.timedelta(minutes=1)
    )
    counts["failed"] += stale.update(
        status=Job.Status.FAILED,
        finished_at=now,
        message=_("The job was interrupted by a restart of the server. Nothing was half-written: start it again."),
    )
    return counts


def schedule_daily(now: dt.datetime | None = None) -> Job | None:
    """Enqueue today's reminder run once the time of day has come (once per day, whichever worker is first)."""
    from cchc.core import jobs

    if not settings.CCHC_REMINDERS_AT:
        return None
    local = timezone.localtime(now)
    at = dt.time.fromisoformat(settings.CCHC_REMINDERS_AT)
    if local.time() < at:
        return None
    day = local.date()
    if DailyRun.objects.filter(name="send_reminders", day=day).exists():
        return None
    try:
        with transaction.atomic():
            DailyRun.objects.create(name="send_reminders", day=day)
            job = Job.objects.create(kind="reminders", title=_("Reminders of %(day)s") % {"day": f"{day:%d/%m/%Y}"})
    except IntegrityError:
        return None
    return jobs.start(job, "cchc.reminders.jobs.send_daily", day=day.isoformat())


def refresh_pending() -> list:
    """Settle the work interrupted processes left pending (the hooks apps register, e.g. indicator refreshes)."""
    return [done for results in hooks.settle_pending.call().values() for done in results]


class Worker(DatabaseWorker):
    """The backend's worker plus heartbeat, recovery, pending refreshes and the daily schedule."""

    def __init__(self, *, interval: float = 1.0, batch: bool = False, max_tasks: int | None = None, worker_id=None):
        super().__init__(
            queue_names=["*"],
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=False,
            max_tasks=max_tasks,
            worker_id=worker_id or get_random_string(32),
            excluded_queue_names=[],
        )
        self.job_id: int | None = None
        self._progress: dict[int, dict] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_recovery = 0.0

    # -- the job being run (called by cchc.core.jobs.run_job)
    def set_job(self, job: Job | None) -> None:
        with self._lock:
            if job is None:
                if self.job_id is not None:
                    PROGRESS_SINK.pop(self.job_id, None)
                    self._progress.pop(self.job_id, None)
                self.job_id = None
            else:
                self.job_id = job.pk
                PROGRESS_SINK[job.pk] = self.stash

    def stash(self, job_id: int, fields: dict) -> None:
        with self._lock:
            self._progress[job_id] = fields

    # -- heartbeat thread
    def beat(self) -> None:
        with self._lock:
            job_id, progress = self.job_id, dict(self._progress)
            self._progress.clear()
        WorkerProcess.objects.filter(pk=self.worker_id).update(seen_at=timezone.now(), job_id=job_id)
        for pk, fields in progress.items():
            Job.objects.filter(pk=pk, status=Job.Status.RUNNING).update(**fields)

    def periodic(self) -> None:
        if time.monotonic() - self._last_recovery >= 60:
            self._last_recovery = time.monotonic()
            recover(self.worker_id)
        schedule_daily()

    def heartbeat_loop(self) -> None:
        while not self._stop.wait(settings.CCHC_WORKER_HEARTBEAT):
            try:
                self.beat()
                self.periodic()
            except Exception as exc:  # a busy database (SQLite during an import): try again at the next beat
                log.warning("heartbeat: %s", exc)
                connection.close()
        connection.close()

    # -- life
    def register(self) -> None:
        WorkerProcess.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "hostname": socket.gethostname(),
                "pid": os.getpid(),
                "started_at": timezone.now(),
                "seen_at": timezone.now(),
                "stopped_at": None,
            },
        )

    def start(self) -> None:
        global _current
        _current = self
        self.register()
        counts = recover(self.worker_id)
        self._last_recovery = time.monotonic()
        if any(counts.values()):
            log.warning("recovered at start: %s", counts)
        done = refresh_pending()
        if done:
            log.warning("finished %s interrupted indicator refreshes", len(done))
        self._thread = threading.Thread(target=self.heartbeat_loop, name="cchc-heartbeat", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        global _current
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
        # A job this worker was running when it was told to stop for good is settled now, not at the next start.
        if self.job_id is not None:
            job = Job.objects.filter(pk=self.job_id, status=Job.Status.RUNNING).first()
            if job is not None:
                requeue_or_fail(job)
        WorkerProcess.objects.filter(pk=self.worker_id).update(stopped_at=timezone.now(), job=None)
        _current = None

    def run(self) -> None:
        log.info("worker %s starting (pid %s)", self.worker_id, os.getpid())
        self.start()
        try:
            super().run()
        finally:
            self.stop()
            log.info("worker %s stopped", self.worker_id)


def last_seen() -> dt.datetime | None:
    process = WorkerProcess.objects.filter(stopped_at__isnull=True).order_by("-seen_at").first()
    return process.seen_at if process else None
