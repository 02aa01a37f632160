"""Entered 766 values from a CSV/XLSX file: `DonVi, KyBaoCao, MaChiSo, TuSo, MauSo, TyLe, Nguon`.

Unit code, period (2023, 2023Q1, …), sub-indicator code, numerator, denominator, ratio in percent (used
when the counts are not published), source. Each bad row is reported with its line and field.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from cchc.indicators.index766 import default_catalogue
from cchc.indicators.periods import parse_period

COLUMNS = ["DonVi", "KyBaoCao", "MaChiSo", "TuSo", "MauSo", "TyLe", "Nguon"]


@dataclass
class EnteredRow:
    line: int
    unit: str
    period: str
    metric: str
    numerator: int | None
    denominator: int | None
    ratio: float | None
    source: str


@dataclass
class EnteredFile:
    rows: list[EnteredRow] = field(default_factory=list)
    errors: list[tuple[int, str, str, str]] = field(default_factory=list)  # line, field, value, reason


class UnreadableFile(ValueError):
    pass


def read_rows(path: Path) -> list[tuple[int, dict]]:
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(path, read_only=True, data_only=True).active
        except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
            raise UnreadableFile(f"not an XLSX workbook ({exc})") from None
        rows = sheet.iter_rows(values_only=True)
        header = [str(c).strip() if c is not None else "" for c in next(rows, [])]
        data = [
            (i, dict(zip(header, ["" if v is None else str(v) for v in row], strict=False)))
            for i, row in enumerate(rows, start=2)
        ]
    else:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise UnreadableFile(f"not UTF-8 text ({exc})") from None
        reader = csv.DictReader(io.StringIO(text))
        header = reader.fieldnames or []
        data = [(i, row) for i, row in enumerate(reader, start=2)]
    missing = [c for c in COLUMNS[:3] if c not in header]
    if missing:
        raise UnreadableFile(f"missing column(s): {', '.join(missing)}")
    return data


def _int(value: str) -> int | None:
    value = (value or "").strip()
    if value == "":
        return None
    number = int(value)
    if number < 0:
        raise ValueError("negative")
    return number


def parse(path: Path, known_units: set[str]) -> EnteredFile:
    result = EnteredFile()
    catalogue = default_catalogue().by_code
    for line, raw in read_rows(path):
        errors = []
        unit, period, metric = (raw.get(k, "").strip() for k in ("DonVi", "KyBaoCao", "MaChiSo"))
        if unit not in known_units:
            errors.append(("DonVi", unit, "unknown unit code"))
        try:
            parse_period(period)
        except ValueError as exc:
            errors.append(("KyBaoCao", period, str(exc)))
        spec = catalogue.get(metric)
        if spec is None:
            errors.append(("MaChiSo", metric, "unknown 766 sub-indicator"))
        elif spec.source != "entered":
            errors.append(("MaChiSo", metric, "computed from dossiers; cannot be entered"))
        numbers = {}
        for column in ("TuSo", "MauSo"):
            try:
                numbers[column] = _int(raw.get(column, ""))
            except ValueError:
                errors.append((column, raw.get(column, ""), "not a whole number ≥ 0"))
        ratio = None
        if (raw.get("TyLe") or "").strip():
            try:
                ratio = float(raw["TyLe"].replace(",", "."))
                if not 0 <= ratio <= 100:
                    raise ValueError
            except ValueError:
                errors.append(("TyLe", raw["TyLe"], "not a percentage between 0 and 100"))
        n, d = numbers.get("TuSo"), numbers.get("MauSo")
        if "TuSo" in numbers and "MauSo" in numbers:
            if (n is None) != (d is None):
                errors.append(("MauSo", raw.get("MauSo", ""), "give both TuSo and MauSo, or neither"))
            elif n is not None and n > d:
                errors.append(("TuSo", str(n), f"greater than MauSo {d}"))
            elif n is None and ratio is None and not any(e[0] == "TyLe" for e in errors):
                errors.append(("TyLe", "", "give TuSo and MauSo, or TyLe"))
        if errors:
            result.errors.extend((line, *e) for e in errors)
        else:
            result.rows.append(EnteredRow(line, unit, period, metric, n, d, ratio, (raw.get("Nguon") or "").strip()))
    return result
