"""Survey results per unit (citizen satisfaction, leaders' survey …) imported by Sở Nội vụ from XLSX or CSV.

Columns: unit code, criterion code, value (header names: unit / criterion / value, or mã đơn vị / mã tiêu chí /
điểm). Every row is checked (unknown unit, unknown or non-survey criterion, value negative or above the maximum,
the same unit and criterion twice) and the file is imported whole or not at all. Importing the same file again
changes nothing. The values go onto the units' sheets that are not final yet.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
from decimal import Decimal, InvalidOperation
from pathlib import PurePath

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.scoring.criteria import SURVEY
from cchc.scoring.models import Assessment, CriteriaSet, Score, SurveyResult
from cchc.scoring.workflow import State
from cchc.units.models import Unit

HEADERS = {
    "unit": ("unit", "unit_code", "unit code", "mã đơn vị", "ma_don_vi", "đơn vị"),
    "criterion": ("criterion", "criterion_code", "criterion code", "mã tiêu chí", "ma_tieu_chi", "tiêu chí"),
    "value": ("value", "score", "giá trị", "điểm", "diem"),
}


class SurveyImportError(ValueError):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


def _rows(content: bytes, name: str) -> list[tuple[int, list]]:
    """(row number, cells) of the file, header first."""
    if PurePath(name).suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as error:  # noqa: BLE001 — an unreadable workbook is the user's error
            raise SurveyImportError(
                [_("%(name)s is not a readable XLSX file (%(error)s).") % {"name": name, "error": error}]
            ) from None
        sheet = book.worksheets[0]
        return [(number, list(row)) for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
    if PurePath(name).suffix.lower() == ".csv":
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise SurveyImportError([_("%(name)s is not UTF-8 text.") % {"name": name}]) from None
        dialect = csv.excel
        with contextlib.suppress(csv.Error):
            dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else "", delimiters=",;\t")
        return [(number, row) for number, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1)]
    raise SurveyImportError([_("%(name)s: an .xlsx or .csv file is needed.") % {"name": name}])


def _columns(header: list) -> dict[str, int]:
    names = [str(cell or "").strip().lower() for cell in header]
    found = {}
    for key, aliases in HEADERS.items():
        for position, name in enumerate(names):
            if name in aliases:
                found[key] = position
                break
    missing = [key for key in HEADERS if key not in found]
    if missing:
        raise SurveyImportError(
            [
                _("row 1: columns missing: %(columns)s (unit, criterion, value are needed).")
                % {"columns": ", ".join(missing)}
            ]
        )
    return found


def _cell(row: list, position: int):
    value = row[position] if position < len(row) else None
    return value.strip() if isinstance(value, str) else value


@transaction.atomic
def import_results(year: int, content: bytes, name: str, user=None, at: dt.datetime | None = None) -> dict:
    """Import a survey file for `year` (at `at`, now by default); returns {"rows", "created", "updated",
    "unchanged"} or raises SurveyImportError listing every faulty row and field."""
    rows = _rows(content, name)
    if not rows:
        raise SurveyImportError([_("%(name)s is empty.") % {"name": name}])
    columns = _columns(rows[0][1])
    sets = {s.kind: s for s in CriteriaSet.objects.filter(year=year)}
    if not sets:
        raise SurveyImportError([_("There is no criteria set for %(year)s.") % {"year": year}])
    criteria = {}
    for criteria_set in sets.values():
        for criterion in criteria_set.criteria.filter(is_leaf=True):
            criteria[(criteria_set.kind, criterion.code)] = criterion
    codes = {str(_cell(row, columns["unit"]) or "") for _n, row in rows[1:]}
    units = {}
    for unit in Unit.objects.in_year(year).filter(code__in=codes, kind__in=list(sets)).order_by("-valid_from"):
        units.setdefault(unit.code, unit)
    errors: list[str] = []
    parsed: dict[tuple[int, int], tuple[int, Unit, object, Decimal]] = {}
    for number, row in rows[1:]:
        if all(cell in (None, "") for cell in row):
            continue
        where = _("row %(number)s") % {"number": number}
        code = str(_cell(row, columns["unit"]) or "")
        unit = units.get(code)
        if unit is None:
            errors.append(
                _("%(where)s: unit: unknown unit code %(code)r for %(year)s.")
                % {"where": where, "code": code, "year": year}
            )
        criterion_code = str(_cell(row, columns["criterion"]) or "")
        criterion = criteria.get((unit.kind, criterion_code)) if unit else None
        if unit is not None and criterion is None:
            errors.append(
                _("%(where)s: criterion: %(code)r is not a sub-criterion of the %(year)s set for %(kind)s.")
                % {"where": where, "code": criterion_code, "year": year, "kind": sets[unit.kind].get_kind_display()}
            )
        elif criterion is not None and criterion.method != SURVEY:
            errors.append(
                _("%(where)s: criterion: %(code)s is not scored by a survey.")
                % {"where": where, "code": criterion_code}
            )
            criterion = None
        raw = _cell(row, columns["value"])
        try:
            value = Decimal(str(raw).replace(",", ".")) if raw not in (None, "") else None
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            errors.append(_("%(where)s: value: a number is needed, got %(raw)r.") % {"where": where, "raw": raw})
            continue
        if value < 0:
            errors.append(_("%(where)s: value: %(value)s is negative.") % {"where": where, "value": raw})
        elif criterion is not None and value > criterion.maximum:
            errors.append(
                _("%(where)s: value: %(value)s is above the maximum %(maximum)s of %(code)s.")
                % {"where": where, "value": raw, "maximum": criterion.maximum.normalize(), "code": criterion.code}
            )
        elif value != value.quantize(Decimal("0.01")):
            errors.append(_("%(where)s: value: use at most two decimals.") % {"where": where})
        elif unit is not None and criterion is not None:
            key = (unit.pk, criterion.pk)
            if key in parsed:
                errors.append(
                    _("%(where)s: the same unit and criterion as row %(other)s.")
                    % {"where": where, "other": parsed[key][0]}
                )
            parsed[key] = (number, unit, criterion, value)
    existing = {
        (r.unit_id, r.criterion_id): r
        for r in SurveyResult.objects.filter(criterion__criteria_set__year=year, unit_id__in=[k[0] for k in parsed])
    }
    final = {
        (unit_id, set_id)
        for unit_id, set_id in Assessment.objects.filter(criteria_set__year=year, status=State.FINAL).values_list(
            "unit_id", "criteria_set_id"
        )
    }
    for key, (number, unit, criterion, value) in parsed.items():
        old = existing.get(key)
        if (unit.pk, criterion.criteria_set_id) in final and (old is None or old.value != value):
            errors.append(
                _("row %(number)s: value: the sheet of %(unit)s is final; its survey score cannot change.")
                % {"number": number, "unit": unit}
            )
    if errors:
        raise SurveyImportError(errors)
    counts = {"rows": len(parsed), "created": 0, "updated": 0, "unchanged": 0}
    for key, (_number, unit, criterion, value) in parsed.items():
        old = existing.get(key)
        if old is None:
            SurveyResult.objects.create(
                criterion=criterion,
                unit=unit,
                value=value,
                imported_from=name,
                imported_by=user,
                imported_at=at or timezone.now(),
            )
            counts["created"] += 1
        elif old.value != value:
            old.value, old.imported_from, old.imported_by = value, name, user
            old.save()
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    _fill_scores(parsed)
    return counts


def _fill_scores(parsed: dict) -> None:
    """Put the imported values on the matching rows of sheets that are not final."""
    by_key = {key: value for key, (_n, _u, _c, value) in parsed.items()}
    rows = list(
        Score.objects.filter(criterion_id__in={k[1] for k in by_key}, assessment__unit_id__in={k[0] for k in by_key})
        .exclude(assessment__status=State.FINAL)
        .select_related("assessment")
    )
    changed = []
    for score in rows:
        value = by_key.get((score.assessment.unit_id, score.criterion_id))
        if value is not None and score.appraised_score != value:
            score.appraised_score = value
            changed.append(score)
    Score.objects.bulk_update(changed, ["appraised_score"])
