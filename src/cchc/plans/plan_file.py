"""The plan data file: parse and validate it, with errors naming the entry and the field.

Plain Python (no Django): the loader in `loading.py` writes a validated `PlanSpec` to the database.
The file format is versioned (`format_version`); see `data/plan-2023.yaml` for the shipped plan.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import yaml

FORMAT = "cchc-plan"
# Version 2 adds each target's `source`: where its value comes from (version 1 files load with source "none").
FORMAT_VERSIONS = {1, 2}

LEVELS = ("P", "D", "C", "province")
OPERATORS = (">=", "<=", "=")
# Allowed value range of a threshold per unit of measure (None = unbounded).
THRESHOLD_UNITS: dict[str, tuple[float, float | None]] = {
    "percent": (0.0, 100.0),
    "percent_reduction": (0.0, 100.0),
    "boolean": (0.0, 1.0),
    "count": (0.0, None),
}
TARGET_KINDS = ("quantitative", "qualitative", "multi_year")
# Where a target's value comes from (see README "Where each target's value comes from"):
SOURCE_KINDS = ("dossiers", "catalogue", "reports", "agency_plans", "survey", "baseline", "entered", "none")
# Report periods an entered value may be due for (cchc.reports.models.PeriodKind).
DUE_PERIODS = ("Q1", "H1", "Q3", "Y")
# Tokens that stand for every unit of a kind in a task's list of agencies.
AGENCY_GROUPS = {"@departments": "department", "@districts": "district", "@communes": "commune"}


class PlanFileError(Exception):
    """The file was rejected; `errors` lists every problem found, each naming its entry and field."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass(frozen=True)
class ThresholdSpec:
    level: str
    op: str
    value: float
    unit: str


@dataclass(frozen=True)
class LegalBasisSpec:
    number: str
    kind: str
    issuer: str
    date: dt.date | None
    title: str


@dataclass(frozen=True)
class AreaSpec:
    number: int
    name: str
    name_en: str
    monitor: str


@dataclass(frozen=True)
class SourceSpec:
    """Where a target's value comes from; `responsible` (a unit code, the area's monitor by default) and `due`
    (report periods) matter for entered values and baselines, `detail` names the metric, statistic or survey."""

    kind: str = "none"
    responsible: str | None = None
    due: tuple[str, ...] = ()
    detail: str = ""


@dataclass(frozen=True)
class TargetSpec:
    code: str
    area: int
    name: str
    name_en: str
    kind: str
    thresholds: tuple[ThresholdSpec, ...]
    deadline: dt.date
    baseline_year: int | None
    final_year: int
    source_text: str
    note: str
    source: SourceSpec = SourceSpec()


@dataclass(frozen=True)
class TaskSpec:
    code: str
    area: int
    label: str
    text: str
    agencies: tuple[str, ...]
    monitor: str
    due: dt.date
    recurring: bool


@dataclass
class PlanSpec:
    year: int
    province: str
    title: str
    issuer: str
    document_number: str
    issued_on: dt.date | None
    signer: str
    signer_title: str
    agency_plan_deadline: dt.date | None
    source: str
    legal_bases: list[LegalBasisSpec] = field(default_factory=list)
    areas: list[AreaSpec] = field(default_factory=list)
    targets: list[TargetSpec] = field(default_factory=list)
    tasks: list[TaskSpec] = field(default_factory=list)


def read_plan_file(text: str, known_units: set[str]) -> PlanSpec:
    """Parse YAML (or JSON) text and validate it against the known unit codes."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise PlanFileError([f"{where}not valid YAML/JSON ({getattr(exc, 'problem', exc)})"]) from None
    return validate_plan(data, known_units)


class _Checker:
    """Collects errors while reading fields, so one run reports every problem of the file."""

    def __init__(self):
        self.errors: list[str] = []

    def error(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}")

    def get(self, entry: dict, key: str, where: str, kind: type | tuple, required: bool = True, default=None):
        if not isinstance(entry, dict):
            self.error(where, "must be a mapping")
            return default
        value = entry.get(key)
        if value is None:
            if required:
                self.error(f"{where}.{key}", "is required")
            return default
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if kind is str and isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            names = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
            self.error(f"{where}.{key}", f"{value!r} is not a {names}")
            return default
        return value

    def date(self, entry: dict, key: str, where: str, required: bool = True) -> dt.date | None:
        value = entry.get(key) if isinstance(entry, dict) else None
        if value is None:
            if required:
                self.error(f"{where}.{key}", "is required")
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.error(f"{where}.{key}", f"{value!r} is not a date in the form YYYY-MM-DD")
            return None

    def items(self, data: dict, key: str, where: str) -> list:
        value = data.get(key) if isinstance(data, dict) else None
        if not isinstance(value, list) or not value:
            self.error(f"{where}{key}", "must be a non-empty list")
            return []
        return value


def _label(section: str, index: int, entry: Any) -> str:
    code = entry.get("code") if isinstance(entry, dict) else None
    if code is None and isinstance(entry, dict):
        code = entry.get("number")
    return f'{section}[{index}] (code "{code}")' if code is not None else f"{section}[{index}]"


def _source(c: _Checker, entry: Any, where: str, version: Any, monitor: str | None, check_unit) -> SourceSpec:
    """The target's `source` (required from format version 2; version 1 files have none)."""
    raw = entry.get("source") if isinstance(entry, dict) else None
    if raw is None:
        if version != 1:
            c.error(f"{where}.source", "is required (format version 2)")
        return SourceSpec()
    s_where = f"{where}.source"
    kind = c.get(raw, "kind", s_where, str, default="none")
    if kind not in SOURCE_KINDS:
        c.error(f"{s_where}.kind", f"{kind!r} is not one of {', '.join(SOURCE_KINDS)}")
    responsible = c.get(raw, "responsible", s_where, str, required=False)
    check_unit(responsible, f"{s_where}.responsible")
    due = c.get(raw, "due", s_where, list, required=False, default=[])
    for j, period in enumerate(due):
        if period not in DUE_PERIODS:
            c.error(f"{s_where}.due[{j}]", f"{period!r} is not one of {', '.join(DUE_PERIODS)}")
    if kind in ("entered", "baseline") and not due:
        c.error(f"{s_where}.due", f"a target whose source is {kind!r} needs the periods it is due (e.g. [Y])")
    return SourceSpec(
        kind=kind,
        responsible=responsible or (monitor if kind in ("entered", "baseline", "survey") else None),
        due=tuple(p for p in due if p in DUE_PERIODS),
        detail=c.get(raw, "detail", s_where, str, required=False, default=""),
    )


def validate_plan(data: Any, known_units: set[str]) -> PlanSpec:
    c = _Checker()
    if not isinstance(data, dict):
        raise PlanFileError(["file: must be a mapping with plan, areas, targets and tasks"])
    if data.get("format") != FORMAT:
        c.error("format", f"must be '{FORMAT}', got {data.get('format')!r}")
    if data.get("format_version") not in FORMAT_VERSIONS:
        c.error(
            "format_version",
            f"{data.get('format_version')!r} is not supported (known: {sorted(FORMAT_VERSIONS)})",
        )

    plan = data.get("plan") or {}
    year = c.get(plan, "year", "plan", int)
    province = c.get(plan, "province", "plan", str)
    if province is not None and province not in known_units:
        c.error("plan.province", f"unknown unit code {province!r}")
    spec = PlanSpec(
        year=year,
        province=province,
        title=c.get(plan, "title", "plan", str) or "",
        issuer=c.get(plan, "issuer", "plan", str, required=False, default=""),
        document_number=c.get(plan, "document_number", "plan", str, required=False, default=""),
        issued_on=c.date(plan, "issued_on", "plan", required=False),
        signer=c.get(plan, "signer", "plan", str, required=False, default=""),
        signer_title=c.get(plan, "signer_title", "plan", str, required=False, default=""),
        agency_plan_deadline=c.date(plan, "agency_plan_deadline", "plan", required=False),
        source=c.get(plan, "source", "plan", str, required=False, default=""),
    )
    for i, entry in enumerate(plan.get("legal_bases") or []):
        where = f"plan.legal_bases[{i}]"
        spec.legal_bases.append(
            LegalBasisSpec(
                number=c.get(entry, "number", where, str) or "",
                kind=c.get(entry, "kind", where, str, required=False, default=""),
                issuer=c.get(entry, "issuer", where, str, required=False, default=""),
                date=c.date(entry, "date", where, required=False),
                title=c.get(entry, "title", where, str, required=False, default=""),
            )
        )

    def check_unit(code: str | None, where: str) -> None:
        if code is not None and code not in known_units:
            c.error(where, f"unknown agency code {code!r}")

    area_monitors: dict[int, str] = {}
    for i, entry in enumerate(c.items(data, "areas", "")):
        where = _label("areas", i, entry)
        number = c.get(entry, "number", where, int)
        monitor = c.get(entry, "monitor", where, str)
        check_unit(monitor, f"{where}.monitor")
        if number is not None:
            if number in area_monitors:
                c.error(f"{where}.number", f"duplicate area number {number}")
            area_monitors[number] = monitor
        spec.areas.append(
            AreaSpec(
                number=number,
                name=c.get(entry, "name", where, str) or "",
                name_en=c.get(entry, "name_en", where, str, required=False, default=""),
                monitor=monitor,
            )
        )

    def check_area(entry: dict, where: str) -> int | None:
        area = c.get(entry, "area", where, int)
        if area is not None and area not in area_monitors:
            c.error(f"{where}.area", f"unknown area {area} (areas: {sorted(area_monitors)})")
        return area

    seen_targets: set[str] = set()
    for i, entry in enumerate(c.items(data, "targets", "")):
        where = _label("targets", i, entry)
        code = c.get(entry, "code", where, str)
        if code in seen_targets:
            c.error(f"{where}.code", f"duplicate target code {code!r}")
        seen_targets.add(code)
        area = check_area(entry, where)
        kind = c.get(entry, "kind", where, str, required=False, default="quantitative")
        if kind not in TARGET_KINDS:
            c.error(f"{where}.kind", f"{kind!r} is not one of {', '.join(TARGET_KINDS)}")
        thresholds = []
        seen_levels: set[str] = set()
        for j, raw in enumerate(c.items(entry, "thresholds", f"{where}.") if isinstance(entry, dict) else []):
            t_where = f"{where}.thresholds[{j}]"
            level = c.get(raw, "level", t_where, str)
            op = c.get(raw, "op", t_where, str)
            value = c.get(raw, "value", t_where, float)
            unit = c.get(raw, "unit", t_where, str)
            if level is not None and level not in LEVELS:
                c.error(f"{t_where}.level", f"{level!r} is not one of {', '.join(LEVELS)}")
            if level in seen_levels:
                c.error(f"{t_where}.level", f"duplicate threshold for level {level}")
            seen_levels.add(level)
            if op is not None and op not in OPERATORS:
                c.error(f"{t_where}.op", f"{op!r} is not one of {', '.join(OPERATORS)}")
            if unit is not None and unit not in THRESHOLD_UNITS:
                c.error(f"{t_where}.unit", f"{unit!r} is not one of {', '.join(THRESHOLD_UNITS)}")
            elif unit is not None and value is not None:
                low, high = THRESHOLD_UNITS[unit]
                if value < low or (high is not None and value > high):
                    upper = "∞" if high is None else f"{high:g}"
                    c.error(f"{t_where}.value", f"{value:g} is out of range {low:g}–{upper} for unit {unit}")
            thresholds.append(ThresholdSpec(level=level, op=op, value=value, unit=unit))
        deadline = c.date(entry, "deadline", where)
        baseline_year = c.get(entry, "baseline_year", where, int, required=False)
        final_year = c.get(entry, "final_year", where, int, required=False, default=deadline.year if deadline else None)
        if baseline_year is not None and final_year is not None and baseline_year >= final_year:
            c.error(f"{where}.baseline_year", f"{baseline_year} must be before the final year {final_year}")
        monitor = area_monitors.get(area) if area is not None else None
        source = _source(c, entry, where, data.get("format_version"), monitor, check_unit)
        if area is None or deadline is None:
            continue  # the error is recorded: the file is refused
        spec.targets.append(
            TargetSpec(
                code=code,
                area=area,
                name=c.get(entry, "name", where, str) or "",
                name_en=c.get(entry, "name_en", where, str, required=False, default=""),
                kind=kind,
                thresholds=tuple(thresholds),
                deadline=deadline,
                baseline_year=baseline_year,
                final_year=final_year,
                source_text=c.get(entry, "source_text", where, str, required=False, default=""),
                note=c.get(entry, "note", where, str, required=False, default=""),
                source=source,
            )
        )

    seen_tasks: set[str] = set()
    for i, entry in enumerate(c.items(data, "tasks", "")):
        where = _label("tasks", i, entry)
        code = c.get(entry, "code", where, str)
        if code in seen_tasks or code in seen_targets:
            c.error(f"{where}.code", f"duplicate code {code!r}")
        seen_tasks.add(code)
        area = check_area(entry, where)
        agencies = c.get(entry, "agencies", where, list, default=[])
        if isinstance(entry, dict) and "agencies" in entry and not agencies:
            c.error(f"{where}.agencies", "must name at least one agency or group")
        for j, agency in enumerate(agencies):
            if not isinstance(agency, str):
                c.error(f"{where}.agencies[{j}]", f"{agency!r} is not an agency code")
            elif agency.startswith("@"):
                if agency not in AGENCY_GROUPS:
                    c.error(f"{where}.agencies[{j}]", f"unknown group {agency!r} ({', '.join(AGENCY_GROUPS)})")
            else:
                check_unit(agency, f"{where}.agencies[{j}]")
        area_monitor = area_monitors.get(area) if area is not None else None
        monitor = c.get(entry, "monitor", where, str, required=False, default=area_monitor)
        check_unit(monitor, f"{where}.monitor")
        recurring = entry.get("recurring", False) if isinstance(entry, dict) else False
        if not isinstance(recurring, bool):
            c.error(f"{where}.recurring", f"{recurring!r} is not true or false")
        due = c.date(entry, "due", where, required=False) or (dt.date(year, 12, 31) if year else None)
        if area is None or due is None:
            continue  # the error is recorded: the file is refused
        spec.tasks.append(
            TaskSpec(
                code=code,
                area=area,
                label=c.get(entry, "label", where, str, required=False, default=""),
                text=c.get(entry, "text", where, str) or "",
                agencies=tuple(a for a in agencies if isinstance(a, str)),
                monitor=monitor,
                due=due,
                recurring=bool(recurring),
            )
        )

    if year is not None:
        for target in spec.targets:
            if target.deadline and target.deadline.year < year:
                c.error(
                    f'targets (code "{target.code}").deadline',
                    f"{target.deadline} is before the plan year {year}",
                )
    if c.errors:
        raise PlanFileError(c.errors)
    return spec
