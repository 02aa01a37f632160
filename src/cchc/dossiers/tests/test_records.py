"""Reading and checking import files, without a database (readers.py, dates.py, validation.py)."""

import datetime as dt
import io
import json

import openpyxl
import polars as pl
import pytest

from cchc.dossiers import columns
from cchc.dossiers.dates import parse_datetimes
from cchc.dossiers.readers import (
    CATALOGUE_SPEC,
    DOSSIER_SPEC,
    ImportFileError,
    RowError,
    Source,
    flatten_dossier_lists,
)
from cchc.dossiers.validation import validate_dossiers, write_error_report

pytestmark = pytest.mark.usefixtures("in_english")

HEADER = ",".join(columns.DOSSIER_COLUMNS[:21])


def utc(*args) -> dt.datetime:
    return dt.datetime(*args)


@pytest.mark.parametrize(
    "text, expected, has_time",
    [
        ("2023-03-01 08:30:00", utc(2023, 3, 1, 1, 30), True),
        ("2023-03-01T08:30:00", utc(2023, 3, 1, 1, 30), True),
        ("2023-03-01T08:30", utc(2023, 3, 1, 1, 30), True),
        ("01/03/2023 08:30:00", utc(2023, 3, 1, 1, 30), True),
        ("01/03/2023 08:30", utc(2023, 3, 1, 1, 30), True),
        ("1/3/2023 8:30", utc(2023, 3, 1, 1, 30), True),
        ("2023-03-01T08:30:00+07:00", utc(2023, 3, 1, 1, 30), True),
        ("2023-03-01T01:30:00Z", utc(2023, 3, 1, 1, 30), True),
        ("2023-03-01T03:30:00+0200", utc(2023, 3, 1, 1, 30), True),
        ("2023-03-01T08:30:00.250+07:00", utc(2023, 3, 1, 1, 30, 0, 250000), True),
        ("20230301083000", utc(2023, 3, 1, 1, 30), True),  # the national sync record's form
        # a date alone is local midnight
        ("2023-03-01", utc(2023, 2, 28, 17, 0), False),
        ("01/03/2023", utc(2023, 2, 28, 17, 0), False),
    ],
)
def test_dates_are_local_vietnam_time_unless_an_offset_is_given(text, expected, has_time):
    parsed = parse_datetimes(pl.Series([text]))
    assert parsed.utc.to_list() == [expected]
    assert parsed.has_time.to_list() == [has_time]
    assert parsed.bad.to_list() == [False]


@pytest.mark.parametrize(
    "text", ["31/02/2023", "2023-13-01", "01/03/2023 24:00", "hôm qua", "2023/03/01", "03-01-2023"]
)
def test_a_value_that_is_not_a_date_is_bad(text):
    parsed = parse_datetimes(pl.Series([text]))
    assert parsed.bad.to_list() == [True] and parsed.utc.to_list() == [None]


def test_empty_is_not_bad_and_a_year_out_of_range_is_flagged():
    parsed = parse_datetimes(pl.Series([None, "1800-01-01", "2023-03-01 08:00:00"]))
    assert parsed.bad.to_list() == [False, False, False]
    assert parsed.out_of_range.to_list() == [False, True, False]
    assert parsed.utc.to_list()[:2] == [None, None]


def test_mixed_formats_in_one_column():
    values = ["2023-03-01 08:30:00", "01/03/2023 08:30", None, "2023-03-01T01:30:00Z", "x"]
    parsed = parse_datetimes(pl.Series(values))
    assert parsed.utc.to_list() == [utc(2023, 3, 1, 1, 30)] * 2 + [None, utc(2023, 3, 1, 1, 30), None]
    assert parsed.bad.to_list() == [False, False, False, False, True]


def test_nested_lists_of_the_sync_record():
    record = {
        "DanhSachLePhi": [{"Gia": 0}, {"Gia": "50.000"}],
        "DanhSachHoSoBoSung": [
            {"NgayBoSung": "05/03/2023 09:00", "NgayTiepNhanBoSung": "07/03/2023"},
            {"NgayBoSung": "02/03/2023 09:00", "NgayTiepNhanBoSung": "03/03/2023"},
        ],
        "TaiLieuNop": [{"DuocSoHoa": 1, "DuocTaiSuDung": False}, {"DuocSoHoa": 0, "DuocLayTuKhoDMQG": "1"}],
        "DanhSachGiayToKetQua": [{"DuongDanTepTinKetQua": ""}, {"DuongDanTepTinKetQua": "https://x/kq.pdf"}],
    }
    values, problems = flatten_dossier_lists(record)
    assert problems == []
    assert values == {
        "CoNghiaVuTaiChinh": "1",
        "SoLanYeuCauBoSung": "2",
        "NgayYeuCauBoSung": "02/03/2023 09:00",  # the first request, whatever the list's order
        "NgayHoanThanhBoSung": "03/03/2023",
        "HoSoCoThanhPhanSoHoa": "1",
        "DuocTaiSuDung": "0",
        "DuocLayTuKhoDMQG": "1",
        "CoKetQuaDienTu": "1",
    }


def test_nested_lists_when_empty_or_absent():
    values, problems = flatten_dossier_lists(
        {"DanhSachLePhi": [{"Gia": 0}, {"Gia": "0"}], "DanhSachHoSoBoSung": [], "DanhSachGiayToKetQua": []}
    )
    assert problems == []
    # all prices 0: no obligation; no TaiLieuNop: reuse and data store are not known (absent, i.e. null)
    assert values == {"CoNghiaVuTaiChinh": "0", "SoLanYeuCauBoSung": "0", "CoKetQuaDienTu": "0"}
    assert flatten_dossier_lists({"TaiLieuNop": []}) == ({}, [])


def test_a_bad_price_is_a_problem():
    _, problems = flatten_dossier_lists({"DanhSachLePhi": [{"Gia": "miễn phí"}]})
    assert problems == [("DanhSachLePhi[].Gia", "miễn phí", "not a price")]


def write(tmp_path, name, content: bytes):
    path = tmp_path / name
    path.write_bytes(content)
    return path


def read_all(path, spec=DOSSIER_SPEC, batch_rows=50_000):
    source = Source(path, spec, batch_rows)
    batches = list(source.batches())
    frame = pl.concat([b.frame for b in batches])
    errors = [e for b in batches for e in b.errors]
    return source, frame, errors, batches


CSV_ROWS = "HS-1,1.000001,22915,2,,2023-03-01 08:00,,,,4,,,,,,,,,,,\nHS-2,1.000001,22915,,,01/03/2023,,,,2,,,,,,,,,,,\n"


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_csv_with_or_without_bom(tmp_path, bom, newline):
    text = (HEADER + "\n" + CSV_ROWS).replace("\n", newline)
    source, frame, errors, _ = read_all(write(tmp_path, "hoso.csv", bom + text.encode()))
    assert source.format == "csv"
    # Only the optional columns are absent, each with what is then not computed.
    assert [w.split(" absent")[0] for w in source.warnings] == [
        f"optional column {c}" for c in columns.DOSSIER_OPTIONAL_COLUMNS
    ]
    assert frame["MaHoSo"].to_list() == ["HS-1", "HS-2"]
    assert frame["_line"].to_list() == [2, 3]
    assert frame["NgayTiepNhan"].to_list() == ["2023-03-01 08:00", "01/03/2023"]
    assert frame["KenhThucHien"].to_list() == ["2", None]
    assert errors == []


def test_csv_semicolons_header_case_absent_and_unknown_columns(tmp_path):
    text = "mahoso;MATTHC; DonViXuLy ;TrangThaiHoSo;NgayTiepNhan;GhiChu\nHS-1;1.000001;22915;4;2023-03-01;x\n"
    source, frame, _, _ = read_all(write(tmp_path, "hoso.csv", text.encode()))
    assert frame.select("MaHoSo", "MaTTHC", "DonViXuLy").row(0) == ("HS-1", "1.000001", "22915")
    assert frame["CoPAKN"].to_list() == [None]
    assert any("absent" in w and "CoPAKN" in w for w in source.warnings)
    assert any("unknown" in w and "GhiChu" in w for w in source.warnings)


def test_csv_line_numbers_count_records_and_survive_ragged_rows_and_batches(tmp_path):
    rows = [
        'HS-1,1.000001,22915,1,,2023-03-01,,,,4,,,,,,,,,,"nhiều\ndòng",',  # line 2, spans two physical lines
        "HS-2,1.000001,22915",  # line 3: too few fields
        "",  # a blank line is skipped, but counted
        "HS-4,1.000001,22915,1,,2023-03-01,,,,4,,,,,,,,,,,",  # line 5
        ",,,,,,,,,,,,,,,,,,,,",  # line 6: entirely empty, skipped
        "HS-7,1.000001,22915,1,,2023-03-01,,,,4,,,,,,,,,,,",  # line 7
    ]
    path = write(tmp_path, "hoso.csv", (HEADER + "\n" + "\n".join(rows) + "\n").encode())
    for batch_rows in (1, 50_000):
        _, frame, errors, batches = read_all(path, batch_rows=batch_rows)
        assert frame["MaHoSo"].to_list() == ["HS-1", "HS-4", "HS-7"]
        assert frame["_line"].to_list() == [2, 5, 7]
        assert errors == [RowError(3, "", "HS-2,1.000001,22915", "expected 21 fields, found 3")]
        assert sum(b.rows_read for b in batches) == 4


@pytest.mark.parametrize(
    "content, message",
    [
        (b"\x00\x01\x02\x03binary", "binary data"),
        (b"\xff\xfeM\x00a\x00", "binary data"),  # UTF-16
        ("Mã hồ sơ,Thủ tục\n1,2\n".encode("cp1258", errors="replace"), "not UTF-8"),
        (b"foo,bar\n1,2\n", "missing required column(s) MaHoSo, MaTTHC, DonViXuLy, TrangThaiHoSo, NgayTiepNhan"),
        (b"MaHoSo,MaTTHC,MaHoSo\n", "appears twice"),
    ],
)
def test_unreadable_csv_files(tmp_path, content, message):
    with pytest.raises(ImportFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_all(write(tmp_path, "hoso.csv", content))


def test_invalid_utf8_after_the_header_is_a_file_error(tmp_path):
    content = (HEADER + "\n" + CSV_ROWS).encode() + b"HS-3,1.000001,\xff\xfe,1,,2023-03-01,,,,4,,,,,,,,,,,\n"
    with pytest.raises(ImportFileError, match="not UTF-8"):
        read_all(write(tmp_path, "hoso.csv", content))


def test_unknown_or_empty_files(tmp_path):
    with pytest.raises(ImportFileError, match="not a CSV, XLSX or JSON"):
        Source(write(tmp_path, "hoso.pdf", b"%PDF-1.4\x00\x01"), DOSSIER_SPEC)
    with pytest.raises(ImportFileError, match="empty"):
        Source(write(tmp_path, "hoso.csv", b""), DOSSIER_SPEC)
    with pytest.raises(ImportFileError, match="not a readable XLSX"):
        Source(write(tmp_path, "hoso.xlsx", b"PK\x03\x04 broken"), DOSSIER_SPEC)
    with pytest.raises(ImportFileError, match="cannot read"):
        Source(tmp_path / "missing.csv", DOSSIER_SPEC)


RECORD = {"MaHoSo": "J-1", "MaTTHC": "1.000001", "DonViXuLy": 22915, "TrangThaiHoSo": 4, "NgayTiepNhan": "2023-03-01"}


@pytest.mark.parametrize(
    "layout",
    ["array", "data", "nested", "lines", "bom"],
)
def test_json_layouts(tmp_path, layout):
    second = dict(RECORD, MaHoSo="J-2", DongBoDVCQG=True, KenhThucHien=2.0)
    if layout == "array":
        content = json.dumps([RECORD, second])
    elif layout == "data":
        content = json.dumps({"total": 2, "data": [RECORD, second]})
    elif layout == "nested":
        content = json.dumps({"result": {"page": 1, "records": [RECORD, second]}}, indent=2)
    else:
        content = json.dumps(RECORD) + "\n\n" + json.dumps(second) + "\n"
    raw = content.encode()
    if layout == "bom":
        raw = b"\xef\xbb\xbf" + raw
    source, frame, errors, _ = read_all(write(tmp_path, "hoso.json", raw))
    assert source.format == "json" and errors == []
    assert frame["MaHoSo"].to_list() == ["J-1", "J-2"]
    assert frame["DonViXuLy"].to_list() == ["22915", "22915"]  # numbers become text
    assert frame["DongBoDVCQG"].to_list() == [None, "1"]  # booleans become flags
    assert frame["KenhThucHien"].to_list() == [None, "2"]
    assert frame["_line"].to_list() == [1, 2]  # the record's index


def test_json_records_that_are_not_objects_or_hold_lists_in_flat_fields(tmp_path):
    content = json.dumps([RECORD, [1, 2], dict(RECORD, MaHoSo=["x"])])
    _, frame, errors, batches = read_all(write(tmp_path, "hoso.json", content.encode()))
    assert frame["MaHoSo"].to_list() == ["J-1"]
    assert errors == [
        RowError(2, "", "[1, 2]", "not a JSON object"),
        RowError(3, "MaHoSo", "['x']", "expected a single value"),
    ]
    assert sum(b.rows_read for b in batches) == 3


@pytest.mark.parametrize(
    "content, message",
    [
        (b'[{"MaHoSo": "J-1", "MaTTHC": ', "not readable JSON"),
        (b'{"foo": [{"bar": 1}]}', "no JSON object with MaHoSo"),
        (b"42", "bare value"),
        (b'[{"MaHoSo": "J-1"}, {"MaHoSo": "J\xff"}]', "not readable JSON"),
    ],
)
def test_unreadable_json(tmp_path, content, message):
    with pytest.raises(ImportFileError, match=message):
        read_all(write(tmp_path, "hoso.json", content))


def test_xlsx_cells_become_text(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["MaHoSo", "MaTTHC", "DonViXuLy", "TrangThaiHoSo", "NgayTiepNhan", "NgayHenTra", "CoPAKN"])
    sheet.append(["HS-1", "1.000001", 22915, 4, dt.datetime(2023, 3, 1, 8, 30), dt.date(2023, 3, 6), 1.0])
    sheet.append([None] * 7)
    sheet.append(["HS-2", "1.000001", "593", "10", "01/03/2023 08:30", None, True])
    path = tmp_path / "hoso.xlsx"
    book.save(path)
    _, frame, errors, _ = read_all(path)
    assert errors == []
    assert frame.select("MaHoSo", "DonViXuLy", "TrangThaiHoSo", "NgayTiepNhan", "NgayHenTra", "CoPAKN").rows() == [
        ("HS-1", "22915", "4", "2023-03-01T08:30:00", "2023-03-06", "1"),
        ("HS-2", "593", "10", "01/03/2023 08:30", None, "1"),
    ]
    assert frame["_line"].to_list() == [2, 4]


def test_catalogue_json_with_a_list_of_levels(tmp_path):
    content = json.dumps([{"MaTTHC": "1.000001", "TenTTHC": "Khai sinh", "CapThucHien": ["huyen", "xa"], "NoiBo": 0}])
    _, frame, errors, _ = read_all(write(tmp_path, "tthc.json", content.encode()), spec=CATALOGUE_SPEC)
    assert errors == [] and frame.select("CapThucHien", "NoiBo").row(0) == ("huyen,xa", "0")


# -- validation without a database ------------------------------------------------------------------------

PROCEDURES = pl.DataFrame({"code": ["1.000001"], "id": [7]})
UNITS = pl.DataFrame(
    {
        "code": ["22915", "OLD", "OLD"],
        "id": [11, 21, 22],
        "valid_from": [dt.date(2023, 1, 1), dt.date(2023, 1, 1), dt.date(2023, 7, 1)],
        "valid_to": [None, dt.date(2023, 6, 30), None],
    }
)


def frame_of(*rows: dict) -> pl.DataFrame:
    base = {"MaHoSo": "HS", "MaTTHC": "1.000001", "DonViXuLy": "22915", "TrangThaiHoSo": "4"}
    data = [{**base, "NgayTiepNhan": "2023-03-01 08:00", **row} for row in rows]
    frame = pl.DataFrame(
        {c: [d.get(c) for d in data] for c in columns.DOSSIER_COLUMNS},
        schema=dict.fromkeys(columns.DOSSIER_COLUMNS, pl.String),
    )
    return frame.with_columns(pl.Series("_line", range(2, 2 + len(rows)), dtype=pl.Int64))


def test_the_unit_version_valid_on_the_acceptance_day():
    checked = validate_dossiers(
        frame_of(
            {"MaHoSo": "A", "DonViXuLy": "OLD", "NgayTiepNhan": "30/06/2023 23:00"},
            {"MaHoSo": "B", "DonViXuLy": "OLD", "NgayTiepNhan": "01/07/2023 00:30"},
            {"MaHoSo": "C", "NgayTiepNhan": "31/12/2022 23:59"},
        ),
        PROCEDURES,
        UNITS,
        dt.date(2024, 1, 1),
    )
    assert checked.rows.select("code", "unit_id", "procedure_id").rows() == [("A", 21, 7), ("B", 22, 7)]
    assert checked.errors == [RowError(4, "DonViXuLy", "22915", "unit not valid on the acceptance date 2022-12-31")]


def test_years_of_a_dossier_for_the_refresh():
    checked = validate_dossiers(
        frame_of(
            {"MaHoSo": "open", "TrangThaiHoSo": "4"},
            {"MaHoSo": "done", "TrangThaiHoSo": "10", "NgayKetThucXuLy": "2024-01-02 08:00"},
            {"MaHoSo": "late-evening", "TrangThaiHoSo": "9", "NgayKetThucXuLy": "2023-12-31 23:30"},
            {"MaHoSo": "not accepted", "TrangThaiHoSo": "1", "NgayTiepNhan": None, "NgayNopHoSo": "2023-05-01"},
            {
                "MaHoSo": "expires",
                "TrangThaiHoSo": "10",
                "NgayKetThucXuLy": "2023-03-01 08:00",
                "NgayHetHieuLucKetQua": "2024-02-01",
            },
            {"MaHoSo": "withdrawn", "TrangThaiHoSo": "7", "NgayKetThucXuLy": "2023-03-01 08:00"},
        ),
        PROCEDURES,
        UNITS,
        dt.date(2025, 6, 1),
    )
    years = {r["code"]: (r["_year_from"], r["_year_to"]) for r in checked.rows.iter_rows(named=True)}
    # A finished dossier's result is in the stock of target 2.3 (still-valid results) until it expires.
    assert years == {
        "open": (2023, 2025),
        "done": (2023, 2025),
        "late-evening": (2023, 2025),
        "expires": (2023, 2024),
        "withdrawn": (2023, 2023),
        "not accepted": (2023, 2025),
    }


def test_the_last_row_of_a_code_wins_and_a_bad_later_row_does_not_remove_the_good_one():
    checked = validate_dossiers(
        frame_of(
            {"MaHoSo": "A", "KenhThucHien": "1"},
            {"MaHoSo": "A", "KenhThucHien": "2"},
            {"MaHoSo": "B", "KenhThucHien": "1"},
            {"MaHoSo": "B", "KenhThucHien": "9"},
        ),
        PROCEDURES,
        UNITS,
        dt.date(2024, 1, 1),
    )
    assert checked.rows.select("code", "channel").rows() == [("A", 2), ("B", 1)]
    assert (checked.superseded, checked.rejected) == (1, 1)


def test_finished_before_accepted_compares_dates_when_a_value_has_no_time():
    checked = validate_dossiers(
        frame_of(
            # the same day: the date alone must not count as midnight before the acceptance time
            {"MaHoSo": "A", "TrangThaiHoSo": "9", "NgayKetThucXuLy": "01/03/2023"},
            {"MaHoSo": "B", "TrangThaiHoSo": "9", "NgayKetThucXuLy": "2023-03-01 07:59"},
            {"MaHoSo": "C", "TrangThaiHoSo": "9", "NgayKetThucXuLy": "28/02/2023"},
        ),
        PROCEDURES,
        UNITS,
        dt.date(2024, 1, 1),
    )
    assert checked.rows["code"].to_list() == ["A"]
    assert [(e.line, e.reason) for e in checked.errors] == [
        (3, "finished before accepted"),
        (4, "finished before accepted"),
    ]


def test_error_report_is_utf8_with_bom():
    out = io.BytesIO()
    count = write_error_report([RowError(3, "DonViXuLy", "Phường Đức Long", "unknown unit code")], out)
    assert count == 1
    assert out.getvalue().startswith(b"\xef\xbb\xbf")
    assert out.getvalue().decode("utf-8-sig").splitlines() == [
        "line,field,value,reason",
        "3,DonViXuLy,Phường Đức Long,unknown unit code",
    ]
