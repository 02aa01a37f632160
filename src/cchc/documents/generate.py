"""Generating a document to a file (used by the job, the page, the API and the commands alike)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from cchc.core import jobs
from cchc.core.jobs import JobError
from cchc.core.models import Job
from cchc.documents import excel, queries, word
from cchc.reports.models import ReportPeriod

REPORT, ANNEX, TABLE_766 = "report", "annex", "table766"
KIND_CHOICES = [
    (REPORT, _("PAR report (Word .docx)")),
    (ANNEX, _("Statistics annex (Excel .xlsx)")),
    (TABLE_766, _("766 results table (Excel .xlsx)")),
]
EXTENSION = {REPORT: "docx", ANNEX: "xlsx", TABLE_766: "xlsx"}
FILE_STEM = {REPORT: "bao-cao-cchc", ANNEX: "phu-luc-so-lieu-cchc", TABLE_766: "ket-qua-chi-so-766"}
JOB_KIND_PREFIX = "document_"
MIME = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

Progress = Callable[[int, int, str], None]


def file_name(kind: str, period: ReportPeriod) -> str:
    """e.g. bao-cao-cchc-q1-2023.docx"""
    return f"{FILE_STEM[kind]}-{period.kind.lower()}-{period.year}.{EXTENSION[kind]}"


def write(kind: str, period: ReportPeriod, path: Path, options: queries.Options, progress: Progress | None = None):
    """Compile and render one document to `path`; returns a short summary for the job's result."""
    if kind == TABLE_766:
        table = queries.table_766(queries.calendar_period(period), progress)
        excel.render_766(table, path)
        return {"units": len(table.rows), "period": table.period}
    report = queries.compile_report(period, options, progress)
    if kind == REPORT:
        word.render(report, path)
    else:
        excel.render_annex(report, path)
    return {"accepted_reports": report.accepted_reports, "owed_reports": len(report.submissions)}


def start(kind: str, period: ReportPeriod, user, options: queries.Options) -> Job:
    """Generate the document as a job (in a worker); its file goes under MEDIA_ROOT/documents/<random>/."""
    name = file_name(kind, period)
    job = Job.objects.create(kind=f"{JOB_KIND_PREFIX}{kind}", title=name, created_by=user)
    options_data = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in asdict(options).items()}
    return jobs.start(job, "cchc.documents.generate.run", kind=kind, period_id=period.pk, options=options_data)


def run(job: Job, kind: str, period_id: int, options: dict) -> dict:
    """The job: write the document to a new folder and return where it is."""
    period = ReportPeriod.objects.get(pk=period_id)
    name = file_name(kind, period)
    folder = Path(settings.MEDIA_ROOT) / "documents" / uuid.uuid4().hex
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    fields = {f.name: f.type for f in dataclasses.fields(queries.Options)}
    values = {
        key: (parse_date(value) if isinstance(value, str) and "date" in str(fields.get(key, "")) else value)
        for key, value in options.items()
    }
    opts = queries.Options(**values)

    def progress(done: int, total: int, message: str) -> None:
        job.report(done, total, message)

    try:
        summary = write(kind, period, path, opts, progress)
    except queries.Plan.DoesNotExist as exc:
        raise JobError(str(exc)) from None
    return {
        "file": str(path.relative_to(settings.MEDIA_ROOT)),
        "filename": name,
        "period_id": period.pk,
        "summary": summary,
    }


def stored_file(job: Job) -> Path | None:
    """The job's file if it is still there and inside MEDIA_ROOT (never a path from elsewhere)."""
    relative = (job.result or {}).get("file")
    if not relative or not job.kind.startswith(JOB_KIND_PREFIX):
        return None
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / relative).resolve()
    if root not in path.parents or not path.is_file():
        return None
    return path


def parse_date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None
