"""Evidence files: checked by content, stored with their fingerprint, downloaded only by those who may see them."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from cchc.progress.models import Evidence

from .conftest import PDF

pytestmark = pytest.mark.django_db


def upload(client, task, file, unit="STP"):
    return client.post(f"/progress/{task.plan.year}/{task.code}/{unit}/", {"status": "in_progress", "evidence": file})


def test_a_pdf_is_stored_with_its_name_type_size_and_fingerprint(client, stp_task, make_account, pdf, settings):
    client.force_login(make_account("STP", "editor"))
    assert upload(client, stp_task, pdf("Biên bản họp.pdf")).status_code == 302
    evidence = Evidence.objects.get()
    assert (evidence.original_name, evidence.kind, evidence.size) == ("Biên bản họp.pdf", "pdf", len(PDF))
    assert evidence.sha256 == hashlib.sha256(PDF).hexdigest()
    assert "Biên bản" not in evidence.file.name  # stored under a random name
    assert str(settings.MEDIA_ROOT) in evidence.file.path
    response = client.get(f"/progress/evidence/{evidence.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200, "report.pdf is not a PDF"),
        ("notes.pdf", b"just some text, not a document\n" * 10, "notes.pdf is not a PDF"),
        ("anh.png", PDF, "anh.png contains a PDF file but its name ends in .png"),
        ("empty.pdf", b"", "The submitted file is empty"),
    ],
)
def test_files_are_refused_by_content_with_their_name(client, stp_task, make_account, name, content, message):
    client.force_login(make_account("STP", "editor"))
    response = upload(client, stp_task, SimpleUploadedFile(name, content))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Evidence.objects.exists()


def test_an_empty_file_is_refused_by_the_validator_too():
    from django.core.exceptions import ValidationError

    from cchc.core.uploads import validate_evidence

    with pytest.raises(ValidationError, match="empty.pdf is empty"):
        validate_evidence(SimpleUploadedFile("empty.pdf", b""))


@override_settings(CCHC_MAX_EVIDENCE_BYTES=2**20)
def test_an_oversize_file_is_refused(client, stp_task, make_account):
    client.force_login(make_account("STP", "editor"))
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (2**20 + 1))
    response = upload(client, stp_task, big)
    assert response.status_code == 400
    assert "big.pdf is 1.0 MB; files up to 1 MB are accepted." in response.content.decode()
    assert not Evidence.objects.exists()


def test_nothing_is_half_written_when_the_file_is_refused(client, stp_task, make_account):
    client.force_login(make_account("STP", "editor"))
    client.get(f"/progress/2023/{stp_task.code}/STP/")
    response = client.post(
        f"/progress/2023/{stp_task.code}/STP/",
        {"status": "done", "completed_on": "2023-03-01", "note": "x", "evidence": SimpleUploadedFile("a.pdf", b"text")},
    )
    assert response.status_code == 400
    from cchc.progress.models import ProgressNote, TaskProgress

    assert TaskProgress.objects.get().status == "not_started" and not ProgressNote.objects.exists()


def test_downloads_are_scoped(client, stp_task, make_account, pdf):
    client.force_login(make_account("STP", "editor"))
    upload(client, stp_task, pdf())
    evidence = Evidence.objects.get()
    url = f"/progress/evidence/{evidence.pk}/"
    client.force_login(make_account("593", "editor"))
    assert client.get(url).status_code == 404
    client.force_login(make_account("60", "leader"))
    assert client.get(url).status_code == 200
    client.force_login(make_account(stp_task.monitor.code, "monitor", username="the-monitor"))
    assert client.get(url).status_code == 200
