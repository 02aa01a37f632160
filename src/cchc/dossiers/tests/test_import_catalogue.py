"""Importing the procedure catalogue (TTHC) into the database."""

import json

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cchc.dossiers.columns import CATALOGUE_COLUMNS
from cchc.dossiers.importing import import_catalogue
from cchc.dossiers.models import Procedure
from cchc.dossiers.readers import ImportFileError

pytestmark = pytest.mark.usefixtures("in_english")

HEADER = ",".join(CATALOGUE_COLUMNS[:14])  # the columns of the first contract (no optional ones)
ROWS = [
    '1.000001,Đăng ký khai sinh,HT,Hộ tịch,"huyen, xa",toan_trinh,1,1,0,0,1,3,ngay_lam_viec,0',
    "2.000815,Cấp giấy chứng nhận quyền sử dụng đất,DD,Đất đai,tinh,mot_phan,0,1,1,1,1,30,ngay,0",
    "1.004227,Trao đổi thông tin giữa các cơ quan,NB,Nội bộ,TINH;Huyen,,,,,,,,,1",
    '3.000123,Cấp phép trong giờ,GP,Giấy phép,xa,4,0,0,0,0,0,"0,5",gio,0',
]


def write(tmp_path, rows, name="tthc.csv", bom=True):
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + "\n".join([HEADER, *rows]).encode() + b"\n")
    return path


def values(code: str) -> dict:
    found = Procedure.objects.filter(code=code).values().get()
    found.pop("id")
    return found


def snapshot() -> list[dict]:
    return list(Procedure.objects.order_by("code").values())


def test_a_catalogue_csv(db, tmp_path):
    result = import_catalogue(write(tmp_path, ROWS))
    assert (result.rows_read, result.inserted, result.updated, result.rejected) == (4, 4, 0, 0)
    assert values("1.000001") == {
        "code": "1.000001",
        "name": "Đăng ký khai sinh",
        "sector_code": "HT",
        "sector_name": "Hộ tịch",
        "at_province": False,
        "at_district": True,
        "at_commune": True,
        "online_level": "toan_trinh",
        "eligible_full_online": True,
        "integrated_dvcqg": True,
        "has_fee": False,
        "online_payment": False,
        "paper_result": True,
        "time_limit": 3.0,
        "time_unit": "ngay_lam_viec",
        "internal": False,
        "eligible_online": True,  # no DuDieuKienDVCTT column: eligible
        "owner_id": None,  # no CoQuanThucHien column: no owning agency
        "source": "tthc.csv",
    }
    assert Procedure.objects.get(code="2.000815").is_land
    internal = values("1.004227")
    assert (internal["at_province"], internal["at_district"], internal["at_commune"]) == (True, True, False)
    assert (internal["online_level"], internal["time_limit"], internal["time_unit"], internal["internal"]) == (
        "",
        None,
        "",
        True,
    )
    # the old level 4 is full online service; a decimal comma
    assert (values("3.000123")["online_level"], values("3.000123")["time_limit"]) == ("toan_trinh", 0.5)


def test_reimport_changes_nothing_and_a_changed_row_updates(db, tmp_path):
    path = write(tmp_path, ROWS)
    import_catalogue(path)
    before = snapshot()
    again = import_catalogue(path)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 4)
    assert snapshot() == before
    rows = [*ROWS[:3], ROWS[3].replace("Cấp phép trong giờ", "Cấp phép (sửa)"), ROWS[0].replace(",3,", ",5,")]
    changed = import_catalogue(write(tmp_path, rows))
    assert (changed.inserted, changed.updated, changed.unchanged, changed.superseded) == (0, 2, 2, 1)
    assert values("1.000001")["time_limit"] == 5.0  # the later row of the file wins
    assert values("3.000123")["name"] == "Cấp phép (sửa)"


def test_each_bad_row_is_rejected_with_its_line_field_and_reason(db, tmp_path):
    bad = [
        "4.000001,Cấp thôn,X,X,thon,,0,0,0,0,0,1,ngay,0",
        "4.000002,Cờ sai,X,X,xa,,2,0,0,0,0,1,ngay,0",
        "4.000003,Âm,X,X,xa,,0,0,0,0,0,-2,ngay,0",
        "4.000004,Tuần,X,X,xa,,0,0,0,0,0,1,tuan,0",
        "4.000005,Thiếu đơn vị,X,X,xa,,0,0,0,0,0,7,,0",
        "4.000006,Mức độ,X,X,xa,muc_do_4,0,0,0,0,0,,,0",
        "4.000007,,X,X,xa,,0,0,0,0,0,,,0",
        ",Không mã,X,X,xa,,0,0,0,0,0,,,0",
        "4.000009,Chữ,X,X,xa,,0,0,0,0,0,ba ngày,ngay,0",
    ]
    result = import_catalogue(write(tmp_path, [ROWS[0], *bad, ROWS[1]]))
    assert (result.rows_read, result.inserted, result.rejected) == (11, 2, 9)
    assert [(e.line, e.field, e.value, e.reason) for e in result.errors] == [
        (3, "CapThucHien", "thon", "unknown level thon (expected tinh, huyen, xa)"),
        (4, "DuDieuKienToanTrinh", "2", "flag not 0 or 1"),
        (5, "ThoiHanGiaiQuyet", "-2", "negative time limit"),
        (6, "DonViTinh", "tuan", "unknown time unit (expected gio, ngay, ngay_lam_viec, thang)"),
        (7, "DonViTinh", "", "missing: a time limit needs its unit"),
        (8, "MucDoDVCTT", "muc_do_4", "online level not toan_trinh, mot_phan or empty"),
        (9, "TenTTHC", "", "missing required field"),
        (10, "MaTTHC", "", "missing required field"),
        (11, "ThoiHanGiaiQuyet", "ba ngày", "time limit not a number"),
    ]
    assert set(Procedure.objects.values_list("code", flat=True)) == {"1.000001", "2.000815"}


def test_xlsx_and_json_catalogues(db, tmp_path):
    book = openpyxl.Workbook()
    book.active.append(list(CATALOGUE_COLUMNS))
    book.active.append(
        ["1.000001", "Đăng ký khai sinh", "HT", "Hộ tịch", "xa", "toan_trinh", 1, 1, 0, 0, 1, 3, "ngay_lam_viec", 0]
    )
    book.save(tmp_path / "tthc.xlsx")
    result = import_catalogue(tmp_path / "tthc.xlsx")
    assert (result.file_format, result.inserted) == ("xlsx", 1)
    assert (values("1.000001")["time_limit"], values("1.000001")["source"]) == (3.0, "tthc.xlsx")

    records = [
        {"MaTTHC": "1.000001", "TenTTHC": "Đăng ký khai sinh", "CapThucHien": ["huyen", "xa"], "TichHopDVCQG": True},
        {
            "MaTTHC": "2.000815",
            "TenTTHC": "Đất",
            "TenLinhVuc": "Đất đai",
            "CoPhiLePhi": 1,
            "ThoiHanGiaiQuyet": 30,
            "DonViTinh": "ngay",
        },
    ]
    (tmp_path / "tthc.json").write_text(json.dumps({"data": records}, ensure_ascii=False), encoding="utf-8")
    result = import_catalogue(tmp_path / "tthc.json")
    assert (result.file_format, result.inserted, result.updated) == ("json", 1, 1)
    first = values("1.000001")
    assert (first["at_district"], first["at_commune"], first["integrated_dvcqg"], first["time_limit"]) == (
        True,
        True,
        True,
        None,
    )
    assert (values("2.000815")["has_fee"], values("2.000815")["time_limit"]) == (True, 30.0)


def test_an_unreadable_catalogue_changes_nothing(db, tmp_path):
    import_catalogue(write(tmp_path, ROWS))
    before = snapshot()
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("MaTTHC,Ten\n1,2\n")
    with pytest.raises(ImportFileError, match=r"missing required column\(s\) TenTTHC"):
        import_catalogue(wrong)
    junk = tmp_path / "junk.csv"
    junk.write_bytes(b"\x00\x01\x02" * 100)
    with pytest.raises(ImportFileError, match="binary"):
        import_catalogue(junk)
    latin = tmp_path / "latin.csv"
    latin.write_bytes(HEADER.encode() + b"\n" + ROWS[0].encode("utf-8").replace("Đ".encode(), b"\xd0") + b"\n")
    with pytest.raises(ImportFileError, match="not UTF-8"):
        import_catalogue(latin)
    assert snapshot() == before


def test_the_command(db, tmp_path, capsys):
    path = write(tmp_path, [ROWS[0], "4.000001,Cấp thôn,X,X,thon,,0,0,0,0,0,1,ngay,0"])
    call_command("import_catalogue", str(path))
    assert "2 rows read: 1 inserted, 0 updated, 0 unchanged, 1 rejected" in capsys.readouterr().out
    assert '3,CapThucHien,thon,"unknown level thon' in (tmp_path / "tthc.csv.errors.csv").read_text("utf-8-sig")
    (tmp_path / "bad.json").write_text("[1, 2")
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_catalogue", str(tmp_path / "bad.json"))
