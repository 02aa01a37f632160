"""The generated-documents page: administrators and leaders generate and download; everyone else gets 403."""

import io

import docx
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cchc.core.models import Job


@pytest.fixture
def people(make_account):
    return {
        "leader": make_account("VPUBND", "leader"),
        "snv": make_account("SNV", "administrator"),
        "editor": make_account("593", "editor"),
    }


def generate(client, period, kind="report", **extra):
    data = {
        "period": period.pk,
        "kind": kind,
        "number_symbol": "25/BC-UBND",
        "date": "2023-03-20",
        "signer_name": "",
        "signer_title": "",
        "recipients": "Bộ Nội vụ\nLưu: VT, SNV",
        **extra,
    }
    return client.post(reverse("documents:index"), data)


def download(client, response) -> bytes:
    job_url = response["Location"]
    page = client.get(job_url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-status="done"' in html
    job = Job.objects.latest("pk")
    file = client.get(reverse("documents:download", args=[job.pk]))
    assert file.status_code == 200
    return b"".join(file.streaming_content), file


def test_a_leader_generates_and_downloads_the_word_report(q1_2023, people, client):
    client.force_login(people["leader"])
    page = client.get(reverse("documents:index"))
    assert page.status_code == 200 and 'id="generate-form"' in page.content.decode()
    response = generate(client, q1_2023)
    assert response.status_code == 302
    content, file = download(client, response)
    assert file["Content-Disposition"] == 'attachment; filename="bao-cao-cchc-q1-2023.docx"'
    document = docx.Document(io.BytesIO(content))
    assert "Số: 25/BC-UBND" in document.tables[0].rows[0].cells[0].text
    assert "Bình Thuận, ngày 20 tháng 3 năm 2023" in document.tables[0].rows[0].cells[1].text
    assert "- Bộ Nội vụ;" in document.tables[-1].rows[0].cells[0].text
    assert "bao-cao-cchc-q1-2023.docx" in client.get(reverse("documents:index")).content.decode()


def test_the_administrator_generates_the_annex_and_the_766_table(q1_2023, people, client):
    client.force_login(people["snv"])
    content, _ = download(client, generate(client, q1_2023, kind="annex"))
    assert "Phụ lục số liệu" in load_workbook(io.BytesIO(content)).sheetnames
    content, file = download(client, generate(client, q1_2023, kind="table766"))
    assert file["Content-Disposition"].endswith('"ket-qua-chi-so-766-q1-2023.xlsx"')
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.title == "Chỉ số 766 2023Q1"


def test_an_editor_gets_403_on_the_page_the_job_and_the_download(q1_2023, people, client):
    client.force_login(people["leader"])
    generate(client, q1_2023)
    job = Job.objects.latest("pk")
    client.force_login(people["editor"])
    assert client.get(reverse("documents:index")).status_code == 403
    assert generate(client, q1_2023).status_code == 403
    assert client.get(reverse("documents:job", args=[job.pk])).status_code == 403
    assert client.get(reverse("documents:download", args=[job.pk])).status_code == 403
    assert Job.objects.count() == 1


def test_anonymous_is_sent_to_log_in(q1_2023, client):
    response = client.get(reverse("documents:index"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_other_jobs_and_missing_files_are_404(q1_2023, people, client):
    other = Job.objects.create(kind="import_dossiers", title="x.csv", status="done", result={"file": "x.csv"})
    client.force_login(people["leader"])
    assert client.get(reverse("documents:download", args=[other.pk])).status_code == 404
    assert client.get(reverse("documents:job", args=[other.pk])).status_code == 404
    escaping = Job.objects.create(
        kind="document_report", title="a.docx", status="done", result={"file": "../../etc/passwd", "filename": "a"}
    )
    assert client.get(reverse("documents:download", args=[escaping.pk])).status_code == 404


def test_a_bad_date_is_named(q1_2023, people, client):
    client.force_login(people["leader"])
    response = generate(client, q1_2023, date="20/13/2023")
    assert response.status_code == 200
    assert response.context["form"].errors["date"]
    assert Job.objects.count() == 0
