"""Run a long job as a task in a worker process (Django's tasks API, the `django-tasks` backport).

A job is a `Job` row (who, what, progress, result) and a function `f(job, **arguments) -> dict` named by its dotted
path; `start` stores both and enqueues `run_job`. A `cchc worker` process runs it (cchc.core.worker); the test
settings use the immediate backend, so a job finishes before `start` returns. The function's return value becomes
the job's result; a `JobError` its message as it is; any other exception a short message without traceback or server
path (the traceback goes to the log, under the job's id).
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from cchc.core.logs import job_context
from cchc.core.models import Job

try:  # Django 6 has the tasks API built in; Django 5.2 has it from the backport
    from django.tasks import task
except ImportError:  # pragma: no cover - depends on the Django version
    from django_tasks import task

log = logging.getLogger(__name__)


class JobError(Exception):
    """A failure to show to the user as it is (no traceback): e.g. an unreadable file."""


def start(job: Job, function: str, **arguments) -> Job:
    """Run `function(job, **arguments)` as a task; `arguments` must be JSON (they are stored on the job)."""
    if not isinstance(function, str):
        raise TypeError("jobs.start takes the dotted path of a module-level function")
    job.function, job.arguments = function, arguments
    job.arguments.setdefault("language", translation.get_language())
    job.save(update_fields=["function", "arguments"])
    enqueue(job)
    return job


def enqueue(job: Job) -> None:
    result = run_job.enqueue(job.pk)
    if job.task_id != str(result.id):
        Job.objects.filter(pk=job.pk).update(task_id=str(result.id))
        job.task_id = str(result.id)
    job.refresh_from_db()


def internal_error_message(job: Job) -> str:
    return _(
        "The job stopped because of an internal error (reference: job %(id)s). Nothing of it needs to be undone; the "
        "administrator finds the details in the server log."
    ) % {"id": job.pk}


# -- progress beside the database (SQLite) ---------------------------------------------------------------------
# On SQLite a job inside a long write transaction (an import) holds the database's only write lock: its progress
# cannot reach the job's row before the commit. It is then also written to a small file that the job's page reads
# (SQLite runs on one machine, so the web processes see the file).


def _progress_path(job_id: int) -> Path:
    return Path(settings.DATA_DIR) / "progress" / f"job-{int(job_id)}.json"


def publish_progress(job_id: int, fields: dict) -> None:
    if connection.vendor != "sqlite":
        return
    path = _progress_path(job_id)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(fields), encoding="utf-8")
        os.replace(temporary, path)
    except OSError as exc:  # progress is a courtesy: never fail the job for it
        log.warning("job %s: progress not written: %s", job_id, exc)


def forget_progress(job_id: int) -> None:
    _progress_path(job_id).unlink(missing_ok=True)


def live_progress(job: Job) -> Job:
    """The job with the progress its worker published beside the database, when that is newer than its row."""
    if job.status not in (Job.Status.QUEUED, Job.Status.RUNNING):
        return job
    try:
        fields = json.loads(_progress_path(job.pk).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return job
    for name in ("done", "total", "message"):
        if name in fields:
            setattr(job, name, fields[name])
    job.status = Job.Status.RUNNING
    return job


@task()
def run_job(job_id: int) -> str:
    """The task: run the job's function in the starter's language, record its outcome on the job."""
    from cchc.core import worker

    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.status in (Job.Status.DONE, Job.Status.FAILED):
        return "skipped"
    arguments = dict(job.arguments)
    language = arguments.pop("language", None)
    current = worker.current()
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING,
        worker=current.worker_id if current else "",
        attempts=job.attempts + 1,
        started_at=timezone.now(),
    )
    job.refresh_from_db()
    if current:
        current.set_job(job)
    with job_context(job.pk), translation.override(language or translation.get_language()):
        try:
            work = import_string(job.function)
            job.finish(result=work(job, **arguments))
        except JobError as exc:
            job.finish(error=str(exc))
        except Exception:  # the job must end as failed, whatever went wrong; the details go to the log only
            log.exception("job %s (%s) failed", job.pk, job.function)
            job.finish(error=internal_error_message(job))
        except BaseException:  # the worker is being stopped for good (a second SIGTERM): queued again or failed
            log.warning("job %s interrupted: the worker is stopping", job.pk)
            worker.requeue_or_fail(job)
            raise
        finally:
            if current:
                current.set_job(None)
    return job.status
