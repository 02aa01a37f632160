"""Issue 13 (Low): an upload larger than its limit is refused from its Content-Length before its body is read, and
uploaded import files are removed after CCHC_IMPORT_KEEP_DAYS days."""

import io
import os
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import RequestFactory

from cchc.core.middleware import UploadSizeLimitMiddleware
from cchc.dossiers.retention import imports_folder


class Unreadable(io.RawIOBase):
    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def refused(path: str, size: int):
    request = RequestFactory().post(path, data=b"", content_type="multipart/form-data; boundary=x")
    request.META["CONTENT_LENGTH"] = str(size)
    request.META["wsgi.input"] = Unreadable()
    request._stream = Unreadable()
    return UploadSizeLimitMiddleware(lambda r: r.read() or None)(request)


def test_an_oversized_evidence_upload_is_refused_before_it_is_read(settings):
    settings.CCHC_MAX_EVIDENCE_BYTES = 2 * 2**20
    response = refused("/progress/2023/1.1/593/", 50 * 2**20)
    assert response.status_code == 413 and "2 MB" in response.content.decode()
    assert refused("/api/evidence/", 50 * 2**20).status_code == 413
    with pytest.raises(AssertionError, match="the body was read"):
        refused("/progress/2023/1.1/593/", 2**20)  # within the limit: handed on to the view, which reads it


def test_imports_have_their_own_larger_limit(settings):
    settings.CCHC_MAX_UPLOAD_BYTES = 100 * 2**20
    with pytest.raises(AssertionError):
        refused("/dossiers/import/", 50 * 2**20)
    assert refused("/dossiers/import/", 200 * 2**20).status_code == 413


def test_a_nul_byte_in_a_parameter_is_a_400(client):
    assert client.get("/units/", {"q": "a\x00b"}).status_code == 400


def test_old_import_files_are_removed(settings, tmp_path):
    settings.CCHC_IMPORT_KEEP_DAYS = 30
    old, recent = imports_folder() / "old", imports_folder() / "recent"
    for folder in (old, recent):
        folder.mkdir(parents=True)
        (folder / "hoso.csv").write_text("MaHoSo\n")
    forty_days_ago = time.time() - 40 * 86400
    for path in (old / "hoso.csv", old):
        os.utime(path, (forty_days_ago, forty_days_ago))
    out = StringIO()
    call_command("purge_imports", stdout=out)
    assert not old.exists() and (recent / "hoso.csv").exists()
    assert out.getvalue().startswith("1 ")
