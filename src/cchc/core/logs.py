"""Structured logs: JSON lines with the request's id (or the job's), so one request or job can be followed."""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import json
import logging

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("cchc_request_id", default="")
job_id: contextvars.ContextVar[int | None] = contextvars.ContextVar("cchc_job_id", default=None)


@contextlib.contextmanager
def job_context(pk: int):
    token = job_id.set(pk)
    try:
        yield
    finally:
        job_id.reset(token)


class ContextFilter(logging.Filter):
    """Adds `request_id` and `job_id` to every record (empty when there is none)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = getattr(record, "request_id", None) or request_id.get()
        job = job_id.get()
        record.job_id = getattr(record, "job_id", None) or (f"job {job}" if job else "")
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id/job_id, and the traceback if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        for key in ("request_id", "job_id"):
            value = getattr(record, key, "")
            if value:
                entry[key] = value
        for key in ("method", "path", "status", "duration_ms", "user"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
