"""An import and its indicator refresh are one unit of recovery: a crash between them leaves the changed (unit, year)
pairs marked, and the next worker start, `recompute_indicators --pending` or simply re-importing the file (every row
then "unchanged") brings the figures to exactly what a full recompute gives."""

from io import StringIO

import polars as pl
import pytest
from django.core.management import call_command

from cchc.core import jobs
from cchc.core.models import Job
from cchc.dossiers.importing import import_dossiers
from cchc.dossiers.models import RefreshMark
from cchc.indicators.compute import recompute
from cchc.indicators.models import IndicatorValue


def figures() -> dict:
    rows = IndicatorValue.objects.values_list("unit_id", "period", "level", "metric", "numerator", "denominator")
    return {row[:4]: row[4:] for row in rows}


@pytest.fixture
def year_in_two_files(plan_2023, tmp_path, synthetic_files):
    """The figures of a first file are computed; a second file (more dossiers of the same year) is imported and the
    process dies before the refresh: its dossiers are committed, the stored figures are those of the first file."""
    out, catalogue = synthetic_files(600, 5)  # generated once per session
    call_command("import_catalogue", str(catalogue), stdout=StringIO())
    frame = pl.read_csv(out, infer_schema=False)
    first, second = tmp_path / "dot-1.csv", tmp_path / "dot-2.csv"
    frame.head(350).write_csv(first)
    frame.write_csv(second)
    call_command("import_dossiers", str(first), stdout=StringIO())
    assert not RefreshMark.objects.exists()
    import_dossiers(second)  # committed … and then the crash: no refresh
    return second


def test_the_crash_leaves_the_figures_marked_not_silently_stale(year_in_two_files):
    stale = figures()
    assert RefreshMark.objects.filter(year=2023).exists()
    recompute(2023)  # what the figures should be
    assert figures() != stale


def test_recompute_pending_finishes_the_refresh(year_in_two_files):
    out = StringIO()
    call_command("recompute_indicators", pending=True, stdout=out)
    assert "2023" in out.getvalue()
    assert not RefreshMark.objects.exists()
    refreshed = figures()
    recompute(2023)
    assert refreshed == figures()


def test_reimporting_the_file_after_the_crash_leaves_the_figures_right(year_in_two_files, admin_user):
    job = Job.objects.create(kind="import_dossiers", title=year_in_two_files.name, created_by=admin_user)
    jobs.start(job, "cchc.dossiers.jobs.run_import", path=str(year_in_two_files), kind="dossiers")
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.message
    summary = job.result["summary"]
    assert summary["inserted"] == summary["updated"] == 0 and summary["unchanged"] == 600
    assert summary["values_refreshed"] > 0
    assert not RefreshMark.objects.exists()
    refreshed = figures()
    recompute(2023)
    assert refreshed == figures()


def test_the_next_worker_start_finishes_the_refresh(year_in_two_files, settings, monkeypatch):
    from cchc.core.worker import Worker

    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.CCHC_WORKER_HEARTBEAT, settings.CCHC_REMINDERS_AT = 3600, ""
    Worker(interval=0, batch=True).run()
    assert not RefreshMark.objects.exists()
    refreshed = figures()
    recompute(2023)
    assert refreshed == figures()
