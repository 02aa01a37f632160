"""A drill-down export above CCHC_EXPORT_INLINE_ROWS runs as a job (progress, then a download link), not inside the
request; the file has the same rows the page lists."""

import io

import openpyxl
import pytest
from django.urls import reverse

from cchc.conftest import grant_role
from cchc.core.models import Job
from cchc.indicators import drilldown
from cchc.indicators.tests.test_drilldown_same_rows import generated  # noqa: F401  (fixture)
from cchc.units.models import Unit

QUERY = {"metric": "PROCESSING_ON_TIME", "part": "denominator"}


@pytest.mark.parametrize("limit", [100])
def test_a_large_export_is_a_job_with_a_download_link(generated, officer, officer_client, settings, limit):  # noqa: F811
    settings.CCHC_EXPORT_INLINE_ROWS = limit
    grant_role(officer, "leader")  # dossier lists follow the unit scope: the whole province
    url = reverse("indicators:dossiers", args=["593", "2023"])
    behind = drilldown.dossiers_behind(Unit.objects.get(code="593"), "2023", **QUERY)["id"].to_list()
    assert len(behind) > limit

    page = officer_client.get(url, QUERY).content.decode()
    assert 'id="export-job"' in page and 'method="post"' in page  # the page offers the job, by POST
    officer_client.get(url, {**QUERY, "format": "xlsx"})
    assert not Job.objects.exists()  # a GET never writes, not even an export job

    response = officer_client.post(url, QUERY)

    job = Job.objects.get(kind="export_dossiers")
    assert response.status_code == 302 and response["Location"] == reverse("job", args=[job.pk])
    assert job.status == Job.Status.DONE, job.message
    page = officer_client.get(reverse("job", args=[job.pk])).content.decode()
    assert reverse("job-file", args=[job.pk]) in page
    download = officer_client.get(reverse("job-file", args=[job.pk]))
    assert download.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True)
    rows = list(book.worksheets[-1].iter_rows(values_only=True))
    assert len(rows) == len(behind) + 1  # header + one row per dossier


def test_an_export_job_is_refused_to_an_account_outside_the_units_scope(
    generated,  # noqa: F811
    client,
    make_account,
    settings,
):
    settings.CCHC_EXPORT_INLINE_ROWS = 100
    client.force_login(make_account("594", "editor"))  # another district's account
    url = reverse("indicators:dossiers", args=["593", "2023"])
    assert client.post(url, QUERY).status_code == 404
    assert not Job.objects.exists()


def test_a_small_export_is_answered_at_once(generated, officer, officer_client, settings):  # noqa: F811
    grant_role(officer, "leader")
    settings.CCHC_EXPORT_INLINE_ROWS = 10**9
    url = reverse("indicators:dossiers", args=["593", "2023"])
    response = officer_client.get(url, {**QUERY, "format": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    assert not Job.objects.filter(kind="export_dossiers").exists()


def test_the_api_never_lists_more_than_its_maximum_page(officer_client, settings, plan_2023):
    settings.CCHC_API_MAX_PAGE_SIZE = 5
    body = officer_client.get("/api/units/", {"limit": 100000}).json()
    assert body["count"] > 5 and len(body["results"]) == 5
