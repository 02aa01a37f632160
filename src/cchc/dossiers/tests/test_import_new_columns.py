"""The import contract's optional columns for the corrected definitions, read alike from CSV, XLSX and JSON:
DuDieuKienDVCTT and CoQuanThucHien (catalogue), DuocTaiSuDung, NgaySoHoaKetQua and NgayHetHieuLucKetQua (dossiers).
A file without them still imports and says what is then not computed."""

import datetime as dt
import json

import openpyxl
import pytest

from cchc.dossiers.importing import import_catalogue, import_dossiers
from cchc.dossiers.models import Dossier, Procedure
from cchc.units.models import Unit

pytestmark = pytest.mark.usefixtures("in_english")

CATALOGUE = ["MaTTHC", "TenTTHC", "CapThucHien", "MucDoDVCTT", "DuDieuKienDVCTT", "CoQuanThucHien"]
CATALOGUE_ROWS = [
    ["1.000001", "Đăng ký khai sinh", "xa", "toan_trinh", "1", ""],
    ["2.000815", "Cấp giấy chứng nhận", "tinh", "", "0", "STP"],
    ["2.000900", "Chứng thực", "tinh", "mot_phan", "", "Sở Tư pháp"],
]
DOSSIER = [
    "MaHoSo",
    "MaTTHC",
    "DonViXuLy",
    "TrangThaiHoSo",
    "NgayTiepNhan",
    "NgayKetThucXuLy",
    "DuocTaiSuDung",
    "NgaySoHoaKetQua",
    "NgayHetHieuLucKetQua",
]
DOSSIER_ROWS = [
    ["A", "1.000001", "22915", "10", "2023-03-01 08:00", "2023-03-02 09:00", "1", "2023-03-10", "2024-03-01"],
    ["B", "1.000001", "22915", "10", "2023-03-01 08:00", "2023-03-02 09:00", "0", "", ""],
    ["C", "1.000001", "22915", "4", "2023-03-01 08:00", "", "", "", ""],
]
LOCAL = dt.timezone(dt.timedelta(hours=7))


def write(tmp_path, kind: str, fmt: str, header: list[str], rows: list[list[str]]):
    path = tmp_path / f"{kind}.{fmt}"
    if fmt == "csv":
        path.write_text("\n".join(",".join(r) for r in [header, *rows]) + "\n", encoding="utf-8")
    elif fmt == "xlsx":
        book = openpyxl.Workbook()
        for row in [header, *rows]:
            book.active.append([v if v != "" else None for v in row])
        book.save(path)
    else:
        records = [{k: v for k, v in zip(header, row, strict=True) if v != ""} for row in rows]
        path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_the_new_columns_in_every_format(plan_2023, tmp_path, fmt):
    result = import_catalogue(write(tmp_path, "tthc", fmt, CATALOGUE, CATALOGUE_ROWS))
    assert (result.inserted, result.rejected) == (3, 0)
    stp = Unit.objects.get(code="STP")
    got = {p.code: (p.eligible_online, p.owner_id) for p in Procedure.objects.all()}
    # By the department's code or its name; an empty eligibility means eligible.
    assert got == {"1.000001": (True, None), "2.000815": (False, stp.pk), "2.000900": (True, stp.pk)}

    result = import_dossiers(write(tmp_path, "hoso", fmt, DOSSIER, DOSSIER_ROWS))
    assert (result.inserted, result.rejected) == (3, 0)
    a, b, c = (Dossier.objects.get(code=code) for code in "ABC")
    assert (a.reused_data, b.reused_data) == (True, False)
    # An empty cell is "not known" in CSV and XLSX, and an absent key in JSON.
    assert c.reused_data is None
    assert a.result_digitised_at == dt.datetime(2023, 3, 10, tzinfo=LOCAL)
    assert a.result_expires_at == dt.datetime(2024, 3, 1, tzinfo=LOCAL)
    assert (b.result_digitised_at, b.result_expires_at) == (None, None)


def test_unknown_owning_agency_is_a_row_error(plan_2023, tmp_path):
    rows = [["2.000815", "Cấp giấy chứng nhận", "tinh", "", "1", "Sở Không Có"]]
    result = import_catalogue(write(tmp_path, "tthc", "csv", CATALOGUE, rows))
    assert result.rejected == 1
    assert [(e.line, e.field, e.value) for e in result.errors] == [(2, "CoQuanThucHien", "Sở Không Có")]
    assert "unknown agency" in next(iter(result.errors)).reason


def test_files_of_the_older_contract_import_and_say_what_is_not_computed(plan_2023, tmp_path):
    import_catalogue(write(tmp_path, "tthc", "csv", CATALOGUE, CATALOGUE_ROWS))
    stp = Unit.objects.get(code="STP")
    old = [["2.000815", "Cấp giấy chứng nhận", "tinh", ""]]
    result = import_catalogue(write(tmp_path, "old", "csv", CATALOGUE[:4], old))
    assert (result.rejected, result.updated) == (0, 1)  # its source is the new file
    # The stored owner and eligibility stay: the older file says nothing about them.
    assert Procedure.objects.filter(code="2.000815", owner=stp, eligible_online=False).exists()
    assert any("CoQuanThucHien absent" in w and "every department" in w for w in result.warnings)

    result = import_dossiers(write(tmp_path, "hoso", "csv", DOSSIER[:6], [r[:6] for r in DOSSIER_ROWS]))
    assert (result.inserted, result.rejected) == (3, 0)
    assert any("DuocTaiSuDung absent" in w and "2.7" in w for w in result.warnings)
    assert any("NgaySoHoaKetQua absent" in w and "2.3" in w for w in result.warnings)
    assert Dossier.objects.get(code="A").reused_data is None
