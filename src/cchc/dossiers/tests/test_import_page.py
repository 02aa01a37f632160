"""The upload page: a job with progress, row errors listed and downloadable, indicators refreshed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.conftest import grant_role
from cchc.core.models import Job
from cchc.dossiers.models import Dossier, Procedure
from cchc.indicators.models import IndicatorValue

CATALOGUE = (
    "MaTTHC,TenTTHC,MaLinhVuc,TenLinhVuc,CapThucHien,MucDoDVCTT,DuDieuKienToanTrinh,TichHopDVCQG,CoPhiLePhi,"
    "ThanhToanTrucTuyen,YeuCauKetQuaGiay,ThoiHanGiaiQuyet,DonViTinh,NoiBo\n"
    '1.000001,Đăng ký khai sinh,HT,Hộ tịch,"huyen,xa",toan_trinh,1,1,0,0,1,3,ngay_lam_viec,0\n'
)
HEADER = (
    "MaHoSo,MaTTHC,DonViXuLy,KenhThucHien,NgayNopHoSo,NgayTiepNhan,NgayHenTra,NgayKetThucXuLy,NgayTra,"
    "TrangThaiHoSo,DuocThanhToanTrucTuyen,CoNghiaVuTaiChinh,NgayYeuCauBoSung,NgayHoanThanhBoSung,"
    "SoLanYeuCauBoSung,LuanChuyenDienTu,CoKetQuaDienTu,HoSoCoThanhPhanSoHoa,DongBoDVCQG,DanhGiaHaiLong,CoPAKN\n"
)
DOSSIERS = HEADER + (
    "HS-1,1.000001,22915,2,2023-03-01T07:50:00,2023-03-01T08:00:00,2023-03-06T17:00:00,2023-03-03T10:00:00,,10,,0,,,0,1,1,1,1,hai_long,0\n"
    "HS-2,1.000001,22915,1,01/03/2023 08:10,01/03/2023 08:20,,,,4,,0,,,0,0,0,0,1,,0\n"
    "HS-3,9.999999,22915,1,2023-03-01T08:00:00,2023-03-01T08:00:00,,,,4,,0,,,0,0,0,0,1,,0\n"
)


@pytest.fixture
def importer(officer, officer_client):
    grant_role(officer, "administrator")  # the province administrator role imports (issue 13), not a Django permission
    return officer_client


def upload(client, kind, name, content):
    return client.post(reverse("dossiers:import"), {"kind": kind, "file": SimpleUploadedFile(name, content)})


def test_an_upload_imports_lists_the_bad_row_and_refreshes_the_indicators(plan_2023, importer):
    assert upload(importer, "catalogue", "tthc.csv", CATALOGUE.encode()).status_code == 302
    assert Procedure.objects.filter(code="1.000001").exists()
    response = upload(importer, "dossiers", "hoso.csv", ("\ufeff" + DOSSIERS).encode())
    job = Job.objects.get(kind="import_dossiers")
    assert response["Location"] == reverse("job", args=[job.pk])
    assert job.status == Job.Status.DONE
    summary = job.result["summary"]
    assert (summary["inserted"], summary["rejected"]) == (2, 1)
    html = importer.get(response["Location"]).content.decode()
    assert 'id="import-errors"' in html and "MaTTHC" in html and "9.999999" in html
    assert "Thêm mới" in html and "Bị từ chối" in html  # the summary speaks Vietnamese
    report = importer.get(reverse("job-errors", args=[job.pk]))
    content = b"".join(report.streaming_content).decode("utf-8-sig")
    assert content.splitlines()[0] == "line,field,value,reason" and "4,MaTTHC,9.999999" in content
    assert set(Dossier.objects.values_list("code", flat=True)) == {"HS-1", "HS-2"}
    on_time = IndicatorValue.objects.get(unit__code="593", period="202303", level="all", metric="PROCESSING_ON_TIME")
    # HS-2 is still open on 31/3, past its due date computed from the catalogue (3 working days → 6/3)
    assert (on_time.numerator, on_time.denominator) == (1, 2)


def test_an_unreadable_file_fails_the_job_and_changes_nothing(plan_2023, importer):
    upload(importer, "dossiers", "junk.csv", b"\x00\x01\x02not,a,dossier\nfile")
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED and "Không có dữ liệu nào được nhập" in job.message
    assert Dossier.objects.count() == 0


def test_wrong_type_and_too_large_uploads_are_refused_with_a_message(plan_2023, importer, settings):
    response = upload(importer, "dossiers", "hoso.pdf", b"%PDF-1.4")
    assert response.status_code == 400 and "hoso.pdf không phải là tệp CSV, XLSX hoặc JSON" in response.content.decode()
    settings.CCHC_MAX_UPLOAD_BYTES = 10
    response = upload(importer, "dossiers", "hoso.csv", DOSSIERS.encode())
    assert response.status_code == 400 and "vượt giới hạn 0 MB" in response.content.decode()
    assert Job.objects.count() == 0


def test_importing_needs_the_permission(plan_2023, officer_client):
    assert officer_client.get(reverse("dossiers:import")).status_code == 403
    assert upload(officer_client, "dossiers", "hoso.csv", DOSSIERS.encode()).status_code == 403


def test_a_job_is_visible_only_to_the_person_who_started_it(plan_2023, importer, django_user_model, client):
    upload(importer, "catalogue", "tthc.csv", CATALOGUE.encode())
    job = Job.objects.get()
    other = django_user_model.objects.create_user("other", password="x-other-pass-1")
    client.force_login(other)
    assert client.get(reverse("job", args=[job.pk])).status_code == 404


def test_the_api_imports_a_file_and_reports_the_job(plan_2023, importer):
    response = importer.post(
        "/api/imports/", {"kind": "catalogue", "file": SimpleUploadedFile("tthc.csv", CATALOGUE.encode())}
    )
    assert response.status_code == 202, response.content
    job = response.json()
    assert job["status"] == "done" and job["result"]["summary"]["inserted"] == 1
    assert importer.get(f"/api/imports/{job['id']}/").json()["id"] == job["id"]
    procedure = importer.get("/api/procedures/1.000001/").json()
    assert procedure["sector_name"] == "Hộ tịch" and procedure["at_commune"] is True
    bad = importer.post("/api/imports/", {"kind": "catalogue", "file": SimpleUploadedFile("tthc.pdf", b"%PDF")})
    assert bad.status_code == 400 and "tthc.pdf không phải là tệp CSV, XLSX hoặc JSON" in str(bad.json())


def test_the_api_lists_dossiers_by_unit_and_date(plan_2023, importer):
    upload(importer, "catalogue", "tthc.csv", CATALOGUE.encode())
    upload(importer, "dossiers", "hoso.csv", DOSSIERS.encode())
    data = importer.get("/api/dossiers/", {"unit": "22915", "accepted_from": "2023-03-01"}).json()
    assert sorted(d["code"] for d in data["results"]) == ["HS-1", "HS-2"]
    assert data["results"][0]["unit"] == "22915"
