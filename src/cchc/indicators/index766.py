"""The Decision 766 index: points per sub-indicator, group and total (tthc-dossiers.md §6). No Django.

points = max × min(1, r / t), rounded half-up to 2 decimals per sub-indicator; a group's score is the sum
of its rounded points and its maximum the sum of the maxima of the sub-indicators present; total = sum
of the groups. A zero denominator scores by the metric's zero rule; a metric not reported for a unit is
not scored and leaves its maximum out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from importlib import resources
from typing import Any

import yaml

LEVELS = ("province", "district", "commune")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class MetricSpec:
    code: str
    group: str
    max: Decimal
    threshold: Decimal
    zero: str  # "zero" | "full"
    levels: tuple[str, ...]
    source: str  # dossiers | catalogue | entered
    metric: str | None
    name: str


@dataclass(frozen=True)
class Catalogue:
    version: str
    title: str
    groups: dict[str, dict]
    metrics: tuple[MetricSpec, ...]
    bands: tuple[tuple[str, str, Decimal], ...]  # (label, label_en, lower bound), top first
    valid_from: dt.date | None = None  # first day of the periods this version scores

    def band(self, total: Decimal) -> dict:
        for label, label_en, lower in self.bands:
            if total >= lower:
                return {"label": label, "label_en": label_en}
        return {"label": None, "label_en": None}

    def applies(self, code: str, level: str) -> bool:
        spec = self.by_code.get(code)
        return spec is not None and level in spec.levels

    @property
    def by_code(self) -> dict[str, MetricSpec]:
        return {m.code: m for m in self.metrics}


class CatalogueError(ValueError):
    pass


def parse_catalogue(data: dict) -> Catalogue:
    groups = {g["code"]: g for g in data["groups"]}
    metrics = []
    seen = set()
    for i, m in enumerate(data["metrics"]):
        where = f"metrics[{i}] ({m.get('code')})"
        if m["code"] in seen:
            raise CatalogueError(f"{where}: duplicate code")
        seen.add(m["code"])
        if m["group"] not in groups:
            raise CatalogueError(f"{where}.group: unknown group {m['group']!r}")
        if m["zero"] not in ("zero", "full"):
            raise CatalogueError(f"{where}.zero: must be 'zero' or 'full'")
        if not set(m["levels"]) <= set(LEVELS):
            raise CatalogueError(f"{where}.levels: unknown level in {m['levels']}")
        if not 0 < float(m["threshold"]) <= 1:
            raise CatalogueError(f"{where}.threshold: must be in (0, 1]")
        metrics.append(
            MetricSpec(
                code=m["code"],
                group=m["group"],
                max=Decimal(str(m["max"])),
                threshold=Decimal(str(m["threshold"])),
                zero=m["zero"],
                levels=tuple(m["levels"]),
                source=m["source"],
                metric=m.get("metric"),
                name=m.get("name", m["code"]),
            )
        )
    for code, group in groups.items():
        total = sum((m.max for m in metrics if m.group == code), Decimal(0))
        if total != Decimal(str(group["max"])):
            raise CatalogueError(f"groups ({code}): maxima of its metrics add up to {total}, not {group['max']}")
    bands = tuple(
        (b["label"], b.get("label_en", b["label"]), Decimal(str(b["min"])))
        for b in sorted(data["bands"], key=lambda b: -float(b["min"]))
    )
    valid_from = data.get("valid_from")
    if valid_from is not None and not isinstance(valid_from, dt.date):
        raise CatalogueError(f"valid_from: {valid_from!r} is not a date YYYY-MM-DD")
    return Catalogue(data["version"], data.get("title", ""), groups, tuple(metrics), bands, valid_from)


@cache
def catalogues() -> tuple[Catalogue, ...]:
    """Every shipped version (data/index766-*.yaml), oldest first."""
    folder = resources.files("cchc.indicators").joinpath("data")
    found = [
        parse_catalogue(yaml.safe_load(entry.read_text("utf-8")))
        for entry in folder.iterdir()
        if entry.name.startswith("index766-") and entry.name.endswith(".yaml")
    ]
    return tuple(sorted(found, key=lambda c: c.valid_from or dt.date.min))


@cache
def default_catalogue() -> Catalogue:
    """The 2023 version (the catalogue of the plan's year)."""
    return catalogue_named("2023")


def newest_catalogue() -> Catalogue:
    return catalogues()[-1]


def catalogue_named(name: str) -> Catalogue:
    """'2023' or '766-2023' → that version."""
    for catalogue in catalogues():
        if catalogue.version in (name, f"766-{name}"):
            return catalogue
    names = ", ".join(c.version.removeprefix("766-") for c in catalogues())
    raise ValueError(f"no 766 catalogue {name!r} (there are: {names})")


def catalogue_for(day: dt.date) -> Catalogue:
    """The version in force for a period that starts on `day`."""
    in_force = [c for c in catalogues() if (c.valid_from or dt.date.min) <= day]
    return in_force[-1] if in_force else catalogues()[0]


def _number(value: Any) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise ValueError(f"{value!r} is not a number")
    number = Decimal(str(value))
    if number < 0:
        raise ValueError(f"{value} is negative")
    return number


def score_metric(spec: MetricSpec, value: dict) -> dict | None:
    """Points of one sub-indicator; None when nothing usable was reported (not scored)."""
    numerator, denominator = _number(value.get("numerator")), _number(value.get("denominator"))
    if numerator is not None and denominator is not None:
        if denominator == 0:
            points = spec.max if spec.zero == "full" else Decimal(0)
            return {"ratio": None, "score": float(points.quantize(CENT)), "max": float(spec.max), "no_data": True}
        if numerator > denominator:
            raise ValueError(f"{spec.code}: numerator {numerator} exceeds denominator {denominator}")
        ratio = numerator / denominator
    else:
        percent = _number(value.get("ratio"))
        if percent is None:
            return None
        if percent > 100:
            raise ValueError(f"{spec.code}: ratio {percent} is above 100 percent")
        ratio = percent / 100
    points = (spec.max * min(Decimal(1), ratio / spec.threshold)).quantize(CENT, rounding=ROUND_HALF_UP)
    return {"ratio": float(ratio * 100), "score": float(points), "max": float(spec.max), "no_data": False}


def score_unit(level: str | None, metrics: dict[str, dict], catalogue: Catalogue | None = None) -> dict:
    """Score one unit: {"total", "max", "band", "groups": {code: {score, max}}, "metrics": {code: {...}}}.

    Every metric given is scored, whatever the level (the level only decides which metrics the engine computes
    from records: `queries.metrics766` leaves the others null, and null metrics are not given)."""
    catalogue = catalogue or default_catalogue()
    if level not in LEVELS:
        raise ValueError(f"level {level!r} is not one of {', '.join(LEVELS)}")
    scored: dict[str, dict] = {}
    groups: dict[str, dict[str, Decimal]] = {}
    for spec in catalogue.metrics:
        if spec.code not in metrics:
            continue
        result = score_metric(spec, metrics[spec.code] or {})
        if result is None:
            continue
        scored[spec.code] = result
        group = groups.setdefault(spec.group, {"score": Decimal(0), "max": Decimal(0)})
        group["score"] += Decimal(str(result["score"]))
        group["max"] += spec.max
    total = sum((g["score"] for g in groups.values()), Decimal(0))
    band = catalogue.band(total) if groups else {"label": None, "label_en": None}
    return {
        "total": float(total),
        "max": float(sum((g["max"] for g in groups.values()), Decimal(0))),
        "band": band["label"],
        "band_en": band["label_en"],
        "catalogue": catalogue.version,
        "groups": {code: {"score": float(g["score"]), "max": float(g["max"])} for code, g in groups.items()},
        "metrics": {code: {"ratio": m["ratio"], "score": m["score"], "max": m["max"]} for code, m in scored.items()},
    }


def score_document(document: dict, catalogue: Catalogue | None = None) -> dict:
    """The `cchc score766` contract: {"units": [{"id", "level", "metrics"}]} → {"units": [...]}; the newest
    catalogue unless one is given."""
    catalogue = catalogue or newest_catalogue()
    if not isinstance(document, dict) or not isinstance(document.get("units"), list):
        raise ValueError('the input must be an object with a list "units"')
    results = []
    for i, unit in enumerate(document["units"]):
        where = f"units[{i}]" + (f" (id {unit.get('id')})" if isinstance(unit, dict) else "")
        try:
            if not isinstance(unit, dict):
                raise ValueError("must be an object")
            scored = score_unit(unit.get("level"), unit.get("metrics") or {}, catalogue)
        except (ValueError, ArithmeticError) as exc:
            raise ValueError(f"{where}: {exc}") from None
        results.append({"id": unit.get("id"), **scored})
    return {"units": results}
