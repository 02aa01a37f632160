"""Read catalogue and dossier files (CSV, XLSX, JSON) in batches of string columns: no Django here.

A file is read in batches of about 50,000 rows; each batch is a polars frame of strings, one column per column
of the file's kind (`columns.py`; null = empty), with the line of each row. `validation.py` checks a batch.

Conventions:
- line: data row 1 is line 2 (the header is line 1) in CSV and XLSX; the record's index (from 1) in JSON.
- The national sync record's nested lists (JSON) are flattened into the flat columns (`flatten_dossier_lists`).

Messages (file errors, warnings) are translated with Django's gettext when they are made, so in the language
active then. Nothing here needs a request.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, NamedTuple

import numpy as np
import polars as pl
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cchc.dossiers.columns import (
    CATALOGUE_COLUMNS,
    CATALOGUE_OPTIONAL_COLUMNS,
    CATALOGUE_REQUIRED_COLUMNS,
    DOSSIER_COLUMNS,
    DOSSIER_OPTIONAL_COLUMNS,
    DOSSIER_REQUIRED_COLUMNS,
    LINE,
)
from cchc.dossiers.dates import date_sort_key

BATCH_ROWS = 50_000


def _kind_name(kind: str) -> str:
    """The translated name of a kind of file, as in "not a dossier file"."""
    names = {"dossier": pgettext("file kind", "dossier"), "catalogue": pgettext("file kind", "catalogue")}
    return names.get(kind, kind)


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

    def _frame(self, columns: dict[str, list], lines: list[int]) -> pl.DataFrame:
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
        self._delimiter = max(counts, key=lambda d: counts[d]) if max(counts.values()) else ","
        names = next(csv.reader([header_line], delimiter=self._delimiter), [])
        self._columns = self._map_header(names)

    def _csv_batches(self) -> Iterator[RawBatch]:
        import pyarrow as pa
        import pyarrow.csv as pacsv

        n_cols = len(self._columns)
        placeholders = [f"c{i}" for i in range(n_cols)]
        wanted = {p: c for p, c in zip(placeholders, self._columns, strict=True) if c}
        invalid: list[tuple[int, str, str | None]] = []
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
                    read = pl.from_arrow(table)
                    assert isinstance(read, pl.DataFrame)  # a table gives a frame (a column array, a series)
                    frame = read.rename(wanted)
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
            first = min(items, key=lambda s: date_sort_key(_get(s, "NgayBoSung")))
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
