"""Criteria sets as data: the format, its validation and the XLSX form of it (pure Python, no Django).

A set (YAML or the "set"/"bands"/"criteria" sheets of an XLSX workbook):

    year: 2023
    kind: district                       # department | district | commune
    name: ...
    source_note: ...                     # e.g. "defaults to be replaced by the province's decision"
    self_assessment_due: 2023-12-10
    bands: [{label: Xuất sắc, lower: 90}, {label: Tốt, lower: 80}, ...]   # highest lower bound first
    criteria:                            # a tree: areas → criteria → sub-criteria
      - code: "1"
        title: ...
        maximum: 10
        children:
          - {code: "1.1", title: ..., maximum: 2, method: self_assessed, guidance: ...}
          - {code: "1.2", title: ..., maximum: 2, method: computed, source: reports.on_time_share,
             mapping: {type: thresholds, steps: [{at_least: 100, points: 2}, {at_least: 75, points: 1}]}}
      - {code: TR, title: Điểm trừ, maximum: 5, method: deduction, cap: 5, children: [...]}

Rules: a group's maximum equals the sum of its children's maxima (bonus and deduction children are left out of
the sum); leaves have a method; a deduction (the topmost deduction node) has a cap; codes are unique; computed
leaves name a known source and a well-formed mapping (thresholds: steps of {at_least, points ≤ maximum}; linear:
{from, to}, the figure at `from` gives 0 and at `to` the maximum).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from cchc.core.text import safe_append

GROUP = ""
SELF_ASSESSED = "self_assessed"
SURVEY = "survey"
COMPUTED = "computed"
BONUS = "bonus"
DEDUCTION = "deduction"
METHODS = (GROUP, SELF_ASSESSED, SURVEY, COMPUTED, BONUS, DEDUCTION)
LEAF_METHODS = (SELF_ASSESSED, SURVEY, COMPUTED, BONUS, DEDUCTION)
ADJUSTMENTS = (BONUS, DEDUCTION)
KINDS = ("department", "district", "commune")

# The figures the system computes from its own data (implemented in computed.py, one function per key).
COMPUTED_SOURCES = {
    "dossiers.on_time_rate": "on-time dossier rate of the year, % (cchc.indicators)",
    "dossiers.index766": "766 score of the year, % of its maximum (cchc.indicators)",
    "agencyplan.on_time": "agency plan submitted on time: 1 yes, 0 no (cchc.agencyplans)",
    "reports.on_time_share": "periodic reports of the year first submitted on time, % (cchc.reports)",
    "reports.late_count": "periodic reports of the year submitted late or missing (cchc.reports)",
    "progress.done_share": "share of the unit's tasks of the year done, % (cchc.progress)",
}

CRITERIA_COLUMNS = ("code", "parent", "title", "maximum", "method", "cap", "source", "mapping", "guidance")
SET_KEYS = ("year", "kind", "name", "status", "source_note", "self_assessment_due")
STATUSES = ("draft", "active")


class CriteriaError(ValueError):
    """The set is not valid; `errors` lists every problem as "where: field: what"."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class Node:
    code: str
    title: str
    maximum: Decimal
    method: str = GROUP
    guidance: str = ""
    cap: Decimal | None = None
    source_key: str = ""
    mapping: dict | None = None
    parent_code: str | None = None
    depth: int = 0
    order: int = 0
    where: str = ""
    children: list[Node] = field(default_factory=list)


@dataclass
class SetSpec:
    year: int
    kind: str
    name: str
    source_note: str
    self_assessment_due: dt.date | None
    bands: list[dict]
    nodes: list[Node]  # every node, parents before children, in reading order
    status: str = "draft"

    def roots(self) -> list[Node]:
        return [node for node in self.nodes if node.parent_code is None]


def _decimal(value) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        result = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        return None
    return result if result.is_finite() else None


def _number_error(errors, where, name, value, *, required=True, positive=False):
    number = _decimal(value)
    if number is None:
        if required or value not in (None, ""):
            errors.append(f"{where}: {name}: a number is needed, got {value!r}")
        return None
    if number < 0 or (positive and number == 0):
        errors.append(f"{where}: {name}: must be {'above' if positive else 'at least'} 0, got {value}")
        return None
    return number


def check_mapping(mapping, maximum: Decimal | None, where: str, errors: list[str]) -> None:
    """Append an error for each way the figure → points mapping is malformed."""
    if not isinstance(mapping, dict):
        errors.append(f"{where}: mapping: a mapping {{type: thresholds|linear, …}} is needed")
        return
    kind = mapping.get("type")
    if kind == "thresholds":
        steps = mapping.get("steps")
        if not isinstance(steps, list) or not steps:
            errors.append(f"{where}: mapping.steps: a non-empty list of {{at_least, points}} is needed")
            return
        for number, step in enumerate(steps, start=1):
            if not isinstance(step, dict) or set(step) != {"at_least", "points"}:
                errors.append(f"{where}: mapping.steps[{number}]: exactly the keys at_least and points are needed")
                continue
            if _decimal(step["at_least"]) is None:
                errors.append(f"{where}: mapping.steps[{number}].at_least: a number is needed")
            points = _decimal(step["points"])
            if points is None or points < 0:
                errors.append(f"{where}: mapping.steps[{number}].points: a number ≥ 0 is needed")
            elif maximum is not None and points > maximum:
                errors.append(f"{where}: mapping.steps[{number}].points: {points} is above the maximum {maximum}")
    elif kind == "linear":
        low, high = _decimal(mapping.get("from")), _decimal(mapping.get("to"))
        if low is None or high is None:
            errors.append(f"{where}: mapping: linear needs numbers 'from' and 'to'")
        elif low == high:
            errors.append(f"{where}: mapping: linear 'from' and 'to' must differ")
        extra = set(mapping) - {"type", "from", "to"}
        if extra:
            errors.append(f"{where}: mapping: unknown keys {sorted(extra)}")
    else:
        errors.append(f"{where}: mapping.type: must be 'thresholds' or 'linear', got {kind!r}")


def _read_node(raw, where, parent: Node | None, depth, errors, nodes, seen) -> Node | None:
    if not isinstance(raw, dict):
        errors.append(f"{where}: a criterion must be a mapping with code, title, maximum")
        return None
    where = raw.get("_where") or where
    code = str(raw.get("code") or "").strip()
    if not code:
        errors.append(f"{where}: code: missing")
    elif code in seen:
        errors.append(f"{where}: code: {code!r} is used twice (also at {seen[code]})")
    else:
        seen[code] = where
    label = f"{where} ({code})" if code and not raw.get("_where") else where
    title = str(raw.get("title") or "").strip()
    if not title:
        errors.append(f"{label}: title: missing")
    maximum = _number_error(errors, label, "maximum", raw.get("maximum"))
    children_raw = raw.get("children") or []
    if not isinstance(children_raw, list):
        errors.append(f"{label}: children: must be a list")
        children_raw = []
    method = str(raw.get("method") or "").strip()
    if not method and parent is not None and parent.method in ADJUSTMENTS:
        method = parent.method  # the parts of a bonus or deduction are bonuses or deductions
    if method not in METHODS:
        errors.append(f"{label}: method: unknown {method!r}; one of {', '.join(LEAF_METHODS)} (or none for a group)")
    elif children_raw and method not in (GROUP, *ADJUSTMENTS):
        errors.append(f"{label}: method: a criterion with parts is a group; {method!r} belongs on its parts")
    elif not children_raw and method == GROUP:
        errors.append(f"{label}: method: a sub-criterion needs a method ({', '.join(LEAF_METHODS)})")
    if parent is not None and parent.method in ADJUSTMENTS and method != parent.method:
        errors.append(f"{label}: method: the parts of a {parent.method} must be {parent.method}s too")
    cap = _number_error(errors, label, "cap", raw.get("cap"), required=False)
    is_adjustment_root = method in ADJUSTMENTS and (parent is None or parent.method not in ADJUSTMENTS)
    if cap is not None and not is_adjustment_root:
        errors.append(f"{label}: cap: only the topmost bonus or deduction has a cap")
    if method == DEDUCTION and is_adjustment_root and cap is None:
        errors.append(f"{label}: cap: a deduction needs a cap (the most it may take)")
    source_key = str(raw.get("source") or raw.get("source_key") or "").strip()
    mapping = raw.get("mapping")
    if isinstance(mapping, str) and mapping.strip():
        try:
            mapping = json.loads(mapping)
        except json.JSONDecodeError as error:
            errors.append(f"{label}: mapping: not valid JSON ({error.msg})")
            mapping = None
    elif mapping == "":
        mapping = None
    if method == COMPUTED and not source_key:
        errors.append(f"{label}: source: a computed sub-criterion names its source ({', '.join(COMPUTED_SOURCES)})")
    if source_key:
        if source_key not in COMPUTED_SOURCES:
            errors.append(f"{label}: source: unknown {source_key!r}; one of {', '.join(COMPUTED_SOURCES)}")
        if method not in (COMPUTED, *ADJUSTMENTS) or children_raw:
            errors.append(f"{label}: source: only computed sub-criteria, bonuses and deductions are computed")
        if mapping is None:
            errors.append(f"{label}: mapping: a computed figure needs a mapping to points")
    if mapping is not None:
        if not source_key:
            errors.append(f"{label}: mapping: only a computed sub-criterion (with a source) has a mapping")
        else:
            check_mapping(mapping, maximum, label, errors)
    node = Node(
        code=code,
        title=title,
        maximum=maximum if maximum is not None else Decimal(0),
        method=method if method in METHODS else GROUP,
        guidance=str(raw.get("guidance") or "").strip(),
        cap=cap,
        source_key=source_key,
        mapping=mapping if isinstance(mapping, dict) else None,
        parent_code=parent.code if parent else None,
        depth=depth,
        order=len(nodes) + 1,
        where=label,
    )
    nodes.append(node)
    for number, child in enumerate(children_raw, start=1):
        read = _read_node(child, f"{where}.children[{number}]", node, depth + 1, errors, nodes, seen)
        if read is not None:
            node.children.append(read)
    if node.children and node.method == GROUP and maximum is not None:
        total = sum((child.maximum for child in node.children if child.method not in ADJUSTMENTS), Decimal(0))
        if total != maximum:
            errors.append(f"{label}: maximum: {maximum} but its parts add up to {total}")
    return node


def _read_bands(raw, errors) -> list[dict]:
    if not isinstance(raw, list) or not raw:
        errors.append("bands: a list of {label, lower}, highest lower bound first, is needed")
        return []
    bands, previous = [], None
    for number, band in enumerate(raw, start=1):
        where = f"bands[{number}]"
        if not isinstance(band, dict) or not str(band.get("label") or "").strip():
            errors.append(f"{where}: label: missing")
            continue
        lower = _number_error(errors, where, "lower", band.get("lower"))
        if lower is None:
            continue
        if previous is not None and lower >= previous:
            errors.append(f"{where}: lower: {lower} must be below the band before it ({previous})")
        previous = lower
        bands.append({"label": str(band["label"]).strip(), "lower": float(lower)})
    return bands


def parse(data) -> SetSpec:
    """The validated set, or CriteriaError listing every problem found (not only the first)."""
    errors: list[str] = []
    if not isinstance(data, dict):
        raise CriteriaError(["the file must describe one set: year, kind, name, bands, criteria"])
    year = data.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        errors.append(f"year: a year such as 2023 is needed, got {year!r}")
    kind = data.get("kind")
    if kind not in KINDS:
        errors.append(f"kind: one of {', '.join(KINDS)} is needed, got {kind!r}")
    name = str(data.get("name") or "").strip()
    if not name:
        errors.append("name: missing")
    due = data.get("self_assessment_due")
    if isinstance(due, str) and due.strip():
        try:
            due = dt.date.fromisoformat(due.strip())
        except ValueError:
            errors.append(f"self_assessment_due: a date YYYY-MM-DD is needed, got {due!r}")
            due = None
    elif isinstance(due, dt.datetime):
        due = due.date()
    elif not isinstance(due, dt.date):
        due = None
    status = data.get("status") or "draft"
    if status not in STATUSES:
        errors.append(f"status: one of {', '.join(STATUSES)} is needed, got {status!r}")
    bands = _read_bands(data.get("bands"), errors)
    raw_criteria = data.get("criteria")
    nodes: list[Node] = []
    if not isinstance(raw_criteria, list) or not raw_criteria:
        errors.append("criteria: a non-empty list of areas is needed")
    else:
        seen: dict[str, str] = {}
        for number, raw in enumerate(raw_criteria, start=1):
            _read_node(raw, f"criteria[{number}]", None, 0, errors, nodes, seen)
        if nodes and not any(n.method not in ADJUSTMENTS for n in nodes if n.parent_code is None):
            errors.append("criteria: at least one scored area is needed")
    if errors:
        raise CriteriaError(errors)
    assert isinstance(year, int) and isinstance(kind, str)  # checked above: an error otherwise
    return SetSpec(
        year=year,
        kind=kind,
        name=name,
        source_note=str(data.get("source_note") or "").strip(),
        self_assessment_due=due,
        bands=bands,
        nodes=nodes,
        status=status,
    )


def _number_out(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def to_data(spec: SetSpec) -> dict:
    """The plain (YAML-ready) form of a set: the inverse of parse."""

    def node_data(node: Node) -> dict:
        out = {"code": node.code, "title": node.title, "maximum": _number_out(node.maximum)}
        parent_method = None
        if node.parent_code is not None:
            parent_method = next(n.method for n in spec.nodes if n.code == node.parent_code)
        if node.method and node.method != parent_method:
            out["method"] = node.method
        if node.cap is not None:
            out["cap"] = _number_out(node.cap)
        if node.source_key:
            out["source"] = node.source_key
        if node.mapping is not None:
            out["mapping"] = node.mapping
        if node.guidance:
            out["guidance"] = node.guidance
        if node.children:
            out["children"] = [node_data(child) for child in node.children]
        return out

    return {
        "year": spec.year,
        "kind": spec.kind,
        "name": spec.name,
        "status": spec.status,
        "source_note": spec.source_note,
        "self_assessment_due": spec.self_assessment_due.isoformat() if spec.self_assessment_due else None,
        "bands": [{"label": b["label"], "lower": _number_out(Decimal(str(b["lower"])))} for b in spec.bands],
        "criteria": [node_data(node) for node in spec.roots()],
    }


def leaves(spec: SetSpec) -> list[Node]:
    return [node for node in spec.nodes if not node.children]


def totals(spec: SetSpec) -> dict[str, Decimal]:
    """Points per method over the leaves outside bonuses and deductions (e.g. self-assessed 75, survey 25)."""
    result: dict[str, Decimal] = {}
    for node in leaves(spec):
        if node.method not in ADJUSTMENTS:
            result[node.method] = result.get(node.method, Decimal(0)) + node.maximum
    return result


# --- XLSX -------------------------------------------------------------------------------------------------------


def read_xlsx(source) -> dict:
    """The set's plain data from a workbook with sheets "set" (key, value), "bands" and "criteria" (one row per
    node, with its parent's code); each criterion remembers its row so errors name it."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 — any unreadable file is the user's error, said plainly
        raise CriteriaError([f"the file is not a readable XLSX workbook ({error})"]) from None
    missing = [name for name in ("set", "bands", "criteria") if name not in book.sheetnames]
    if missing:
        raise CriteriaError(
            [f"sheet {name!r}: missing (sheets set, bands and criteria are needed)" for name in missing]
        )
    data: dict = {}
    for row in book["set"].iter_rows(min_row=2, values_only=True):
        if row and row[0]:
            data[str(row[0]).strip()] = row[1] if len(row) > 1 else None
    if isinstance(data.get("year"), float | str):
        with contextlib.suppress(ValueError):
            data["year"] = int(data["year"])
    data["bands"] = [
        {"label": row[0], "lower": row[1]}
        for row in book["bands"].iter_rows(min_row=2, values_only=True)
        if row and row[0] not in (None, "")
    ]
    rows = book["criteria"].iter_rows(values_only=True)
    header = [str(cell or "").strip().lower() for cell in next(rows, ())]
    absent = [column for column in ("code", "parent", "title", "maximum", "method") if column not in header]
    if absent:
        raise CriteriaError([f"sheet 'criteria', row 1: columns missing: {', '.join(absent)}"])
    by_code: dict[str, dict] = {}
    roots: list[dict] = []
    errors: list[str] = []
    for number, row in enumerate(rows, start=2):
        values = dict(zip(header, row, strict=False))
        if not any(value not in (None, "") for value in values.values()):
            continue
        where = f"sheet 'criteria', row {number}"
        node: dict[str, Any] = {key: values.get(key) for key in CRITERIA_COLUMNS if key != "parent"}
        node["code"] = str(node["code"]).strip() if node["code"] is not None else ""
        node["_where"] = where
        node["children"] = []
        parent = str(values.get("parent") or "").strip()
        if parent:
            if parent not in by_code:
                errors.append(f"{where}: parent: {parent!r} is not a code on an earlier row")
                continue
            by_code[parent]["children"].append(node)
        else:
            roots.append(node)
        by_code.setdefault(node["code"], node)
    if errors:
        raise CriteriaError(errors)
    data["criteria"] = roots
    return data


def write_xlsx(spec: SetSpec) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "set"
    safe_append(sheet, ["key", "value"])
    for key in SET_KEYS:
        value = getattr(spec, key)
        safe_append(sheet, [key, value.isoformat() if isinstance(value, dt.date) else value])
    bands = book.create_sheet("bands")
    safe_append(bands, ["label", "lower"])
    for band in spec.bands:
        safe_append(bands, [band["label"], band["lower"]])
    rows = book.create_sheet("criteria")
    safe_append(rows, list(CRITERIA_COLUMNS))
    for node in spec.nodes:
        safe_append(
            rows,
            [
                node.code,
                node.parent_code or "",
                node.title,
                _number_out(node.maximum),
                node.method,
                _number_out(node.cap),
                node.source_key,
                json.dumps(node.mapping, ensure_ascii=False) if node.mapping is not None else "",
                node.guidance,
            ],
        )
    for column, width in zip("ABCDEFGHI", (10, 10, 70, 10, 14, 8, 24, 40, 60), strict=True):
        rows.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
