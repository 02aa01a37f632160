"""Run a long job beside the web process (a thread: no queue server needed on the embedded default).

The job reports progress into its `Job` row, which the page polls. With CCHC_RUN_JOBS_INLINE (the test
settings) a job runs before the request returns, so tests see its result deterministically.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable

from django.conf import settings
from django.db import close_old_connections, connection

from cchc.core.models import Job

log = logging.getLogger(__name__)


class JobError(Exception):
    """A failure to show to the user as it is (no traceback): e.g. an unreadable file."""


def start(job: Job, work: Callable[[Job], dict]) -> None:
    """Run `work(job)`; its return value becomes the job's result, an exception its error."""

    inline = getattr(settings, "CCHC_RUN_JOBS_INLINE", False)

    def run() -> None:
        if not inline:  # a new thread: its own connection (inline, the request's one must stay open)
            close_old_connections()
        try:
            job.report(0)
            job.finish(result=work(job))
        except JobError as exc:
            job.finish(error=str(exc))
        except Exception as exc:  # the job must end as failed, whatever went wrong
            log.exception("job %s failed", job.pk)
            job.finish(error=f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}")
        finally:
            if not inline:
                connection.close()

    if inline:
        run()
    else:
        threading.Thread(target=run, name=f"cchc-job-{job.pk}", daemon=True).start()
