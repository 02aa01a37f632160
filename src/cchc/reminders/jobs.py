"""The daily reminder run as a job: the workers enqueue it once a day (cchc.core.worker), no cron needed."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.conf import settings
from django.utils import translation


def send_daily(job, day: str) -> dict:
    """The job (a cchc.core Job, passed in: reminders does not import core)."""
    from cchc.reminders import services

    on = dt.date.fromisoformat(day)
    with translation.override(settings.LANGUAGE_CODE):
        summary = services.run(on, progress=lambda message: job.report(0, None, str(message)[:200]))
    return {
        "summary": {k: v for k, v in dataclasses.asdict(summary).items() if k != "errors"},
        "errors": summary.errors,
    }
