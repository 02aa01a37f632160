"""The import page shows progress in rows while the file is read and written, then links to the figures it changed."""

from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from cchc.conftest import grant_role
from cchc.core import jobs
from cchc.core.models import PROGRESS_SINK, Job


def test_progress_moves_in_rows_and_the_result_links_to_the_figures(plan_2023, officer, officer_client, tmp_path):
    grant_role(officer, "administrator")
    out = tmp_path / "hoso.csv"
    call_command("generate_dossiers", year=2023, count=2000, seed=4, out=str(out), stdout=StringIO())
    call_command("import_catalogue", str(tmp_path / "hoso-catalogue.csv"), stdout=StringIO())
    job = Job.objects.create(kind="import_dossiers", title=out.name, created_by=officer)
    seen = []
    PROGRESS_SINK[job.pk] = lambda pk, fields: seen.append(dict(fields))  # what a worker's heartbeat would store
    try:
        jobs.start(job, "cchc.dossiers.jobs.run_import", path=str(out), kind="dossiers", batch_rows=400)
    finally:
        PROGRESS_SINK.pop(job.pk, None)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    writing = [f for f in seen if "written" in f["message"] or "ghi" in f["message"]]
    assert len(writing) >= 4  # one step per batch of 400 rows
    done = [f["done"] for f in writing]
    assert done == sorted(done) and done[0] <= 400 and done[-1] == job.result["summary"]["rows_read"]
    # The file's rows, estimated from the bytes read so far, never below the rows already read.
    assert all(f["total"] >= f["done"] for f in writing) and writing[-1]["total"] == 2000
    assert any(f["message"] == "refreshing the indicators" or "chỉ số" in f["message"] for f in seen)
    html = officer_client.get(reverse("job", args=[job.pk])).content.decode()
    assert 'id="job-figures"' in html and reverse("indicators:unit", args=["60", "2023"]) in html


def test_a_running_import_shows_the_rows_its_worker_published(plan_2023, officer, officer_client):
    """On SQLite the import's transaction holds the write lock: its progress reaches the page beside the database."""
    job = Job.objects.create(kind="import_dossiers", title="hoso.csv", created_by=officer, status=Job.Status.RUNNING)
    job.report(120_000, 1_000_000, "120,000 rows read, 100,000 written, of about 1,000,000")
    Job.objects.filter(pk=job.pk).update(done=0, total=None, message="")  # as the row stands inside the transaction
    html = officer_client.get(reverse("job", args=[job.pk])).content.decode()
    from django.db import connection

    if connection.vendor == "sqlite":
        assert "120,000 rows read" in html and "12%" in html
    job.finish(result={})
    assert not any(p.name == f"job-{job.pk}.json" for p in jobs._progress_path(job.pk).parent.glob("*.json"))
