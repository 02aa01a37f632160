"""An import as a job: progress for the page, error report kept for download, indicators refreshed after."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from cchc.core import jobs
from cchc.core.jobs import JobError
from cchc.core.models import Job
from cchc.dossiers.importing import import_catalogue, import_dossiers, write_error_report
from cchc.dossiers.readers import ImportFileError
from cchc.dossiers.refresh import refresh_marked
from cchc.units.models import Unit, UnitKind

KINDS = {"dossiers": import_dossiers, "catalogue": import_catalogue}
PREVIEW_ERRORS = 50


def start_import(upload, kind: str, user) -> Job:
    """Keep the uploaded file under MEDIA_ROOT/imports/ and start its import as a job."""
    import uuid

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


def run_import(
    job: Job, path: str | Path, kind: str, language: str | None = None, batch_rows: int | None = None
) -> dict:
    """Import the file, then refresh the indicators of the (unit, year) pairs it touched (messages in `language`).

    The pairs are marked for refresh in the import's transaction; the refresh settles every mark (also those an
    interrupted import left), so re-running this job after a crash leaves the figures right even when every row
    is then "unchanged"."""
    if language:
        with translation.override(language):
            return run_import(job, path, kind, batch_rows=batch_rows)
    path = Path(path)
    if not path.is_file():
        raise JobError(_("The uploaded file is no longer on the server: upload it again."))
    total = path.stat().st_size
    read = {"rows": 0, "bytes": 0}

    def on_read(rows: int, bytes_done: int, total_bytes: int) -> None:  # the reader thread: numbers only
        read["rows"] += rows
        read["bytes"] = bytes_done or read["bytes"]

    def progress(rows_done: int, bytes_done: int, total_bytes: int) -> None:
        # Rows, not bytes: the file's rows are estimated from the bytes read so far.
        seen_bytes = max(read["bytes"], bytes_done or 0)
        seen_rows = max(read["rows"], rows_done)
        estimate = round(seen_rows * (total_bytes or total) / seen_bytes) if seen_bytes else None
        estimate = max(estimate or 0, seen_rows) or None
        job.report(
            rows_done,
            estimate,
            _("%(read)s rows read, %(written)s written, of about %(total)s")
            % {"read": f"{seen_rows:,}", "written": f"{rows_done:,}", "total": f"{estimate or 0:,}"},
        )

    importer = KINDS[kind]
    options = {"on_read": on_read} if importer is import_dossiers else {}
    if batch_rows:
        options["batch_rows"] = batch_rows
    try:
        result = importer(path, progress=progress, **options)
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
        job.report(result.rows_read, result.rows_read or None, _("refreshing the indicators"))
        years = refresh_marked()
        if result.affected or years:
            summary["values_refreshed"] = sum(r.values for r in years if not getattr(r, "skipped", ""))
        outcome["figures"] = changed_figures(result.affected, [r for r in years if not getattr(r, "skipped", "")])
        outcome["warnings"] += [
            _("the figures of %(year)s were not refreshed: %(reason)s")
            % {"year": r.year, "reason": getattr(r, "skipped", "")}
            for r in years
            if getattr(r, "skipped", "")
        ]
    return outcome


def changed_figures(affected, refreshed) -> list[dict]:
    """Links to the figures an import changed: per refreshed year, the province's page, then the pages of the units it
    touched (the higher levels first), at most a dozen a year."""
    from django.urls import reverse

    rank = {UnitKind.PROVINCE: 0, UnitKind.DEPARTMENT: 1, UnitKind.DISTRICT: 2, UnitKind.COMMUNE: 3}
    by_year: dict[int, set[int]] = {}
    for unit_id, year in affected:
        by_year.setdefault(year, set()).add(unit_id)
    parents = dict(Unit.objects.values_list("pk", "parent_id"))  # a few hundred units

    def root(pk: int) -> int:
        while parents.get(pk) is not None:
            pk = parents[pk]
        return pk

    links = []
    for result in sorted(refreshed, key=lambda r: r.year):
        touched = {pk for pk in by_year.get(result.year, ()) if pk in parents}
        units = Unit.objects.in_bulk(touched | {root(pk) for pk in touched})
        ordered = sorted(units.values(), key=lambda u: (u.pk not in {root(pk) for pk in touched}, rank[u.kind], u.code))
        for unit in ordered[:12]:
            url = reverse("indicators:unit", args=[unit.code, str(result.year)])
            links.append({"year": result.year, "unit": unit.name, "url": url})
    return links
