"""Read and check catalogue and dossier files (tthc-dossiers.md §1–2): no Django here.

A file (CSV, XLSX or JSON) is read in batches of about 50,000 rows; each batch is a polars frame of strings
with the line of each row. `validate_dossiers` and `validate_procedures` turn a batch into typed rows named
as the model fields plus the errors of the rows they reject, with vectorised polars expressions: Python only
touches the rows that are rejected. `importing.py` writes the result to the database.

Conventions:
- line: data row 1 is line 2 (the header is line 1) in CSV and XLSX; the record's index (from 1) in JSON.
- dates: ISO 8601 (`2023-01-05`, `2023-01-05T08:30[:00[.fff]]`, with `Z` or `+07:00` or not), `dd/mm/yyyy`
  with an optional ` HH:MM[:SS]`, or the national sync record's `yyyymmdd[HHMMSS]`. Without an offset a date
  is local Vietnam time (UTC+7, no DST). Datetimes come out naive in UTC; a date alone means local midnight.
- flags: `0`, `1` or empty (= 0).

Messages (row-error reasons, file errors, warnings) are translated with Django's gettext when they are made,
so in the language active then: the rules of `validate_*` are built at each call, and a reason that quotes a
row's value is assembled from a translated template (`_reason`). Nothing here needs a request.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, NamedTuple

import numpy as np
import polars as pl
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

BATCH_ROWS = 50_000
LOCAL_OFFSET_MINUTES = 7 * 60  # Vietnam: UTC+7 all year
LOCAL_OFFSET = dt.timedelta(minutes=LOCAL_OFFSET_MINUTES)
MIN_YEAR, MAX_YEAR = 1900, 2100  # a year outside this is a typing error, not a dossier

# Dossier columns, as the national sync record (DVCQG) names them.
DOSSIER_COLUMNS = (
    "MaHoSo",
    "MaTTHC",
    "DonViXuLy",
    "KenhThucHien",
    "NgayNopHoSo",
    "NgayTiepNhan",
    "NgayHenTra",
    "NgayKetThucXuLy",
    "NgayTra",
    "TrangThaiHoSo",
    "DuocThanhToanTrucTuyen",
    "CoNghiaVuTaiChinh",
    "NgayYeuCauBoSung",
    "NgayHoanThanhBoSung",
    "SoLanYeuCauBoSung",
    "LuanChuyenDienTu",
    "CoKetQuaDienTu",
    "HoSoCoThanhPhanSoHoa",
    "DongBoDVCQG",
    "DanhGiaHaiLong",
    "CoPAKN",
    # Optional flat forms of what the sync record carries in TaiLieuNop[] (empty = not known).
    "DuocTaiSuDung",
    "DuocLayTuKhoDMQG",
    # Optional: the stock of still-valid results (target 2.3). When a paper result was digitised; when the
    # result stops being valid (empty = valid without a limit).
    "NgaySoHoaKetQua",
    "NgayHetHieuLucKetQua",
)
# A file without one of these columns is not a dossier file; any other absent column is read as empty.
DOSSIER_REQUIRED_COLUMNS = ("MaHoSo", "MaTTHC", "DonViXuLy", "TrangThaiHoSo", "NgayTiepNhan")
# Optional columns: a file without them imports; the warning says what is then not computed (`absent_notes`).
DOSSIER_OPTIONAL_COLUMNS = ("DuocTaiSuDung", "DuocLayTuKhoDMQG", "NgaySoHoaKetQua", "NgayHetHieuLucKetQua")
DOSSIER_DATE_COLUMNS = (
    "NgayNopHoSo",
    "NgayTiepNhan",
    "NgayHenTra",
    "NgayKetThucXuLy",
    "NgayTra",
    "NgayYeuCauBoSung",
    "NgayHoanThanhBoSung",
    "NgaySoHoaKetQua",
    "NgayHetHieuLucKetQua",
)
# column → model field
DOSSIER_FLAGS = {
    "CoNghiaVuTaiChinh": "has_financial_obligation",
    "LuanChuyenDienTu": "routed_electronically",
    "CoKetQuaDienTu": "electronic_result",
    "HoSoCoThanhPhanSoHoa": "digitised_components",
    "DongBoDVCQG": "synced_dvcqg",
    "CoPAKN": "has_complaint",
}
DOSSIER_NULLABLE_FLAGS = {"DuocTaiSuDung": "reused_data", "DuocLayTuKhoDMQG": "from_citizen_store"}
DOSSIER_DATES = {
    "NgayNopHoSo": "submitted_at",
    "NgayTiepNhan": "accepted_at",
    "NgayHenTra": "due_at",
    "NgayKetThucXuLy": "finished_at",
    "NgayTra": "returned_at",
    "NgayYeuCauBoSung": "supplement_requested_at",
    "NgayHoanThanhBoSung": "supplement_supplied_at",
    "NgaySoHoaKetQua": "result_digitised_at",
    "NgayHetHieuLucKetQua": "result_expires_at",
}
RATINGS = {"rat_hai_long": 1, "hai_long": 2, "khong_hai_long": 3, "1": 1, "2": 2, "3": 3}
STATUSES_NOT_ACCEPTED = (1, 3)  # the only statuses that may lack NgayTiepNhan
STATUSES_FINISHED = (9, 10)  # these must carry NgayKetThucXuLy
STATUSES_ENDED = (7, 8, 9, 10)  # NgayKetThucXuLy dates the end event of these (§4)
MAX_CODE_LENGTH = 60  # Dossier.code
MAX_SMALLINT = 32767

# The model fields of a dossier, in the order `validate_dossiers` returns them.
DOSSIER_FIELDS = (
    "code",
    "procedure_id",
    "unit_id",
    "channel",
    "submitted_at",
    "accepted_at",
    "due_at",
    "finished_at",
    "returned_at",
    "status",
    "paid_online",
    "has_financial_obligation",
    "supplement_requested_at",
    "supplement_supplied_at",
    "supplement_count",
    "routed_electronically",
    "electronic_result",
    "digitised_components",
    "synced_dvcqg",
    "rating",
    "has_complaint",
    "reused_data",
    "from_citizen_store",
    "result_digitised_at",
    "result_expires_at",
)
# Besides the fields: the first and last year (local) the dossier counts in, for the indicator refresh.
YEAR_FROM, YEAR_TO = "_year_from", "_year_to"

CATALOGUE_COLUMNS = (
    "MaTTHC",
    "TenTTHC",
    "MaLinhVuc",
    "TenLinhVuc",
    "CapThucHien",
    "MucDoDVCTT",
    "DuDieuKienToanTrinh",
    "TichHopDVCQG",
    "CoPhiLePhi",
    "ThanhToanTrucTuyen",
    "YeuCauKetQuaGiay",
    "ThoiHanGiaiQuyet",
    "DonViTinh",
    "NoiBo",
    # Optional: eligible for online service (target 2.4a; empty = eligible) and the owning agency ("cơ quan
    # thực hiện": a department's code or name), which makes each department's catalogue figures its own.
    "DuDieuKienDVCTT",
    "CoQuanThucHien",
)
CATALOGUE_REQUIRED_COLUMNS = ("MaTTHC", "TenTTHC")
CATALOGUE_OPTIONAL_COLUMNS = ("DuDieuKienDVCTT", "CoQuanThucHien")
CATALOGUE_FLAGS = {
    "DuDieuKienToanTrinh": "eligible_full_online",
    "TichHopDVCQG": "integrated_dvcqg",
    "CoPhiLePhi": "has_fee",
    "ThanhToanTrucTuyen": "online_payment",
    "YeuCauKetQuaGiay": "paper_result",
    "NoiBo": "internal",
}
LEVEL_TOKENS = {"tinh": "at_province", "huyen": "at_district", "xa": "at_commune"}
# Decree 42/2022 replaced the old levels 1–4: old 4 ≈ full, old 3 ≈ partial, 1 and 2 are not online.
ONLINE_LEVELS = {
    "toan_trinh": "toan_trinh",
    "mot_phan": "mot_phan",
    "4": "toan_trinh",
    "3": "mot_phan",
    "2": "",
    "1": "",
}
TIME_UNITS = ("gio", "ngay", "ngay_lam_viec", "thang")
PROCEDURE_FIELDS = (
    "code",
    "name",
    "sector_code",
    "sector_name",
    "at_province",
    "at_district",
    "at_commune",
    "online_level",
    "eligible_full_online",
    "integrated_dvcqg",
    "has_fee",
    "online_payment",
    "paper_result",
    "time_limit",
    "time_unit",
    "internal",
    "eligible_online",
    "owner_id",
)
# Fields a catalogue file leaves as stored when it lacks their (optional) column.
PROCEDURE_OPTIONAL_FIELDS = {"DuDieuKienDVCTT": "eligible_online", "CoQuanThucHien": "owner_id"}
MAX_LENGTHS = {"MaTTHC": 40, "MaLinhVuc": 40, "TenLinhVuc": 200}

LINE = "_line"
DATE_FORMATS = "yyyy-mm-dd[THH:MM[:SS]][±HH:MM]", "dd/mm/yyyy[ HH:MM[:SS]]"


def _kind_name(kind: str) -> str:
    """The translated name of a kind of file, as in "not a dossier file"."""
    names = {"dossier": pgettext("file kind", "dossier"), "catalogue": pgettext("file kind", "catalogue")}
    return names.get(kind, kind)


def _reason(template: str, **values: pl.Expr) -> pl.Expr:
    """A per-row reason from a translated `%(name)s` template, each placeholder filled by an expression."""
    parts = re.split(r"%\((\w+)\)s", template)
    pieces = [
        values[part].cast(pl.String) if i % 2 else pl.lit(part.replace("%%", "%"))
        for i, part in enumerate(parts)
        if i % 2 or part
    ]
    return pl.concat_str(pieces)


class ImportFileError(Exception):
    """The file as a whole cannot be imported (not CSV/XLSX/JSON, bad encoding, missing columns…)."""


class RowError(NamedTuple):
    line: int
    field: str
    value: str
    reason: str


@dataclass(frozen=True)
class FileSpec:
    """What a kind of file holds: its columns, those it cannot do without, and how JSON records flatten."""

    kind: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    flatten: Callable[[dict], tuple[dict[str, str | None], list[tuple[str, str, str]]]] | None = None
    # optional column → what is not computed without it (translated when called)
    absent_notes: Callable[[], dict[str, str]] | None = None

    def canonical(self, name: Any) -> str | None:
        if not isinstance(name, str):
            return None
        return _lower_map(self.columns).get(name.strip().lstrip("\ufeff").strip().lower())


def _lower_map(columns: tuple[str, ...], _cache: dict = {}) -> dict[str, str]:  # noqa: B006 (a cache)
    if columns not in _cache:
        _cache[columns] = {c.lower(): c for c in columns}
    return _cache[columns]


@dataclass
class RawBatch:
    """Rows as read: one string column per spec column (null = empty), plus `_line`."""

    frame: pl.DataFrame
    errors: list[RowError] = field(default_factory=list)  # rows rejected while reading (not in frame)
    rows_read: int = 0  # rows in frame + rows rejected while reading
    bytes_done: int = 0


class Source:
    """An opened import file: its format and header are checked on opening, then `batches()` streams it."""

    def __init__(self, path: str | os.PathLike, spec: FileSpec, batch_rows: int = BATCH_ROWS):
        self.path = Path(path)
        self.spec = spec
        self.batch_rows = batch_rows
        self.warnings: list[str] = []
        self.present: set[str] | None = None  # the columns of the header (None: JSON, whose records vary)
        try:
            self.total_bytes = self.path.stat().st_size
        except OSError as exc:
            raise ImportFileError(
                _("cannot read %(path)s: %(problem)s") % {"path": self.path, "problem": exc.strerror or exc}
            ) from None
        if self.total_bytes == 0:
            raise ImportFileError(_("the file is empty"))
        self.format = detect_format(self.path)
        self._open = {"csv": self._open_csv, "xlsx": self._open_xlsx, "json": self._open_json}[self.format]
        self._open()

    # -- header ------------------------------------------------------------------------------------------
    def _map_header(self, names: list[Any]) -> list[str | None]:
        """Canonical name of each file column (None = ignored); a file-level error when required ones lack."""
        mapped: list[str | None] = []
        seen: set[str] = set()
        unknown = []
        for name in names:
            canon = self.spec.canonical(name)
            if canon is None:
                if name not in (None, ""):
                    unknown.append(str(name))
            elif canon in seen:
                raise ImportFileError(_("column %(column)s appears twice in the header") % {"column": canon})
            else:
                seen.add(canon)
            mapped.append(canon)
        missing = [c for c in self.spec.required if c not in seen]
        if missing:
            found = ", ".join(str(n) for n in names[:30] if n not in (None, "")) or pgettext("empty header", "nothing")
            raise ImportFileError(
                _("not a %(kind)s file: missing required column(s) %(columns)s (header: %(header)s)")
                % {"kind": _kind_name(self.spec.kind), "columns": ", ".join(missing), "header": found}
            )
        self.present = seen
        absent = [c for c in self.spec.columns if c not in seen and c not in self.spec.optional]
        if absent:
            self.warnings.append(_("column(s) absent, read as empty: %(columns)s") % {"columns": ", ".join(absent)})
        notes = self.spec.absent_notes() if self.spec.absent_notes else {}
        for column in self.spec.optional:
            if column not in seen and column in notes:
                self.warnings.append(
                    _("optional column %(column)s absent: %(consequence)s")
                    % {"column": column, "consequence": notes[column]}
                )
        if unknown:
            self.warnings.append(_("unknown column(s) ignored: %(columns)s") % {"columns": ", ".join(unknown[:20])})
        return mapped

    def _frame(self, columns: dict[str, list], lines: Iterable[int]) -> pl.DataFrame:
        data = {c: pl.Series(c, columns.get(c) or [None] * len(lines), dtype=pl.String) for c in self.spec.columns}
        frame = pl.DataFrame(data)
        return frame.with_columns(pl.Series(LINE, lines, dtype=pl.Int64))

    # -- CSV (pyarrow's streaming reader, every column a string) ----------------------------------------
    def _open_csv(self) -> None:
        with open(self.path, "rb") as f:
            head = f.read(1 << 16)
        if b"\x00" in head:
            raise ImportFileError(
                _("not a CSV file: it holds binary data (or is UTF-16, which is not read: save as UTF-8)")
            )
        self._bom = head.startswith(b"\xef\xbb\xbf")
        body = head[3:] if self._bom else head
        end = body.find(b"\n")
        first = body if end < 0 else body[:end]
        try:
            header_line = first.decode("utf-8").rstrip("\r")
        except UnicodeDecodeError:
            raise ImportFileError(_("not UTF-8: save the CSV as UTF-8 (with or without BOM)")) from None
        counts = {d: header_line.count(d) for d in (",", ";", "\t")}
        self._delimiter = max(counts, key=counts.get) if max(counts.values()) else ","
        names = next(csv.reader([header_line], delimiter=self._delimiter), [])
        self._columns = self._map_header(names)

    def _csv_batches(self) -> Iterator[RawBatch]:
        import pyarrow as pa
        import pyarrow.csv as pacsv

        n_cols = len(self._columns)
        placeholders = [f"c{i}" for i in range(n_cols)]
        wanted = {p: c for p, c in zip(placeholders, self._columns, strict=True) if c}
        invalid: list[tuple[int, str, str]] = []
        # Translated here, in the reading thread's language, not in pyarrow's callback.
        wrong_count = _("expected %(expected)s fields, found %(found)s")

        def on_invalid(row) -> str:
            # A blank line is skipped quietly (reason None) but keeps its number.
            blank = not row.text.strip(" \t\r\n" + self._delimiter)
            reason = None if blank else wrong_count % {"expected": row.expected_columns, "found": row.actual_columns}
            invalid.append((row.number or 0, row.text[:200], reason))
            return "skip"

        f = open(self.path, "rb")  # noqa: SIM115 (closed in finally; pyarrow reads it as it goes)
        try:
            reader = pacsv.open_csv(
                f,
                # Single-threaded, so that a malformed row still knows its number.
                read_options=pacsv.ReadOptions(
                    column_names=placeholders, skip_rows=1, block_size=1 << 20, use_threads=False
                ),
                parse_options=pacsv.ParseOptions(
                    delimiter=self._delimiter,
                    newlines_in_values=True,
                    ignore_empty_lines=False,
                    invalid_row_handler=on_invalid,
                ),
                convert_options=pacsv.ConvertOptions(
                    column_types={p: pa.string() for p in wanted},
                    include_columns=list(wanted),
                    null_values=[""],
                    strings_can_be_null=True,
                    quoted_strings_can_be_null=True,
                ),
            )
            next_line = 2

            def emit(table) -> RawBatch:
                nonlocal next_line
                n = table.num_rows if table is not None else 0
                start, end = next_line, next_line + n
                skipped = []
                invalid.sort(key=lambda r: r[0])
                while invalid and invalid[0][0] < end:
                    skipped.append(invalid.pop(0))
                    end += 1
                lines = np.arange(start, end, dtype=np.int64)
                if skipped:
                    lines = np.setdiff1d(lines, np.array([s[0] for s in skipped], dtype=np.int64))[:n]
                next_line = end
                if n:
                    frame = pl.from_arrow(table).rename(wanted)
                    frame = frame.with_columns(
                        pl.lit(None, dtype=pl.String).alias(c) for c in self.spec.columns if c not in frame.columns
                    )
                else:
                    frame = pl.DataFrame(schema=dict.fromkeys(self.spec.columns, pl.String))
                frame = frame.select(self.spec.columns).with_columns(pl.Series(LINE, lines, dtype=pl.Int64))
                errors = [RowError(int(s[0]), "", s[1], s[2]) for s in skipped if s[2]]
                return RawBatch(frame, errors, n + len(errors), f.tell())

            buffered: list[pa.RecordBatch] = []
            count = 0
            while True:
                try:
                    record_batch = reader.read_next_batch()
                except StopIteration:
                    break
                buffered.append(record_batch)
                count += record_batch.num_rows
                while count >= self.batch_rows:
                    table = pa.Table.from_batches(buffered)
                    rest = table.slice(self.batch_rows)
                    yield emit(table.slice(0, self.batch_rows))
                    buffered, count = rest.to_batches(), rest.num_rows
            if count or invalid:
                yield emit(pa.Table.from_batches(buffered) if count else None)
        except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
            message = str(exc)
            if "UTF8" in message or "UTF-8" in message or isinstance(exc, UnicodeDecodeError):
                raise ImportFileError(_("not UTF-8: save the CSV as UTF-8 (with or without BOM)")) from None
            raise ImportFileError(_("unreadable CSV: %(problem)s") % {"problem": message}) from None
        finally:
            f.close()

    # -- XLSX (openpyxl read-only; the first sheet) ------------------------------------------------------
    def _open_xlsx(self) -> None:
        import openpyxl

        try:
            self._book = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise ImportFileError(_("not a readable XLSX file: %(problem)s") % {"problem": exc}) from None
        sheet = self._book.worksheets[0]
        self._sheet = sheet
        self._rows = sheet.iter_rows(values_only=True)
        self._header_line = 0
        for number, row in enumerate(self._rows, start=1):
            if any(v not in (None, "") for v in row):
                self._header_line = number
                self._columns = self._map_header([_cell_text(v) for v in row])
                break
        else:
            raise ImportFileError(
                _("not a %(kind)s file: the first sheet is empty") % {"kind": _kind_name(self.spec.kind)}
            )
        try:
            self._max_row = int(sheet.max_row or 0)
        except (TypeError, ValueError):
            self._max_row = 0

    def _xlsx_batches(self) -> Iterator[RawBatch]:
        targets = [(i, c) for i, c in enumerate(self._columns) if c]
        columns: dict[str, list] = {c: [] for _, c in targets}
        lines: list[int] = []
        line = self._header_line

        def flush() -> RawBatch:
            done = self._total_rows_estimate(line)
            batch = RawBatch(self._frame(columns, lines), [], len(lines), done)
            for values in columns.values():
                values.clear()
            lines.clear()
            return batch

        try:
            for row in self._rows:
                line += 1
                values = [_cell_text(row[i]) if i < len(row) else None for i, _ in targets]
                if all(v is None for v in values):
                    continue
                for (_, c), v in zip(targets, values, strict=True):
                    columns[c].append(v)
                lines.append(line)
                if len(lines) >= self.batch_rows:
                    yield flush()
            if lines:
                yield flush()
        except Exception as exc:
            raise ImportFileError(_("unreadable XLSX file: %(problem)s") % {"problem": exc}) from None
        finally:
            self._book.close()

    def _total_rows_estimate(self, line: int) -> int:
        if not self._max_row:
            return 0
        return min(self.total_bytes, int(self.total_bytes * line / self._max_row))

    # -- JSON (ijson): an array, an object with the records in a list, or JSON Lines --------------------
    def _open_json(self) -> None:
        import ijson

        known = {c.lower() for c in self.spec.columns}
        self._json_prefix = None
        with open(self.path, "rb") as f:
            self._skip_bom(f)
            try:
                for prefix, event, value in ijson.parse(f, multiple_values=True):
                    if event == "map_key" and isinstance(value, str) and value.strip().lower() in known:
                        self._json_prefix = prefix
                        break
                    if event in ("string", "number", "boolean", "null") and prefix == "":
                        raise ImportFileError(_("not a JSON file of records: it holds a bare value"))
            except ImportFileError:
                raise
            except (ijson.JSONError, UnicodeDecodeError, ValueError) as exc:
                raise ImportFileError(_("not readable JSON: %(problem)s") % {"problem": exc}) from None
        if self._json_prefix is None:
            raise ImportFileError(
                _("not a %(kind)s file: no JSON object with %(columns)s found")
                % {"kind": _kind_name(self.spec.kind), "columns": ", ".join(self.spec.required)}
            )

    @staticmethod
    def _skip_bom(f: IO[bytes]) -> None:
        if f.read(3) != b"\xef\xbb\xbf":
            f.seek(0)

    def _json_batches(self) -> Iterator[RawBatch]:
        import ijson

        columns: dict[str, list] = {c: [] for c in self.spec.columns}
        lines: list[int] = []
        errors: list[RowError] = []
        read = 0
        not_an_object = _("not a JSON object")
        f = open(self.path, "rb")  # noqa: SIM115

        def flush() -> RawBatch:
            nonlocal errors, read
            batch = RawBatch(self._frame(columns, lines), errors, read, f.tell())
            for values in columns.values():
                values.clear()
            lines.clear()
            errors, read = [], 0
            return batch

        try:
            self._skip_bom(f)
            records = ijson.items(f, self._json_prefix, use_float=True, multiple_values=True)
            for index, record in enumerate(records, start=1):
                read += 1
                if not isinstance(record, dict):
                    errors.append(RowError(index, "", _short(record), not_an_object))
                    continue
                values, problems = self._flatten(record)
                if problems:
                    errors.extend(RowError(index, fld, val, why) for fld, val, why in problems)
                    continue
                for c in self.spec.columns:
                    columns[c].append(values.get(c))
                lines.append(index)
                if len(lines) >= self.batch_rows:
                    yield flush()
            if read:
                yield flush()
        except (ijson.JSONError, UnicodeDecodeError, ValueError) as exc:
            raise ImportFileError(_("not readable JSON: %(problem)s") % {"problem": exc}) from None
        finally:
            f.close()

    def _flatten(self, record: dict) -> tuple[dict[str, str | None], list[tuple[str, str, str]]]:
        values: dict[str, str | None] = {}
        problems: list[tuple[str, str, str]] = []
        for key, value in record.items():
            canon = self.spec.canonical(key)
            if canon is None:
                continue
            if self.spec.flatten is None and isinstance(value, list) and all(isinstance(v, str) for v in value):
                values[canon] = ",".join(value)  # e.g. CapThucHien: ["tinh", "huyen"]
                continue
            try:
                values[canon] = _scalar_text(value)
            except ValueError:
                problems.append((canon, _short(value), _("expected a single value")))
        if self.spec.flatten is not None:
            nested, more = self.spec.flatten(record)
            problems.extend(more)
            for key, value in nested.items():
                if values.get(key) is None:  # the flat field overrides the nested list when present
                    values[key] = value
        return values, problems

    def batches(self) -> Iterator[RawBatch]:
        """Batches of rows, rows that are entirely empty skipped."""
        generator = {"csv": self._csv_batches, "xlsx": self._xlsx_batches, "json": self._json_batches}[self.format]
        for batch in generator():
            if batch.frame.height:
                empty = pl.all_horizontal(pl.col(c).is_null() for c in self.spec.columns)
                blank = batch.frame.select(empty.sum()).item()
                if blank:
                    batch.frame = batch.frame.filter(~empty)
                    batch.rows_read -= blank
            yield batch


def detect_format(path: Path) -> str:
    """csv, xlsx or json, from the extension or else from the first bytes."""
    suffix = path.suffix.lower()
    with open(path, "rb") as f:
        head = f.read(512)
    if suffix in (".xlsx", ".xlsm") or head.startswith(b"PK\x03\x04"):
        if not zipfile.is_zipfile(path):
            raise ImportFileError(_("not a readable XLSX file (not a ZIP archive)"))
        return "xlsx"
    if suffix in (".json", ".jsonl", ".ndjson"):
        return "json"
    if suffix in (".csv", ".txt", ".tsv"):
        return "csv"
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if text[:1] in (b"[", b"{"):
        return "json"
    if suffix in ("", ".dat") and b"\x00" not in head:
        return "csv"
    raise ImportFileError(
        _("not a CSV, XLSX or JSON file (%(extension)s)") % {"extension": path.suffix or _("no extension")}
    )


def _cell_text(value: Any) -> str | None:
    """A cell as text: Excel dates are local times, whole numbers lose their `.0`."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):  # Excel keeps a date as a datetime at midnight: a date, then
            return value.date().isoformat()
        return value.isoformat(sep="T", timespec="seconds" if not value.microsecond else "microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _scalar_text(value: Any) -> str | None:
    if isinstance(value, (dict, list)):
        raise ValueError("not a scalar")
    return _cell_text(value)


def _short(value: Any, limit: int = 200) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- the national sync record's nested lists --------------------------------------------------------------


def _get(record: dict, name: str) -> Any:
    if name in record:
        return record[name]
    lowered = name.lower()
    for key, value in record.items():
        if isinstance(key, str) and key.strip().lower() == lowered:
            return value
    return None


def _flag_of(value: Any) -> bool | None:
    """True/False for the ways a JSON record writes a flag; None when it is not one."""
    if value is None or value == "":
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in ("0", "1", "true", "false"):
        return value.strip().lower() in ("1", "true")
    return None


_DIGIT_RE = re.compile(r"[1-9]")
_NUMBER_RE = re.compile(r"^\s*\+?[\d.,\s]+\s*$")


def _price_positive(value: Any) -> bool | None:
    if value is None or value == "":
        return False
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value > 0
    if isinstance(value, str) and _NUMBER_RE.match(value):  # 50000, 50.000, 50,000.5
        return bool(_DIGIT_RE.search(value))
    return None


_PY_DATE_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})/(\d{1,2})/(\d{4})|(\d{4})(\d{2})(\d{2})")


def _date_key(value: Any) -> tuple:
    """An approximate sort key for a date string (to find the first supplement request)."""
    match = _PY_DATE_RE.match(value.strip()) if isinstance(value, str) else None
    if not match:
        return (1, "")
    g = match.groups()
    y, m, d = (g[0], g[1], g[2]) if g[0] else ((g[5], g[4], g[3]) if g[3] else (g[6], g[7], g[8]))
    rest = value.strip()[match.end() :]
    return (0, f"{int(y):04d}{int(m):02d}{int(d):02d}{rest}")


def flatten_dossier_lists(record: dict) -> tuple[dict[str, str | None], list[tuple[str, str, str]]]:
    """Flat values derived from the sync record's nested lists (tthc-dossiers.md §2), and their problems."""
    out: dict[str, str | None] = {}
    problems: list[tuple[str, str, str]] = []

    fees = _get(record, "DanhSachLePhi")
    if isinstance(fees, list):
        positive = False
        for item in fees:
            price = _price_positive(item.get("Gia") if isinstance(item, dict) else None)
            if price is None:
                problems.append(("DanhSachLePhi[].Gia", _short(item.get("Gia")), _("not a price")))
            positive = positive or bool(price)
        out["CoNghiaVuTaiChinh"] = "1" if positive else "0"

    supplements = _get(record, "DanhSachHoSoBoSung")
    if isinstance(supplements, list):
        items = [s for s in supplements if isinstance(s, dict)]
        out["SoLanYeuCauBoSung"] = str(len(supplements))
        if items:
            first = min(items, key=lambda s: _date_key(_get(s, "NgayBoSung")))
            out["NgayYeuCauBoSung"] = _scalar_text(_get(first, "NgayBoSung"))
            out["NgayHoanThanhBoSung"] = _scalar_text(_get(first, "NgayTiepNhanBoSung"))

    documents = _get(record, "TaiLieuNop")
    if isinstance(documents, list) and documents:
        for column, key in (
            ("HoSoCoThanhPhanSoHoa", "DuocSoHoa"),
            ("DuocTaiSuDung", "DuocTaiSuDung"),
            ("DuocLayTuKhoDMQG", "DuocLayTuKhoDMQG"),
        ):
            any_true = False
            for item in documents:
                value = _get(item, key) if isinstance(item, dict) else None
                flag = _flag_of(value)
                if flag is None:
                    problems.append((f"TaiLieuNop[].{key}", _short(value), _("not 0/1")))
                any_true = any_true or bool(flag)
            out[column] = "1" if any_true else "0"

    results = _get(record, "DanhSachGiayToKetQua")
    if isinstance(results, list):
        electronic = any(
            isinstance(item, dict) and str(_get(item, "DuongDanTepTinKetQua") or "").strip() for item in results
        )
        out["CoKetQuaDienTu"] = "1" if electronic else "0"
    return out, problems


def _dossier_absent_notes() -> dict[str, str]:
    reuse = _(
        "target 2.7 and the 766 sub-indicator REUSED_DIGITIZED_DATA (papers not submitted again) are not computed "
        "for these dossiers"
    )
    store = _("the 766 sub-indicator SYNCED_WITH_DVCQG_PERSONAL_STORAGE is not computed for these dossiers")
    stock = _("target 2.3 (still-valid results digitised) counts only the results issued electronically as digitised")
    expiry = _("target 2.3 counts every result of these dossiers as still valid (no expiry date)")
    return {
        "DuocTaiSuDung": reuse,
        "DuocLayTuKhoDMQG": store,
        "NgaySoHoaKetQua": stock,
        "NgayHetHieuLucKetQua": expiry,
    }


def _catalogue_absent_notes() -> dict[str, str]:
    return {
        "DuDieuKienDVCTT": _(
            "stored eligibility kept; new procedures count as eligible for online service (target 2.4a)"
        ),
        "CoQuanThucHien": _(
            "stored owning agencies kept; a provincial procedure without one counts in every department's "
            "catalogue figures (2.2a, 2.4a, 2.4b and the 766 procedure metrics)"
        ),
    }


DOSSIER_SPEC = FileSpec(
    "dossier",
    DOSSIER_COLUMNS,
    DOSSIER_REQUIRED_COLUMNS,
    DOSSIER_OPTIONAL_COLUMNS,
    flatten_dossier_lists,
    _dossier_absent_notes,
)
CATALOGUE_SPEC = FileSpec(
    "catalogue",
    CATALOGUE_COLUMNS,
    CATALOGUE_REQUIRED_COLUMNS,
    CATALOGUE_OPTIONAL_COLUMNS,
    absent_notes=_catalogue_absent_notes,
)


# -- dates -------------------------------------------------------------------------------------------------

# Tried first, in order, on the values not parsed yet: cheap, and between them they cover the usual exports.
_FAST_FORMATS = (
    ("%Y-%m-%d %H:%M:%S", True),
    ("%Y-%m-%dT%H:%M:%S", True),
    ("%d/%m/%Y %H:%M:%S", True),
    ("%d/%m/%Y %H:%M", True),
    ("%d/%m/%Y", False),
    ("%Y-%m-%d", False),
)
_DATE_PATTERN = (
    r"^(?:(?P<Y>\d{4})-(?P<Mo>\d{1,2})-(?P<D>\d{1,2})"
    r"|(?P<d>\d{1,2})/(?P<mo>\d{1,2})/(?P<y>\d{4})"
    r"|(?P<cY>\d{4})(?P<cMo>\d{2})(?P<cD>\d{2}))"
    r"(?:(?:[T ]\s*)?(?P<H>\d{1,2}):?(?P<Mi>\d{2})(?::?(?P<S>\d{2})(?:[.,](?P<F>\d{1,9}))?)?)?"
    r"\s*(?P<Z>Z|z|[+-]\d{2}(?::?\d{2})?)?$"
)


class ParsedDates(NamedTuple):
    utc: pl.Series  # Datetime(us), naive UTC; null when empty or bad
    has_time: pl.Series  # Boolean: the value had a time of day
    bad: pl.Series  # Boolean: not empty but not a date
    out_of_range: pl.Series  # Boolean: a date, but its year is outside MIN_YEAR..MAX_YEAR


def parse_datetimes(values: pl.Series) -> ParsedDates:
    """Parse a column of date strings (stripped, null = empty), vectorised."""
    n = values.len()
    offset = pl.select(pl.repeat(LOCAL_OFFSET_MINUTES, n, dtype=pl.Int32)).to_series()
    formats = list(_FAST_FORMATS)
    sample = values.drop_nulls().head(1)
    if sample.len():  # the file's own format first: most columns then parse in one pass
        formats.sort(key=lambda f: sample.str.strptime(pl.Datetime("us"), f[0], strict=False).null_count())
    first, with_time = formats[0]
    local = values.str.strptime(pl.Datetime("us"), first, strict=False)
    has_time = pl.select(pl.repeat(with_time, n, dtype=pl.Boolean)).to_series()
    remaining = (values.is_not_null() & local.is_null()).arg_true()
    subset = values.gather(remaining) if remaining.len() else values.clear()
    for fmt, with_time in formats[1:]:
        if not remaining.len():
            break
        parsed = subset.str.strptime(pl.Datetime("us"), fmt, strict=False)
        ok = parsed.is_not_null()
        if ok.any():
            local = local.scatter(remaining.filter(ok), parsed.filter(ok))
            has_time = has_time.scatter(remaining.filter(ok), with_time)
            remaining = remaining.filter(~ok)
            subset = subset.filter(~ok)
    if remaining.len():
        g = subset.str.extract_groups(_DATE_PATTERN).struct.unnest()
        digits = pl.col("Z").str.replace_all(r"[^0-9]", "")
        parts = g.select(
            pl.concat_str(
                pl.coalesce("Y", "y", "cY"),
                pl.lit("-"),
                pl.coalesce("Mo", "mo", "cMo").str.zfill(2),
                pl.lit("-"),
                pl.coalesce("D", "d", "cD").str.zfill(2),
                pl.lit(" "),
                pl.col("H").fill_null("0").str.zfill(2),
                pl.lit(":"),
                pl.col("Mi").fill_null("00"),
                pl.lit(":"),
                pl.col("S").fill_null("00"),
            )
            .str.strptime(pl.Datetime("us"), "%Y-%m-%d %H:%M:%S", strict=False)
            .alias("local"),
            pl.col("F").str.pad_end(6, "0").str.slice(0, 6).cast(pl.Int64, strict=False).fill_null(0).alias("us"),
            pl.when(pl.col("Z").is_null())
            .then(LOCAL_OFFSET_MINUTES)
            .otherwise(
                pl.when(pl.col("Z").str.starts_with("-")).then(-1).otherwise(1)
                * (
                    digits.str.slice(0, 2).cast(pl.Int32, strict=False).fill_null(0) * 60
                    + digits.str.slice(2, 2).cast(pl.Int32, strict=False).fill_null(0)
                )
            )
            .cast(pl.Int32)
            .alias("offset"),
            pl.col("H").is_not_null().alias("has_time"),
        )
        parsed = parts["local"] + parts["us"].cast(pl.Duration("us"))
        minutes = parts["offset"]
        ok = parsed.is_not_null()
        if ok.any():
            idx = remaining.filter(ok)
            local = local.scatter(idx, parsed.filter(ok))
            offset = offset.scatter(idx, minutes.filter(ok))
            has_time = has_time.scatter(idx, parts["has_time"].filter(ok))
    frame = pl.DataFrame({"v": values, "local": local, "offset": offset})
    out = frame.select(
        utc=pl.col("local") - pl.duration(minutes=pl.col("offset")),
        bad=pl.col("v").is_not_null() & pl.col("local").is_null(),
        out_of_range=pl.col("local").dt.year().is_between(MIN_YEAR, MAX_YEAR).not_(),
    )
    out_of_range = out["out_of_range"].fill_null(False)
    utc = pl.select(pl.when(out_of_range).then(None).otherwise(out["utc"])).to_series().alias("utc")
    return ParsedDates(utc, has_time, out["bad"], out_of_range)


def local_date(expr: pl.Expr) -> pl.Expr:
    """The Vietnam calendar date of a naive-UTC datetime expression."""
    return (expr + pl.duration(minutes=LOCAL_OFFSET_MINUTES)).dt.date()


# -- validation ------------------------------------------------------------------------------------------


@dataclass
class Rule:
    field: str  # the file column named in the error
    bad: pl.Expr  # true for the rows this rule rejects
    reason: pl.Expr | str
    value: pl.Expr | None = None  # default: the raw column `field`


def _flag_ok(column: str) -> pl.Expr:
    return pl.col(column).is_null() | pl.col(column).is_in(["0", "1"])


def _clean(columns: Iterable[str]) -> list[pl.Expr]:
    out = []
    for c in columns:
        stripped = pl.col(c).str.strip_chars()
        out.append(pl.when(stripped == "").then(None).otherwise(stripped).alias(c))
    return out


def _too_long(n: int) -> str:
    return _("longer than %(n)s characters") % {"n": n}


def _int(column: str) -> pl.Expr:
    return pl.col(column).cast(pl.Int64, strict=False)


def _collect_errors(frame: pl.DataFrame, rules: list[Rule], masks: list[str]) -> list[RowError]:
    """The errors of the rejected rows, in line order (each row can break several rules)."""
    parts = []
    for rule, mask in zip(rules, masks, strict=True):
        hit = frame.filter(pl.col(mask))
        if not hit.height:
            continue
        reason = pl.lit(rule.reason) if isinstance(rule.reason, str) else rule.reason
        value = rule.value if rule.value is not None else pl.col(rule.field)
        parts.append(
            hit.select(
                pl.col(LINE).alias("line"),
                pl.lit(rule.field).alias("field"),
                value.cast(pl.String).fill_null("").alias("value"),
                reason.cast(pl.String).alias("reason"),
            )
        )
    if not parts:
        return []
    table = pl.concat(parts).sort("line", maintain_order=True)
    return [RowError(*row) for row in table.iter_rows()]


def _apply_rules(frame: pl.DataFrame, rules: list[Rule]) -> tuple[pl.DataFrame, list[RowError], int]:
    masks = [f"_bad{i}" for i in range(len(rules))]
    frame = frame.with_columns(r.bad.fill_null(False).alias(m) for r, m in zip(rules, masks, strict=True))
    any_bad = pl.any_horizontal(pl.col(m) for m in masks) if masks else pl.lit(False)
    frame = frame.with_columns(any_bad.alias("_bad"))
    rejected = frame.filter(pl.col("_bad"))
    errors = _collect_errors(rejected, rules, masks) if rejected.height else []
    valid = frame.filter(~pl.col("_bad")).drop([*masks, "_bad"])
    return valid, errors, rejected.height


@dataclass
class Checked:
    """A batch after validation."""

    rows: pl.DataFrame  # valid rows, typed, named as the model fields; one per code (the file's last)
    errors: list[RowError]
    rejected: int
    superseded: int  # valid rows replaced by a later row of the batch with the same code


def validate_dossiers(raw: pl.DataFrame, procedures: pl.DataFrame, units: pl.DataFrame, today: dt.date) -> Checked:
    """Check and convert a batch of dossier rows.

    procedures: code (str), id (int). units: code (str), id (int), valid_from (date), valid_to (date|null).
    The unit is the version of DonViXuLy valid on the local acceptance date (else submission date, else today).
    """
    df = raw.with_columns(_clean(DOSSIER_COLUMNS))
    # Dates
    parsed = {c: parse_datetimes(df[c]) for c in DOSSIER_DATE_COLUMNS}
    df = df.with_columns(
        [p.utc.alias(f"_dt_{c}") for c, p in parsed.items()]
        + [p.has_time.alias(f"_t_{c}") for c, p in parsed.items()]
        + [p.bad.alias(f"_bad_dt_{c}") for c, p in parsed.items()]
        + [p.out_of_range.alias(f"_range_{c}") for c, p in parsed.items()]
    )
    status = _int("TrangThaiHoSo")
    df = df.with_columns(
        status.alias("status"),
        pl.when(pl.col("KenhThucHien").is_null()).then(1).otherwise(_int("KenhThucHien")).alias("channel"),
        pl.when(pl.col("SoLanYeuCauBoSung").is_null()).then(0).otherwise(_int("SoLanYeuCauBoSung")).alias("_count"),
        pl.when(pl.col("DuocThanhToanTrucTuyen").is_null())
        .then(0)
        .otherwise(_int("DuocThanhToanTrucTuyen"))
        .alias("_paid"),
        pl.col("DanhGiaHaiLong")
        .str.to_lowercase()
        .replace_strict(RATINGS, default=None, return_dtype=pl.Int16)
        .alias("rating"),
        pl.int_range(pl.len(), dtype=pl.Int64).alias("_row"),
    )
    # The day the unit must be valid on: acceptance, else submission, else today (local dates).
    df = df.with_columns(
        pl.coalesce(local_date(pl.col("_dt_NgayTiepNhan")), local_date(pl.col("_dt_NgayNopHoSo")), pl.lit(today)).alias(
            "_on"
        )
    )
    # Lookups: MaTTHC → procedure, DonViXuLy (+ date) → unit version.
    df = df.join(
        procedures.select(pl.col("code").alias("MaTTHC"), pl.col("id").alias("procedure_id")),
        on="MaTTHC",
        how="left",
        maintain_order="left",
    )
    candidates = (
        df.select("_row", "DonViXuLy", "_on")
        .filter(pl.col("DonViXuLy").is_not_null())
        .join(units.rename({"code": "DonViXuLy", "id": "unit_id"}), on="DonViXuLy", how="inner")
        .filter(
            (pl.col("valid_from") <= pl.col("_on"))
            & (pl.col("valid_to").is_null() | (pl.col("_on") <= pl.col("valid_to")))
        )
        .sort("valid_from")
        .unique("_row", keep="last")
        .select("_row", "unit_id")
    )
    df = df.join(candidates, on="_row", how="left", maintain_order="left")
    unit_known = pl.col("DonViXuLy").is_in(units["code"].implode())

    def before(later: str, earlier: str) -> pl.Expr:
        """`later` is before `earlier`: by the instant when both have a time, else by the local date."""
        a, b = pl.col(f"_dt_{later}"), pl.col(f"_dt_{earlier}")
        both_timed = pl.col(f"_t_{later}") & pl.col(f"_t_{earlier}")
        return pl.when(both_timed).then(a < b).otherwise(local_date(a) < local_date(b))

    def missing(c: str) -> Rule:
        return Rule(c, pl.col(c).is_null(), _("missing required field"))

    # Built at each call, so that the reasons are in the language active now.
    rules = [
        missing("MaHoSo"),
        Rule("MaHoSo", pl.col("MaHoSo").str.len_chars() > MAX_CODE_LENGTH, _too_long(MAX_CODE_LENGTH)),
        missing("MaTTHC"),
        Rule(
            "MaTTHC",
            pl.col("MaTTHC").is_not_null() & pl.col("procedure_id").is_null(),
            _("unknown MaTTHC (not in the catalogue)"),
        ),
        missing("DonViXuLy"),
        Rule("DonViXuLy", pl.col("DonViXuLy").is_not_null() & ~unit_known, _("unknown unit code")),
        Rule(
            "DonViXuLy",
            pl.col("DonViXuLy").is_not_null() & unit_known & pl.col("unit_id").is_null(),
            _reason(_("unit not valid on the acceptance date %(date)s"), date=pl.col("_on").dt.to_string("%Y-%m-%d")),
        ),
        missing("TrangThaiHoSo"),
        Rule(
            "TrangThaiHoSo",
            pl.col("TrangThaiHoSo").is_not_null() & ~pl.col("status").is_between(1, 10).fill_null(False),
            _("status not in 1–10"),
        ),
        Rule("KenhThucHien", ~pl.col("channel").is_in([1, 2, 3]).fill_null(False), _("channel not 1, 2 or 3")),
        Rule("DuocThanhToanTrucTuyen", ~(pl.col("_paid") >= 0).fill_null(False), _("not a whole number (1, 2 or 0)")),
        Rule(
            "SoLanYeuCauBoSung",
            ~pl.col("_count").is_between(0, MAX_SMALLINT).fill_null(False),
            _("not a whole number of requests"),
        ),
        Rule(
            "DanhGiaHaiLong",
            pl.col("DanhGiaHaiLong").is_not_null() & pl.col("rating").is_null(),
            _("rating not rat_hai_long, hai_long or khong_hai_long"),
        ),
    ]
    not_a_flag = _("flag not 0 or 1")
    for c in (*DOSSIER_FLAGS, *DOSSIER_NULLABLE_FLAGS):
        rules.append(Rule(c, ~_flag_ok(c), not_a_flag))
    not_a_date = _("not a date (expected %(iso)s or %(local)s)") % {"iso": DATE_FORMATS[0], "local": DATE_FORMATS[1]}
    out_of_range = _("year outside %(min)s–%(max)s") % {"min": MIN_YEAR, "max": MAX_YEAR}
    for c in DOSSIER_DATE_COLUMNS:
        rules.append(Rule(c, pl.col(f"_bad_dt_{c}"), not_a_date))
        rules.append(Rule(c, pl.col(f"_range_{c}"), out_of_range))
    rules += [
        Rule(
            "NgayTiepNhan",
            pl.col("NgayTiepNhan").is_null()
            & pl.col("status").is_between(1, 10)
            & ~pl.col("status").is_in(STATUSES_NOT_ACCEPTED),
            _reason(_("missing for status %(status)s (only statuses 1 and 3 may lack it)"), status=pl.col("status")),
        ),
        Rule(
            "NgayKetThucXuLy",
            pl.col("NgayKetThucXuLy").is_null() & pl.col("status").is_in(STATUSES_FINISHED),
            _reason(_("missing for status %(status)s (processing finished)"), status=pl.col("status")),
        ),
        Rule("NgayKetThucXuLy", before("NgayKetThucXuLy", "NgayTiepNhan"), _("finished before accepted")),
        Rule(
            "NgayHoanThanhBoSung",
            pl.col("NgayHoanThanhBoSung").is_not_null() & pl.col("NgayYeuCauBoSung").is_null(),
            _("supplied without a supplement request (NgayYeuCauBoSung)"),
        ),
        Rule("NgayHoanThanhBoSung", before("NgayHoanThanhBoSung", "NgayYeuCauBoSung"), _("supplied before requested")),
    ]
    valid, errors, rejected = _apply_rules(df, rules)

    # Convert the valid rows; the last row of a code wins.
    before_dedup = valid.height
    valid = valid.unique("MaHoSo", keep="last", maintain_order=True)
    superseded = before_dedup - valid.height
    acc, sub, fin = pl.col("_dt_NgayTiepNhan"), pl.col("_dt_NgayNopHoSo"), pl.col("_dt_NgayKetThucXuLy")
    year_from = pl.coalesce(local_date(acc).dt.year(), local_date(sub).dt.year()).cast(pl.Int32)
    ended = pl.col("status").is_in(STATUSES_ENDED) & fin.is_not_null()
    year_to = pl.when(ended).then(local_date(fin).dt.year()).otherwise(pl.lit(today.year)).cast(pl.Int32)
    # A finished dossier's result stays in the stock of target 2.3 until it expires (or until today).
    expires = local_date(pl.col("_dt_NgayHetHieuLucKetQua")).dt.year().cast(pl.Int32)
    holds_result = pl.col("status").is_in(STATUSES_FINISHED) & fin.is_not_null()
    year_to = pl.when(holds_result).then(pl.min_horizontal(pl.lit(today.year), expires)).otherwise(year_to)
    year_to = pl.max_horizontal(year_to, local_date(fin).dt.year().cast(pl.Int32))
    requested = pl.col("_dt_NgayYeuCauBoSung").is_not_null()
    rows = valid.select(
        pl.col("MaHoSo").alias("code"),
        pl.col("procedure_id").cast(pl.Int64),
        pl.col("unit_id").cast(pl.Int64),
        pl.col("channel").cast(pl.Int16),
        pl.col("status").cast(pl.Int16),
        pl.when(pl.col("_paid").is_in([1, 2])).then(pl.col("_paid")).otherwise(0).cast(pl.Int16).alias("paid_online"),
        # A request date with no count is one request.
        pl.when(requested & (pl.col("_count") == 0))
        .then(1)
        .otherwise(pl.col("_count"))
        .cast(pl.Int16)
        .alias("supplement_count"),
        pl.col("rating").cast(pl.Int16),
        *(pl.col(f"_dt_{c}").alias(f) for c, f in DOSSIER_DATES.items()),
        *((pl.col(c) == "1").fill_null(False).alias(f) for c, f in DOSSIER_FLAGS.items()),
        *((pl.col(c) == "1").alias(f) for c, f in DOSSIER_NULLABLE_FLAGS.items()),
        pl.when(year_from.is_not_null()).then(year_from).alias(YEAR_FROM),
        pl.when(year_from.is_not_null()).then(pl.max_horizontal(year_to, year_from)).alias(YEAR_TO),
    ).select(*DOSSIER_FIELDS, YEAR_FROM, YEAR_TO)
    return Checked(rows, errors, rejected, superseded)


def validate_procedures(raw: pl.DataFrame, owners: pl.DataFrame | None = None) -> Checked:
    """Check and convert a batch of catalogue rows (the last row of a MaTTHC wins).

    owners: the agencies a procedure may belong to (CoQuanThucHien), as `key` (a code or a name, lower case)
    and `id`; without it, any owning agency is an unknown one."""
    df = raw.with_columns(_clean(CATALOGUE_COLUMNS))
    owners = owners if owners is not None else pl.DataFrame(schema={"key": pl.String, "id": pl.Int64})
    df = df.with_columns(pl.col("CoQuanThucHien").str.to_lowercase().alias("_owner_key")).join(
        owners.select(pl.col("key").alias("_owner_key"), pl.col("id").alias("_owner_id")),
        on="_owner_key",
        how="left",
        maintain_order="left",
    )
    tokens = (
        pl.col("CapThucHien")
        .str.to_lowercase()
        .str.replace_all(r"[;|/]", ",")
        .str.split(",")
        .list.eval(pl.element().str.strip_chars())
        .list.eval(pl.element().filter(pl.element() != ""))
    )
    limit_text = pl.col("ThoiHanGiaiQuyet").str.replace(",", ".", literal=True)
    df = df.with_columns(
        tokens.alias("_levels"),
        pl.col("MucDoDVCTT").str.to_lowercase().alias("_online"),
        limit_text.cast(pl.Float64, strict=False).alias("_limit"),
        pl.col("DonViTinh").str.to_lowercase().alias("_unit"),
    )
    df = df.with_columns(
        pl.col("_levels")
        .list.eval(pl.element().filter(~pl.element().is_in(list(LEVEL_TOKENS))))
        .list.join(", ")
        .alias("_unknown_levels")
    )
    # Built at each call, so that the reasons are in the language active now.
    missing, not_a_flag = _("missing required field"), _("flag not 0 or 1")
    rules = [
        Rule("MaTTHC", pl.col("MaTTHC").is_null(), missing),
        Rule("TenTTHC", pl.col("TenTTHC").is_null(), missing),
        *(Rule(c, pl.col(c).str.len_chars() > n, _too_long(n)) for c, n in MAX_LENGTHS.items()),
        Rule(
            "CapThucHien",
            pl.col("_unknown_levels").fill_null("") != "",
            _reason(_("unknown level %(levels)s (expected tinh, huyen, xa)"), levels=pl.col("_unknown_levels")),
        ),
        Rule(
            "MucDoDVCTT",
            pl.col("_online").is_not_null() & ~pl.col("_online").is_in(list(ONLINE_LEVELS)),
            _("online level not toan_trinh, mot_phan or empty"),
        ),
        *(Rule(c, ~_flag_ok(c), not_a_flag) for c in CATALOGUE_FLAGS),
        Rule(
            "ThoiHanGiaiQuyet",
            pl.col("ThoiHanGiaiQuyet").is_not_null() & pl.col("_limit").is_null(),
            _("time limit not a number"),
        ),
        Rule("ThoiHanGiaiQuyet", pl.col("_limit") < 0, _("negative time limit")),
        Rule(
            "DonViTinh",
            pl.col("_unit").is_not_null() & ~pl.col("_unit").is_in(list(TIME_UNITS)),
            _("unknown time unit (expected %(units)s)") % {"units": ", ".join(TIME_UNITS)},
        ),
        Rule(
            "DonViTinh",
            pl.col("_unit").is_null() & pl.col("_limit").is_not_null(),
            _("missing: a time limit needs its unit"),
        ),
        Rule("DuDieuKienDVCTT", ~_flag_ok("DuDieuKienDVCTT"), not_a_flag),
        Rule(
            "CoQuanThucHien",
            pl.col("CoQuanThucHien").is_not_null() & pl.col("_owner_id").is_null(),
            _("unknown agency (expected the code or the name of a department)"),
        ),
    ]
    valid, errors, rejected = _apply_rules(df, rules)
    before_dedup = valid.height
    valid = valid.unique("MaTTHC", keep="last", maintain_order=True)
    rows = valid.select(
        pl.col("MaTTHC").alias("code"),
        pl.col("TenTTHC").alias("name"),
        pl.col("MaLinhVuc").fill_null("").alias("sector_code"),
        pl.col("TenLinhVuc").fill_null("").alias("sector_name"),
        *(pl.col("_levels").list.contains(token).fill_null(False).alias(f) for token, f in LEVEL_TOKENS.items()),
        pl.col("_online").replace_strict(ONLINE_LEVELS, default="").fill_null("").alias("online_level"),
        *((pl.col(c) == "1").fill_null(False).alias(f) for c, f in CATALOGUE_FLAGS.items() if f != "internal"),
        pl.col("_limit").alias("time_limit"),
        pl.col("_unit").fill_null("").alias("time_unit"),
        (pl.col("NoiBo") == "1").fill_null(False).alias("internal"),
        (pl.col("DuDieuKienDVCTT") != "0").fill_null(True).alias("eligible_online"),
        pl.col("_owner_id").cast(pl.Int64).alias("owner_id"),
    ).select(PROCEDURE_FIELDS)
    return Checked(rows, errors, rejected, before_dedup - valid.height)


# -- the error report -----------------------------------------------------------------------------------

ERROR_REPORT_HEADER = ("line", "field", "value", "reason")


def write_error_report(errors: Iterable[RowError], destination: str | os.PathLike | IO[bytes]) -> int:
    """Write `line,field,value,reason` as UTF-8 with a BOM (so Excel shows Vietnamese right); returns rows."""
    if isinstance(destination, (str, os.PathLike)):
        with open(destination, "wb") as f:
            return write_error_report(errors, f)
    text = io.TextIOWrapper(destination, encoding="utf-8-sig", newline="")
    try:
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(ERROR_REPORT_HEADER)
        count = 0
        for error in errors:
            writer.writerow(error)
            count += 1
        text.flush()
        return count
    finally:
        text.detach()
