"""The SIPAS form as a file (CSV or XLSX): one row per service and criterion. Plain Python; errors name row and field.

Columns (Vietnamese headers as in the form, English ones accepted):
  DichVu (service), TieuChi (criterion), SoNguoiTraLoi (respondents),
  TyLeHaiLong (share satisfied, %) and/or DiemTrungBinh (mean score) — at least one of the two.
Numbers may use the Vietnamese decimal comma (86,5).
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal, InvalidOperation
from pathlib import Path

from cchc.targets.rules import SurveyLine, SurveyMethod

COLUMNS = {
    "service": ("DichVu", "service"),
    "criterion": ("TieuChi", "criterion"),
    "respondents": ("SoNguoiTraLoi", "respondents"),
    "share_satisfied": ("TyLeHaiLong", "share_satisfied"),
    "mean_score": ("DiemTrungBinh", "mean_score"),
}


class SurveyFileError(ValueError):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


def _rows(path: Path) -> list[dict[str, str]]:
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        values = [[("" if v is None else str(v)).strip() for v in row] for row in sheet.iter_rows(values_only=True)]
        if not values:
            return []
        header, body = values[0], values[1:]
        return [dict(zip(header, row, strict=False)) for row in body if any(row)]
    text = path.read_text("utf-8-sig")
    return [{k.strip(): (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(io.StringIO(text))]


def _number(raw: str) -> Decimal:
    return Decimal(raw.replace(" ", "").replace(",", "."))


def read_survey_file(path: Path, method: SurveyMethod) -> list[SurveyLine]:
    """The lines of the file, or SurveyFileError listing every problem (row numbers as in a spreadsheet)."""
    rows = _rows(path)
    errors: list[str] = []
    if not rows:
        raise SurveyFileError([f"{path.name}: no rows"])
    headers = set(rows[0])
    names = {}
    for key, options in COLUMNS.items():
        names[key] = next((o for o in options if o in headers), None)
    for key in ("service", "criterion", "respondents"):
        if names[key] is None:
            errors.append(f"{path.name}: column {COLUMNS[key][0]} is missing")
    if names["share_satisfied"] is None and names["mean_score"] is None:
        errors.append(f"{path.name}: give column TyLeHaiLong or DiemTrungBinh")
    if errors:
        raise SurveyFileError(errors)
    lines, seen = [], set()
    for number, row in enumerate(rows, start=2):
        where = f"row {number}"
        service, criterion = row.get(names["service"], ""), row.get(names["criterion"], "")
        if not service:
            errors.append(f"{where}, {names['service']}: is empty")
        if criterion not in method.criteria:
            errors.append(
                f"{where}, {names['criterion']}: {criterion!r} is not a criterion of the method "
                f"({', '.join(method.criteria)})"
            )
        if (service, criterion) in seen:
            errors.append(f"{where}: {service} / {criterion} appears twice")
        seen.add((service, criterion))
        respondents = None
        try:
            respondents = int(_number(row.get(names["respondents"], "")))
            if respondents <= 0:
                raise ValueError
        except (InvalidOperation, ValueError):
            errors.append(
                f"{where}, {names['respondents']}: {row.get(names['respondents'])!r} is not a whole number > 0"
            )
        share = mean = None
        raw_share = row.get(names["share_satisfied"], "") if names["share_satisfied"] else ""
        raw_mean = row.get(names["mean_score"], "") if names["mean_score"] else ""
        try:
            share = _number(raw_share) if raw_share else None
            if share is not None and not 0 <= share <= 100:
                errors.append(f"{where}, {names['share_satisfied']}: {raw_share} is not between 0 and 100")
        except InvalidOperation:
            errors.append(f"{where}, {names['share_satisfied']}: {raw_share!r} is not a number")
        try:
            mean = _number(raw_mean) if raw_mean else None
            if mean is not None and not 0 <= mean <= Decimal(str(method.mean_score_max)):
                errors.append(
                    f"{where}, {names['mean_score']}: {raw_mean} is not between 0 and {method.mean_score_max:g}"
                )
        except InvalidOperation:
            errors.append(f"{where}, {names['mean_score']}: {raw_mean!r} is not a number")
        if not raw_share and not raw_mean:
            errors.append(f"{where}: give the share satisfied or the mean score")
        lines.append(
            SurveyLine(
                service,
                criterion,
                respondents or 0,
                float(share) if share is not None else None,
                float(mean) if mean is not None else None,
            )
        )
    if errors:
        raise SurveyFileError(errors)
    return lines
