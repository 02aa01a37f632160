"""Criteria sets in the database: load a validated set, read it back as data, copy a year's sets as drafts."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path

import yaml
from django.db import transaction

from cchc.scoring import criteria
from cchc.scoring.models import CriteriaSet, Criterion
from cchc.scoring.workflow import ScoringError
from cchc.units.models import Unit


def _adjustment_root(node: criteria.Node, by_code: dict[str, criteria.Node]) -> str:
    root = node
    while root.parent_code and by_code[root.parent_code].method in criteria.ADJUSTMENTS:
        root = by_code[root.parent_code]
    return root.code if root.method in criteria.ADJUSTMENTS else ""


def _area(node: criteria.Node, by_code: dict[str, criteria.Node]) -> str:
    while node.parent_code:
        node = by_code[node.parent_code]
    return node.code


@transaction.atomic
def load(spec: criteria.SetSpec, *, replace: bool = False) -> CriteriaSet:
    """Write the set; an existing set of the same year and kind is replaced only when asked and never once a unit
    has started its assessment on it (its scores point at the criteria)."""
    existing = CriteriaSet.objects.filter(year=spec.year, kind=spec.kind).first()
    if existing is not None:
        if not replace:
            raise ScoringError(f"a {spec.kind} set for {spec.year} exists already (replace it explicitly)")
        if existing.assessments.exists():
            raise ScoringError(f"the {spec.kind} set for {spec.year} is in use by assessments; it cannot be replaced")
        existing.criteria.all().delete()
        criteria_set = existing
    else:
        criteria_set = CriteriaSet(year=spec.year, kind=spec.kind)
    criteria_set.name = spec.name
    criteria_set.status = spec.status
    criteria_set.source_note = spec.source_note
    criteria_set.bands = spec.bands
    criteria_set.self_assessment_due = spec.self_assessment_due
    criteria_set.save()
    by_code = {node.code: node for node in spec.nodes}
    created: dict[str, Criterion] = {}
    for node in spec.nodes:  # parents come before their children
        created[node.code] = Criterion.objects.create(
            criteria_set=criteria_set,
            parent=created.get(node.parent_code) if node.parent_code else None,
            code=node.code,
            title=node.title,
            guidance=node.guidance,
            maximum=node.maximum,
            method=node.method,
            cap=node.cap,
            source_key=node.source_key,
            mapping=node.mapping,
            order=node.order,
            depth=node.depth,
            is_leaf=not node.children,
            area_code=_area(node, by_code),
            adjustment_code=_adjustment_root(node, by_code),
        )
    return criteria_set


def spec_of(criteria_set: CriteriaSet) -> criteria.SetSpec:
    """The set as it is stored, in the validated form (for export and copy)."""
    rows = list(criteria_set.criteria.select_related("parent").order_by("order"))
    nodes: dict[int, criteria.Node] = {}
    ordered = []
    for row in rows:
        node = criteria.Node(
            code=row.code,
            title=row.title,
            maximum=row.maximum,
            method=row.method,
            guidance=row.guidance,
            cap=row.cap,
            source_key=row.source_key,
            mapping=row.mapping,
            parent_code=row.parent.code if row.parent else None,
            depth=row.depth,
            order=row.order,
        )
        nodes[row.pk] = node
        ordered.append(node)
        if row.parent_id:
            nodes[row.parent_id].children.append(node)
    return criteria.SetSpec(
        year=criteria_set.year,
        kind=criteria_set.kind,
        name=criteria_set.name,
        source_note=criteria_set.source_note,
        self_assessment_due=criteria_set.self_assessment_due,
        bands=list(criteria_set.bands),
        nodes=ordered,
        status=criteria_set.status,
    )


def read_file(path: str | Path) -> criteria.SetSpec:
    """Read and validate a YAML or XLSX file (CriteriaError lists every problem)."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        return criteria.parse(criteria.read_xlsx(path))
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as error:
            raise criteria.CriteriaError([f"{path.name}: not valid YAML ({error})"]) from None
        return criteria.parse(data)
    raise criteria.CriteriaError([f"{path.name}: a .yaml, .yml or .xlsx file is needed"])


def export(criteria_set: CriteriaSet, fmt: str) -> bytes:
    spec = spec_of(criteria_set)
    if fmt == "xlsx":
        return criteria.write_xlsx(spec)
    if fmt == "yaml":
        text = yaml.safe_dump(criteria.to_data(spec), allow_unicode=True, sort_keys=False, width=120)
        return text.encode("utf-8")
    raise ValueError(f"unknown format {fmt!r}: yaml or xlsx")


def _next_year(day: dt.date | None, years: int) -> dt.date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def copy(from_year: int, to_year: int, skipped: list[str] | None = None) -> list[CriteriaSet]:
    """Copy every set of `from_year` to `to_year` as drafts (deadlines moved by the same number of years).

    A set for a kind of unit that no longer exists in `to_year` (districts after July 2025) is not copied; its kind
    is added to `skipped`."""
    sources = list(CriteriaSet.objects.filter(year=from_year).order_by("kind"))
    if not sources:
        raise ScoringError(f"there is no criteria set for {from_year}")
    in_year = set(Unit.objects.valid_on(dt.date(to_year, 1, 1)).values_list("kind", flat=True)) | set(
        Unit.objects.valid_on(dt.date(to_year, 12, 31)).values_list("kind", flat=True)
    )
    if in_year:
        gone = [s.kind for s in sources if s.kind not in in_year]
        if skipped is not None:
            skipped.extend(gone)
        sources = [s for s in sources if s.kind in in_year]
    clashes = CriteriaSet.objects.filter(year=to_year, kind__in=[s.kind for s in sources]).values_list(
        "kind", flat=True
    )
    if clashes:
        raise ScoringError(f"{to_year} already has sets for: {', '.join(sorted(clashes))}")
    copies = []
    for source in sources:
        spec = spec_of(source)
        spec.year = to_year
        spec.status = "draft"
        spec.self_assessment_due = _next_year(spec.self_assessment_due, to_year - from_year)
        copies.append(load(criteria.parse(criteria.to_data(spec))))
    return copies


def default_files() -> list[Path]:
    folder = resources.files("cchc.scoring") / "data"
    return sorted(Path(str(item)) for item in folder.iterdir() if item.name.endswith(".yaml"))


def load_defaults() -> list[CriteriaSet]:
    """Load the shipped default sets that are not in the database yet (idempotent)."""
    loaded = []
    for path in default_files():
        spec = read_file(path)
        if not CriteriaSet.objects.filter(year=spec.year, kind=spec.kind).exists():
            loaded.append(load(spec))
    return loaded
