"""Importing dossier records into the database (importing.py and the `import_dossiers` command)."""

import datetime as dt
import json

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cchc.dossiers.columns import DOSSIER_COLUMNS
from cchc.dossiers.importing import ErrorLog, import_dossiers
from cchc.dossiers.models import Dossier, Procedure
from cchc.dossiers.readers import ImportFileError, RowError
from cchc.units.models import Unit

pytestmark = pytest.mark.usefixtures("in_english")

UTC = dt.UTC
COLUMNS = DOSSIER_COLUMNS[:21]  # the columns of a flat export
HEADER = ",".join(COLUMNS)
BASE = {"MaTTHC": "1.000001", "DonViXuLy": "22915", "TrangThaiHoSo": "4", "NgayTiepNhan": "2023-03-01 08:00:00"}


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


@pytest.fixture
def catalogue(plan_2023):
    return {
        code: Procedure.objects.create(code=code, name=name, sector_name=sector)
        for code, name, sector in [
            ("1.000001", "Đăng ký khai sinh", "Hộ tịch"),
            ("2.000815", "Cấp giấy chứng nhận quyền sử dụng đất", "Đất đai"),
        ]
    }


def unit(code: str) -> int:
    return Unit.objects.get(code=code).pk


def csv_line(values: dict) -> str:
    def cell(value) -> str:
        text = "" if value is None else str(value)
        return f'"{text}"' if "," in text or '"' in text or "\n" in text else text

    return ",".join(cell(values.get(c)) for c in COLUMNS)


def write_csv(path, rows: list[dict], bom: bool = False):
    text = "\n".join([HEADER, *(csv_line({**BASE, **row}) for row in rows)]) + "\n"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode())
    return path


def snapshot() -> list[dict]:
    """Every stored value of every dossier and procedure, to compare before and after."""
    return list(Dossier.objects.order_by("code").values()) + list(Procedure.objects.order_by("code").values())


FULL = {
    "MaHoSo": "000.00.12.H08-230301-0001",
    "KenhThucHien": "2",
    "NgayNopHoSo": "2023-03-01 07:50:00",
    "NgayTiepNhan": "01/03/2023 08:30",
    "NgayHenTra": "06/03/2023",
    "NgayKetThucXuLy": "2023-03-03T10:00:00+07:00",
    "NgayTra": "2023-03-04T02:00:00Z",
    "TrangThaiHoSo": "10",
    "DuocThanhToanTrucTuyen": "1",
    "CoNghiaVuTaiChinh": "1",
    "NgayYeuCauBoSung": "02/03/2023 09:00:00",
    "NgayHoanThanhBoSung": "2023-03-02 15:00",
    "SoLanYeuCauBoSung": "1",
    "LuanChuyenDienTu": "1",
    "CoKetQuaDienTu": "1",
    "HoSoCoThanhPhanSoHoa": "0",
    "DongBoDVCQG": "1",
    "DanhGiaHaiLong": "rat_hai_long",
    "CoPAKN": "0",
}


def expected_full(catalogue) -> dict:
    return {
        "code": "000.00.12.H08-230301-0001",
        "procedure_id": catalogue["1.000001"].pk,
        "unit_id": unit("22915"),
        "channel": 2,
        "submitted_at": utc(2023, 3, 1, 0, 50),
        "accepted_at": utc(2023, 3, 1, 1, 30),
        "due_at": utc(2023, 3, 5, 17, 0),  # a date alone: local midnight
        "finished_at": utc(2023, 3, 3, 3, 0),
        "returned_at": utc(2023, 3, 4, 2, 0),
        "status": 10,
        "paid_online": 1,
        "has_financial_obligation": True,
        "supplement_requested_at": utc(2023, 3, 2, 2, 0),
        "supplement_supplied_at": utc(2023, 3, 2, 8, 0),
        "supplement_count": 1,
        "routed_electronically": True,
        "electronic_result": True,
        "digitised_components": False,
        "synced_dvcqg": True,
        "rating": 1,
        "has_complaint": False,
        "reused_data": None,
        "from_citizen_store": None,
        "result_digitised_at": None,
        "result_expires_at": None,
    }


def stored(code: str) -> dict:
    values = Dossier.objects.filter(code=code).values().get()
    values.pop("id"), values.pop("imported_at")
    return values


@pytest.mark.parametrize("bom", [False, True])
def test_a_csv_file_with_or_without_bom(catalogue, tmp_path, bom):
    path = write_csv(tmp_path / "hoso.csv", [FULL, {"MaHoSo": "HS-2"}], bom=bom)
    result = import_dossiers(path)
    assert (result.rows_read, result.inserted, result.updated, result.rejected) == (2, 2, 0, 0)
    assert result.file_format == "csv" and len(result.errors) == 0
    assert stored(FULL["MaHoSo"]) == expected_full(catalogue)
    # empty flags are 0, an empty channel is the counter, an empty rating is none
    hs2 = stored("HS-2")
    assert (hs2["channel"], hs2["synced_dvcqg"], hs2["rating"], hs2["supplement_count"]) == (1, False, None, 0)


def test_dates_in_both_formats_land_as_the_same_utc_instant(catalogue, tmp_path):
    forms = [
        "2023-03-01 08:30:00",
        "01/03/2023 08:30",
        "01/03/2023 08:30:00",
        "2023-03-01T08:30",
        "2023-03-01T08:30:00+07:00",
        "2023-03-01T01:30:00Z",
        "20230301083000",
    ]
    path = write_csv(tmp_path / "hoso.csv", [{"MaHoSo": f"HS-{i}", "NgayTiepNhan": v} for i, v in enumerate(forms)])
    assert import_dossiers(path).inserted == len(forms)
    assert set(Dossier.objects.values_list("accepted_at", flat=True)) == {utc(2023, 3, 1, 1, 30)}


def test_an_xlsx_file(catalogue, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(COLUMNS))
    values = {**BASE, **FULL}
    values.update(NgayTiepNhan=dt.datetime(2023, 3, 1, 8, 30), NgayHenTra=dt.date(2023, 3, 6), TrangThaiHoSo=10)
    sheet.append([values.get(c) for c in COLUMNS])
    sheet.append([None] * len(COLUMNS))  # a blank row in the middle is skipped
    sheet.append([{**BASE, "MaHoSo": "HS-2", "DonViXuLy": 22915, "TrangThaiHoSo": 4.0}.get(c) for c in COLUMNS])
    sheet.append([{**BASE, "MaHoSo": "HS-3", "DonViXuLy": "nowhere"}.get(c) for c in COLUMNS])
    path = tmp_path / "hoso.xlsx"
    book.save(path)
    result = import_dossiers(path)
    assert (result.file_format, result.inserted, result.rejected) == ("xlsx", 2, 1), list(result.errors)
    assert stored(FULL["MaHoSo"]) == expected_full(catalogue)
    assert stored("HS-2")["unit_id"] == unit("22915") and stored("HS-2")["status"] == 4
    assert [(e.line, e.field, e.reason) for e in result.errors] == [(5, "DonViXuLy", "unknown unit code")]


SYNC_RECORD = {
    "MaHoSo": "J-1",
    "MaTTHC": "2.000815",
    "DonViXuLy": "593",
    "KenhThucHien": 2,
    "NgayNopHoSo": "20230301080000",
    "NgayTiepNhan": "20230301083000",
    "NgayHenTra": "20230331170000",
    "NgayKetThucXuLy": "20230320100000",
    "TrangThaiHoSo": 9,
    "DuocThanhToanTrucTuyen": 2,
    "DanhSachLePhi": [{"TenPhiLePhi": "Lệ phí", "Gia": 0}, {"TenPhiLePhi": "Phí thẩm định", "Gia": 500000}],
    "DanhSachHoSoBoSung": [
        {"NgayBoSung": "20230310090000", "NgayTiepNhanBoSung": "20230312090000", "NgayHenTraMoi": "20230405170000"},
        {"NgayBoSung": "20230305090000", "NgayTiepNhanBoSung": "20230306090000"},
    ],
    "TaiLieuNop": [
        {"TepDinhKemId": "a", "DuocSoHoa": 1, "DuocTaiSuDung": 1, "DuocLayTuKhoDMQG": 0},
        {"TepDinhKemId": "b", "DuocSoHoa": 0, "DuocTaiSuDung": 0, "DuocLayTuKhoDMQG": 0},
    ],
    "DanhSachGiayToKetQua": [{"TenGiayTo": "GCN", "DuongDanTepTinKetQua": "https://dvc/kq.pdf"}],
    "TaiKhoanDuocXacThucVoiVNeID": 1,
}
SYNC_EXPECTED = {
    "unit_id": None,  # filled in the test
    "status": 9,
    "channel": 2,
    "paid_online": 2,
    "accepted_at": utc(2023, 3, 1, 1, 30),
    "finished_at": utc(2023, 3, 20, 3, 0),
    "has_financial_obligation": True,
    "supplement_requested_at": utc(2023, 3, 5, 2, 0),  # the first request
    "supplement_supplied_at": utc(2023, 3, 6, 2, 0),
    "supplement_count": 2,
    "digitised_components": True,
    "reused_data": True,
    "from_citizen_store": False,
    "electronic_result": True,
}
# No nested lists: flat fields only, reuse and data store unknown; a fee list whose prices are 0; a flat field
# that overrides its nested list.
PLAIN_RECORD = {
    "MaHoSo": "J-2",
    "MaTTHC": "1.000001",
    "DonViXuLy": "22915",
    "NgayTiepNhan": "2023-03-02",
    "TrangThaiHoSo": "2",
}
FREE_RECORD = dict(PLAIN_RECORD, MaHoSo="J-3", DanhSachLePhi=[{"Gia": 0}], TaiLieuNop=[{"DuocSoHoa": 0}])
OVERRIDE_RECORD = dict(PLAIN_RECORD, MaHoSo="J-4", DanhSachLePhi=[{"Gia": 0}], CoNghiaVuTaiChinh=1)


def check_sync_records():
    values = Dossier.objects.filter(code="J-1").values(*SYNC_EXPECTED).get()
    assert values == dict(SYNC_EXPECTED, unit_id=unit("593"))
    plain = Dossier.objects.get(code="J-2")
    assert (plain.reused_data, plain.from_citizen_store, plain.has_financial_obligation) == (None, None, False)
    free = Dossier.objects.get(code="J-3")
    assert (free.has_financial_obligation, free.digitised_components, free.reused_data, free.from_citizen_store) == (
        False,
        False,
        False,
        False,
    )
    assert Dossier.objects.get(code="J-4").has_financial_obligation is True


@pytest.mark.parametrize("layout", ["array", "lines", "wrapped"])
def test_json_sync_records_with_nested_lists(catalogue, tmp_path, layout):
    records = [
        SYNC_RECORD,
        PLAIN_RECORD,
        FREE_RECORD,
        OVERRIDE_RECORD,
        dict(PLAIN_RECORD, MaHoSo="J-5", TrangThaiHoSo=42),
    ]
    if layout == "array":
        text = json.dumps(records, ensure_ascii=False, indent=1)
    elif layout == "lines":
        text = "\n".join(json.dumps(r, ensure_ascii=False) for r in records)
    else:
        text = json.dumps({"error_code": 0, "data": records, "total": len(records)}, ensure_ascii=False)
    path = tmp_path / ("hoso.jsonl" if layout == "lines" else "hoso.json")
    path.write_text(text, encoding="utf-8")
    result = import_dossiers(path)
    assert (result.file_format, result.rows_read, result.inserted, result.rejected) == ("json", 5, 4, 1)
    assert [(e.line, e.field, e.value, e.reason) for e in result.errors] == [
        (5, "TrangThaiHoSo", "42", "status not in 1–10")
    ]
    check_sync_records()


BAD_ROWS = [
    # (row, expected errors as (field, reason))
    ({"MaHoSo": ""}, [("MaHoSo", "missing required field")]),
    ({"MaTTHC": ""}, [("MaTTHC", "missing required field")]),
    ({"MaTTHC": "9.999999"}, [("MaTTHC", "unknown MaTTHC (not in the catalogue)")]),
    ({"DonViXuLy": "99999"}, [("DonViXuLy", "unknown unit code")]),
    ({"NgayTiepNhan": "BEFORE-UNIT"}, [("DonViXuLy", "unit not valid on the acceptance date BEFORE-UNIT")]),
    ({"TrangThaiHoSo": ""}, [("TrangThaiHoSo", "missing required field")]),
    ({"TrangThaiHoSo": "11"}, [("TrangThaiHoSo", "status not in 1–10")]),
    ({"TrangThaiHoSo": "đã xong"}, [("TrangThaiHoSo", "status not in 1–10")]),
    ({"NgayTiepNhan": "31/02/2023"}, [("NgayTiepNhan", "not a date")]),
    ({"NgayHenTra": "2023/03/10"}, [("NgayHenTra", "not a date")]),
    ({"NgayTiepNhan": "01/03/0023"}, [("NgayTiepNhan", "year outside 1900–2100")]),
    ({"LuanChuyenDienTu": "2"}, [("LuanChuyenDienTu", "flag not 0 or 1")]),
    ({"CoPAKN": "có"}, [("CoPAKN", "flag not 0 or 1")]),
    ({"KenhThucHien": "4"}, [("KenhThucHien", "channel not 1, 2 or 3")]),
    ({"DanhGiaHaiLong": "tam_duoc"}, [("DanhGiaHaiLong", "rating not rat_hai_long")]),
    ({"SoLanYeuCauBoSung": "-1"}, [("SoLanYeuCauBoSung", "not a whole number")]),
    ({"TrangThaiHoSo": "9", "NgayKetThucXuLy": "28/02/2023 10:00"}, [("NgayKetThucXuLy", "finished before accepted")]),
    ({"TrangThaiHoSo": "10"}, [("NgayKetThucXuLy", "missing for status 10")]),
    (
        {"NgayYeuCauBoSung": "2023-03-05 10:00", "NgayHoanThanhBoSung": "2023-03-04 10:00"},
        [("NgayHoanThanhBoSung", "supplied before requested")],
    ),
    ({"NgayHoanThanhBoSung": "2023-03-04 10:00"}, [("NgayHoanThanhBoSung", "supplied without a supplement request")]),
    ({"NgayTiepNhan": "", "TrangThaiHoSo": "4"}, [("NgayTiepNhan", "missing for status 4")]),
    ({"MaHoSo": "X" * 61}, [("MaHoSo", "longer than 60 characters")]),
    # several faults on one row: each is reported
    (
        {"MaTTHC": "0.0", "CoPAKN": "x", "KenhThucHien": "0"},
        [("MaTTHC", "unknown MaTTHC"), ("KenhThucHien", "channel"), ("CoPAKN", "flag")],
    ),
]


@pytest.mark.parametrize("batch_rows", [50_000, 4])
def test_each_bad_row_is_rejected_with_its_line_field_and_reason(catalogue, tmp_path, batch_rows):
    good = [
        {"MaHoSo": "OK-1"},
        {"MaHoSo": "OK-2", "TrangThaiHoSo": "1", "NgayTiepNhan": ""},  # not yet accepted: no acceptance date
        {"MaHoSo": "OK-3", "TrangThaiHoSo": "3", "NgayTiepNhan": "", "NgayNopHoSo": "2023-03-01"},
        {"MaHoSo": "OK-4", "TrangThaiHoSo": "9", "NgayKetThucXuLy": "01/03/2023"},  # same day, no time: fine
    ]
    # the day before the shipped units begin
    before = (Unit.objects.get(code="22915").valid_from - dt.timedelta(days=1)).isoformat()
    rows, expected = [], {}
    for i, (row, errors) in enumerate(BAD_ROWS):
        rows.append({"MaHoSo": f"BAD-{i}", **{k: v.replace("BEFORE-UNIT", before) for k, v in row.items()}})
        expected[len(rows) + 1] = [(field, reason.replace("BEFORE-UNIT", before)) for field, reason in errors]
        rows.append(good[i % len(good)] | {"MaHoSo": f"OK-{i}"})
    result = import_dossiers(write_csv(tmp_path / "hoso.csv", rows), batch_rows=batch_rows)
    assert (result.rows_read, result.inserted, result.rejected) == (len(rows), len(BAD_ROWS), len(BAD_ROWS))
    got: dict[int, list] = {}
    for error in result.errors:
        got.setdefault(error.line, []).append(error)
    assert sorted(got) == sorted(expected)
    for line, errors in expected.items():
        assert len(got[line]) == len(errors), got[line]
        for (field, reason), error in zip(sorted(errors), sorted(got[line], key=lambda e: e.field), strict=True):
            assert (error.field, reason) == (field, error.reason[: len(reason)]), error
    assert got[2][0].value == "" and got[8][0].value == "99999"
    assert sorted(Dossier.objects.values_list("code", flat=True)) == sorted(f"OK-{i}" for i in range(len(BAD_ROWS)))


def test_reimporting_the_same_file_changes_nothing_and_a_changed_row_updates(catalogue, tmp_path):
    rows = [FULL, {"MaHoSo": "HS-2"}, {"MaHoSo": "HS-3", "NgayTra": "2023-03-01 10:00:00.123456"}]
    path = write_csv(tmp_path / "hoso.csv", rows)
    first = import_dossiers(path)
    assert (first.inserted, first.updated, first.unchanged) == (3, 0, 0)
    before = snapshot()
    again = import_dossiers(path)
    assert (again.rows_read, again.inserted, again.updated, again.unchanged) == (3, 0, 0, 3)
    assert again.affected == set()
    assert snapshot() == before  # imported_at included: untouched rows are not rewritten

    rows[1] = {"MaHoSo": "HS-2", "TrangThaiHoSo": "9", "NgayKetThucXuLy": "2023-03-02 16:00:00"}
    changed = import_dossiers(write_csv(tmp_path / "hoso.csv", rows))
    assert (changed.inserted, changed.updated, changed.unchanged) == (0, 1, 2)
    hs2 = Dossier.objects.get(code="HS-2")
    assert (hs2.status, hs2.finished_at) == (9, utc(2023, 3, 2, 9, 0))
    assert Dossier.objects.count() == 3
    assert [v for v in snapshot() if v.get("code") != "HS-2"] == [v for v in before if v.get("code") != "HS-2"]


def test_within_a_file_the_later_row_wins(catalogue, tmp_path):
    rows = [
        {"MaHoSo": "HS-1", "KenhThucHien": "1"},
        {"MaHoSo": "HS-2", "KenhThucHien": "1"},
        {"MaHoSo": "HS-1", "KenhThucHien": "2"},
        {"MaHoSo": "HS-3"},
        {"MaHoSo": "HS-2", "KenhThucHien": "3"},  # in another batch
        {"MaHoSo": "HS-1", "KenhThucHien": "nope"},  # a bad later row is rejected; the good one stays
    ]
    result = import_dossiers(write_csv(tmp_path / "hoso.csv", rows), batch_rows=4)
    assert dict(Dossier.objects.values_list("code", "channel")) == {"HS-1": 2, "HS-2": 3, "HS-3": 1}
    assert (result.rows_read, result.inserted, result.updated, result.superseded, result.rejected) == (6, 3, 1, 1, 1)


def test_affected_unit_years_of_new_moved_and_open_dossiers(catalogue, tmp_path):
    today = dt.date(2025, 6, 1)
    rows = [
        {"MaHoSo": "DONE", "DonViXuLy": "22915", "TrangThaiHoSo": "10", "NgayKetThucXuLy": "2023-03-05 10:00"},
        {"MaHoSo": "OPEN", "DonViXuLy": "22918", "TrangThaiHoSo": "4"},
        {"MaHoSo": "LATE", "DonViXuLy": "593", "TrangThaiHoSo": "9", "NgayKetThucXuLy": "2024-01-03 10:00"},
        {"MaHoSo": "NEW", "DonViXuLy": "STP", "TrangThaiHoSo": "1", "NgayTiepNhan": "", "NgayNopHoSo": "2024-02-01"},
    ]
    path = write_csv(tmp_path / "hoso.csv", rows)
    first = import_dossiers(path, today=today)
    assert first.affected == {
        (unit("22915"), 2023),
        (unit("22915"), 2024),  # finished: its result is in the stock of still-valid results (2.3) to this year
        (unit("22915"), 2025),
        (unit("22918"), 2023),
        (unit("22918"), 2024),
        (unit("22918"), 2025),  # still open: every year to this one
        (unit("593"), 2023),
        (unit("593"), 2024),  # accepted in 2023, finished in 2024
        (unit("593"), 2025),
        (unit("STP"), 2024),
        (unit("STP"), 2025),
    }
    # DONE moves to another unit and its acceptance to 2024; OPEN is finished in 2023
    rows[0] = {
        "MaHoSo": "DONE",
        "DonViXuLy": "STC",
        "TrangThaiHoSo": "10",
        "NgayTiepNhan": "2024-02-01 08:00",
        "NgayKetThucXuLy": "2024-02-02 08:00",
    }
    rows[1] = {"MaHoSo": "OPEN", "DonViXuLy": "22918", "TrangThaiHoSo": "9", "NgayKetThucXuLy": "2023-03-10 08:00"}
    moved = import_dossiers(write_csv(path, rows), today=today)
    assert (moved.updated, moved.unchanged) == (2, 2)
    assert moved.affected == {
        (unit("22915"), 2023),  # where DONE was, with its result in the stock of later years
        (unit("22915"), 2024),
        (unit("22915"), 2025),
        (unit("STC"), 2024),  # where it is now
        (unit("STC"), 2025),
        (unit("22918"), 2023),
        (unit("22918"), 2024),  # OPEN counted in 2024 and 2025 before; those figures change too
        (unit("22918"), 2025),
    }


def test_a_unit_code_maps_to_the_version_valid_on_the_acceptance_day(catalogue, tmp_path):
    old = Unit.objects.get(code="22915")
    old.valid_to = dt.date(2023, 6, 30)
    old.save()
    new = Unit.objects.create(
        code="22915",
        name=old.name + " (mới)",
        kind=old.kind,
        division_type=old.division_type,
        parent=old.parent,
        valid_from=dt.date(2023, 7, 1),
    )
    rows = [
        {"MaHoSo": "A", "NgayTiepNhan": "30/06/2023 20:00"},
        {"MaHoSo": "B", "NgayTiepNhan": "01/07/2023 07:00"},
        {"MaHoSo": "C", "DonViXuLy": "22918", "NgayTiepNhan": "01/07/2023 07:00"},
    ]
    result = import_dossiers(write_csv(tmp_path / "hoso.csv", rows))
    assert dict(Dossier.objects.values_list("code", "unit_id")) == {"A": old.pk, "B": new.pk, "C": unit("22918")}
    assert result.rejected == 0


def test_progress_is_reported_per_batch(catalogue, tmp_path):
    path = write_csv(tmp_path / "hoso.csv", [{"MaHoSo": f"HS-{i}"} for i in range(10)])
    calls = []
    result = import_dossiers(path, progress=lambda *args: calls.append(args), batch_rows=3)
    assert [c[0] for c in calls] == [3, 6, 9, 10]
    assert all(c[2] == path.stat().st_size for c in calls) and calls[-1][1] == path.stat().st_size
    assert result.inserted == 10 and result.elapsed > 0 and result.rows_per_second > 0


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("junk.csv", bytes(range(256)) * 40, "binary data"),
        (
            "hoso.csv",
            b"Ma,Ten\n1,2\n",
            "missing required column(s) MaHoSo, MaTTHC, DonViXuLy, TrangThaiHoSo, NgayTiepNhan",
        ),
        ("hoso.bin", b"\x89PNG\r\n\x1a\n\x00\x00", "not a CSV, XLSX or JSON file"),
        ("hoso.xlsx", b"PK\x03\x04 this is no workbook", "XLSX"),
        ("hoso.json", b'[{"MaHoSo": "Z-1", "MaTTHC": "1.000001"}, {"MaHoSo": ', "not readable JSON"),
    ],
)
def test_an_unreadable_file_changes_nothing(catalogue, tmp_path, name, content, message):
    import_dossiers(write_csv(tmp_path / "first.csv", [FULL, {"MaHoSo": "HS-2"}]))
    before = snapshot()
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImportFileError) as caught:
        import_dossiers(path)
    assert message in str(caught.value)
    assert snapshot() == before


def test_a_file_that_breaks_after_some_batches_are_written_changes_nothing(catalogue, tmp_path):
    import_dossiers(write_csv(tmp_path / "first.csv", [FULL]))
    before = snapshot()
    # 20 good rows that replace FULL and add others, then invalid UTF-8 on the last line
    path = write_csv(
        tmp_path / "hoso.csv", [dict(FULL, TrangThaiHoSo="4")] + [{"MaHoSo": f"HS-{i}"} for i in range(20)]
    )
    path.write_bytes(path.read_bytes() + b"HS-99,1.000001,\xc3\x28,1,,2023-03-01,,,,4,,,,,,,,,,,\n")
    with pytest.raises(ImportFileError, match="not UTF-8"):
        import_dossiers(path, batch_rows=5)
    assert snapshot() == before
    # the same for JSON that ends too early
    path = tmp_path / "hoso.json"
    path.write_text(json.dumps([dict(PLAIN_RECORD, MaHoSo=f"J-{i}") for i in range(20)])[:-2])
    with pytest.raises(ImportFileError):
        import_dossiers(path, batch_rows=5)
    assert snapshot() == before


def test_the_command_writes_the_error_report_and_fails_only_for_a_file_error(catalogue, tmp_path, capsys):
    path = write_csv(tmp_path / "hồ sơ.csv", [{"MaHoSo": "HS-1"}, {"MaHoSo": "HS-2", "DonViXuLy": "Phường Đức Long"}])
    call_command("import_dossiers", str(path))
    out = capsys.readouterr().out
    assert "2 rows read: 1 inserted, 0 updated, 0 unchanged, 1 rejected" in out
    report = tmp_path / "hồ sơ.csv.errors.csv"
    assert report.read_bytes().startswith(b"\xef\xbb\xbf")
    assert report.read_text("utf-8-sig").splitlines() == [
        "line,field,value,reason",
        "3,DonViXuLy,Phường Đức Long,unknown unit code",
    ]
    elsewhere = tmp_path / "errors" / "report.csv"
    elsewhere.parent.mkdir()
    call_command("import_dossiers", str(path), "--errors", str(elsewhere))
    assert "unknown unit code" in elsewhere.read_text("utf-8-sig")
    assert "0 inserted, 0 updated, 1 unchanged, 1 rejected" in capsys.readouterr().out

    bad = tmp_path / "bad.csv"
    bad.write_text("foo,bar\n1,2\n")
    with pytest.raises(CommandError, match="missing required column.*Nothing was imported"):
        call_command("import_dossiers", str(bad))
    assert not (tmp_path / "bad.csv.errors.csv").exists()


def test_the_error_log_spools_and_can_be_read_while_it_grows():
    log = ErrorLog(max_memory=100)
    log.extend(RowError(i, "NgayTra", 'a\nb,"c"', "not a date") for i in range(2500))
    reading = iter(log)
    first = [next(reading) for _ in range(5)]
    assert [e.line for e in log][:3] == [0, 1, 2] and len(list(log)) == 2500
    log.extend([RowError(9999, "MaHoSo", "", "missing required field")])
    rest = list(reading)
    assert len(first) + len(rest) == len(log) == 2501
    assert first[0] == RowError(0, "NgayTra", 'a\nb,"c"', "not a date") and rest[-1].line == 9999
