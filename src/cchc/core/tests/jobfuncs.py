"""Job functions for the worker tests (module-level: a job names its function by dotted path)."""

import time

from cchc.core.jobs import JobError


def add(job, a: int, b: int) -> dict:
    job.report(1, 2, "adding")
    return {"sum": a + b}


def refuse(job) -> dict:
    raise JobError("Tệp không đọc được: dòng 3, cột MaHoSo trống.")


def crash(job) -> dict:
    open("/nonexistent/secret/path/settings.py").read()  # noqa: SIM115 - an OSError naming a server path
    return {}


def slow_first_time(job, seconds: float) -> dict:
    """Sleeps on its first run (long enough to be killed), returns at once on the next."""
    if job.attempts <= 1:
        job.report(1, 10, "working")
        time.sleep(seconds)
    return {"attempt": job.attempts}
