"""Row-error reasons, file errors and warnings speak the user's language (Vietnamese unless English is chosen)."""

import csv
import io
from pathlib import Path

import polars as pl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from cchc.conftest import grant_role
from cchc.core.jobs import JobError
from cchc.core.models import Job
from cchc.dossiers import columns, validation
from cchc.dossiers.columns import CATALOGUE_COLUMNS
from cchc.dossiers.jobs import run_import
from cchc.dossiers.readers import DOSSIER_SPEC, ImportFileError, Source

CATALOGUE = (
    ",".join(CATALOGUE_COLUMNS[:14]) + "\n"  # the first contract: no optional columns
    '1.000001,Đăng ký khai sinh,HT,Hộ tịch,"huyen,xa",toan_trinh,1,1,0,0,1,3,ngay_lam_viec,0\n'
)
HEADER = ",".join(columns.DOSSIER_COLUMNS[:21])
DOSSIERS = "\n".join(
    [
        HEADER,
        "HS-1,1.000001,22915,1,01/03/2023 08:10,01/03/2023 08:20,,,,4,,0,,,0,0,0,0,1,,0",
        "HS-2,9.999999,22915,1,01/03/2023 08:10,01/03/2023 08:20,,,,4,,0,,,0,0,0,0,1,,0",
        "HS-3,1.000001,22915,1,,31/02/2023,,,,4,,0,,,0,0,0,0,1,,0",
        "HS-4,1.000001,22915,1,,01/03/2023 08:20,,,,10,,0,,,0,0,0,0,1,,0",
        "HS-5,1.000001",
        "X" * 61 + ",1.000001,22915,1,,01/03/2023 08:20,,,,4,,0,,,0,0,0,0,1,,0",
    ]
)
DATES = "yyyy-mm-dd[THH:MM[:SS]][±HH:MM]", "dd/mm/yyyy[ HH:MM[:SS]]"
REASONS = {
    "vi": [
        (3, "MaTTHC", "MaTTHC không xác định (không có trong danh mục)"),
        (4, "NgayTiepNhan", "không phải ngày hợp lệ (cần dạng {} hoặc {})".format(*DATES)),
        (5, "NgayKetThucXuLy", "thiếu với trạng thái 10 (đã kết thúc xử lý)"),
        (6, "", "cần 21 trường, có 2"),
        (7, "MaHoSo", "dài quá 60 ký tự"),
    ],
    "en": [
        (3, "MaTTHC", "unknown MaTTHC (not in the catalogue)"),
        (4, "NgayTiepNhan", "not a date (expected {} or {})".format(*DATES)),
        (5, "NgayKetThucXuLy", "missing for status 10 (processing finished)"),
        (6, "", "expected 21 fields, found 2"),
        (7, "MaHoSo", "longer than 60 characters"),
    ],
}


@pytest.fixture
def importer(plan_2023, officer, officer_client):
    grant_role(officer, "administrator")  # the role imports (issue 13)
    upload(officer_client, "catalogue", "tthc.csv", CATALOGUE)
    return officer_client


def upload(client, kind: str, name: str, content: str):
    return client.post(reverse("dossiers:import"), {"kind": kind, "file": SimpleUploadedFile(name, content.encode())})


def report_rows(client, job: Job) -> list[tuple[int, str, str]]:
    response = client.get(reverse("job-errors", args=[job.pk]))
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return [(int(line), field, reason) for line, field, _value, reason in list(csv.reader(io.StringIO(content)))[1:]]


def test_the_error_report_and_the_job_page_give_vietnamese_reasons_by_default(importer):
    response = upload(importer, "dossiers", "hoso.csv", DOSSIERS)
    job = Job.objects.get(kind="import_dossiers")
    assert job.status == Job.Status.DONE and job.result["summary"]["rejected"] == 5
    assert sorted(report_rows(importer, job)) == REASONS["vi"]
    html = importer.get(response["Location"]).content.decode()
    for _line, _field, reason in REASONS["vi"]:
        assert f"<td>{reason}</td>" in html


def test_a_user_who_chose_english_gets_english_reasons(importer):
    importer.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = upload(importer, "dossiers", "hoso.csv", DOSSIERS)
    job = Job.objects.get(kind="import_dossiers")
    assert sorted(report_rows(importer, job)) == REASONS["en"]
    assert "<td>unknown MaTTHC (not in the catalogue)</td>" in importer.get(response["Location"]).content.decode()


def test_a_job_keeps_the_language_it_was_started_in(importer, officer):
    """A job may run in its own thread, where the request's language is not active."""
    path = Path(settings.MEDIA_ROOT) / "imports" / "hoso.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(DOSSIERS, encoding="utf-8")
    job = Job.objects.create(kind="import_dossiers", title="hoso.csv", created_by=officer)
    with translation.override("vi"):
        result = run_import(job, path, "dossiers", "en")
    assert sorted((line, field, reason) for line, field, _value, reason in result["errors_preview"]) == REASONS["en"]
    path.write_bytes(b"\x00\x01binary")
    with translation.override("en"), pytest.raises(JobError, match="Không có dữ liệu nào được nhập"):
        run_import(job, path, "dossiers", "vi")


def test_rules_are_translated_when_used_not_when_imported():
    raw = pl.DataFrame(
        {
            **{c: [None] for c in CATALOGUE_COLUMNS},
            "MaTTHC": ["1.1"],
            "TenTTHC": ["Tên"],
            "CapThucHien": ["thon"],
            "ThoiHanGiaiQuyet": ["3"],
            "DonViTinh": ["tuan"],
            columns.LINE: [2],
        },
        schema={**dict.fromkeys(CATALOGUE_COLUMNS, pl.String), columns.LINE: pl.Int64},
    )
    expected = {
        "vi": [
            "cấp không xác định thon (cần tinh, huyen, xa)",
            "đơn vị thời gian không xác định (cần gio, ngay, ngay_lam_viec, thang)",
        ],
        "en": [
            "unknown level thon (expected tinh, huyen, xa)",
            "unknown time unit (expected gio, ngay, ngay_lam_viec, thang)",
        ],
    }
    for language in ("vi", "en", "vi"):
        with translation.override(language):
            assert [e.reason for e in validation.validate_procedures(raw).errors] == expected[language]


def test_file_errors_and_warnings_are_in_vietnamese(tmp_path):
    extra = tmp_path / "hoso.csv"
    extra.write_text("MaHoSo,MaTTHC,DonViXuLy,TrangThaiHoSo,NgayTiepNhan,GhiChu\n", encoding="utf-8")
    with translation.override("vi"):
        warnings = Source(extra, DOSSIER_SPEC).warnings
        assert "bỏ qua cột không xác định: GhiChu" in warnings
        # What an absent optional column means for the figures, in Vietnamese too.
        assert "không có cột tùy chọn DuocTaiSuDung: chỉ tiêu 2.7" in " | ".join(warnings)
        missing = tmp_path / "thieu.csv"
        missing.write_text("MaHoSo,Khac\nHS-1,x\n", encoding="utf-8")
        with pytest.raises(ImportFileError, match="không phải tệp hồ sơ: thiếu cột bắt buộc MaTTHC"):
            Source(missing, DOSSIER_SPEC)
        binary = tmp_path / "hoso.bin"
        binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
        with pytest.raises(ImportFileError, match=r"không phải tệp CSV, XLSX hoặc JSON \(\.bin\)"):
            Source(binary, DOSSIER_SPEC)


def test_the_command_speaks_vietnamese_by_default(importer, tmp_path, capsys):
    path = tmp_path / "hoso.csv"
    path.write_text(DOSSIERS, encoding="utf-8")
    call_command("import_dossiers", str(path), "--no-refresh")
    out = capsys.readouterr().out
    assert "Đã đọc 6 dòng: thêm mới 1, cập nhật 0, không thay đổi 0, bị từ chối 5" in out
    assert "dài quá 60 ký tự" in (tmp_path / "hoso.csv.errors.csv").read_text("utf-8-sig")
    path.write_text("MaHoSo\nHS-1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="thiếu cột bắt buộc.*Không có dữ liệu nào được nhập"):
        call_command("import_dossiers", str(path))
