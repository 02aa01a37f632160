"""An import as a job: progress for the page, error report kept for download, indicators refreshed after."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from cchc.core.jobs import JobError
from cchc.core.models import Job
from cchc.dossiers.importing import import_catalogue, import_dossiers, write_error_report
from cchc.dossiers.readers import ImportFileError
from cchc.dossiers.refresh import refresh_marked

KINDS = {"dossiers": import_dossiers, "catalogue": import_catalogue}
PREVIEW_ERRORS = 50


def start_import(upload, kind: str, user) -> Job:
    """Keep the uploaded file under MEDIA_ROOT/imports/ and start its import as a job."""
    import uuid

    from cchc.core import jobs
    from cchc.dossiers.retention import purge_old_imports

    purge_old_imports()  # files of earlier imports past their keeping time
    folder = Path(settings.MEDIA_ROOT) / "imports" / uuid.uuid4().hex
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / Path(upload.name).name
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    job = Job.objects.create(kind=f"import_{kind}", title=upload.name, created_by=user, total=path.stat().st_size)
    # The job runs in a worker process, in the uploader's language (jobs.start records it): its progress, error
    # reasons and report speak that language.
    jobs.start(job, "cchc.dossiers.jobs.run_import", path=str(path), kind=kind)
    return job


def run_import(job: Job, path: str | Path, kind: str, language: str | None = None) -> dict:
    """Import the file, then refresh the indicators of the (unit, year) pairs it touched (messages in `language`).

    The pairs are marked for refresh in the import's transaction; the refresh settles every mark (also those an
    interrupted import left), so re-running this job after a crash leaves the figures right even when every row
    is then "unchanged"."""
    if language:
        with translation.override(language):
            return run_import(job, path, kind)
    path = Path(path)
    if not path.is_file():
        raise JobError(_("The uploaded file is no longer on the server: upload it again."))
    total = path.stat().st_size

    def progress(rows_done: int, bytes_done: int, total_bytes: int) -> None:
        job.report(bytes_done or 0, total_bytes or total, _("%(rows)s rows read") % {"rows": f"{rows_done:,}"})

    try:
        result = KINDS[kind](path, progress=progress)
    except ImportFileError as exc:
        raise JobError(_("%(file)s: %(error)s. Nothing was imported.") % {"file": path.name, "error": exc}) from None
    summary = {
        "rows_read": result.rows_read,
        "inserted": result.inserted,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "rejected": result.rejected,
        "seconds": round(result.elapsed, 1),
    }
    outcome: dict = {"summary": summary, "warnings": result.warnings}
    if len(result.errors):
        report = path.with_name(path.name + ".errors.csv")
        write_error_report(result.errors, report)
        outcome["error_report"] = str(report.relative_to(settings.MEDIA_ROOT))
        outcome["errors_preview"] = [
            [e.line, e.field, e.value, e.reason] for _, e in zip(range(PREVIEW_ERRORS), result.errors, strict=False)
        ]
    if kind == "dossiers":
        job.report(0, len({year for _, year in result.affected}) or None, _("refreshing the indicators"))
        years = refresh_marked()
        if result.affected or years:
            summary["values_refreshed"] = sum(r.values for r in years)
    return outcome
