"""Everything the unit metrics page and its XLSX export show, gathered in a few queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Max

from cchc.indicators.index766 import catalogue_for
from cchc.indicators.metrics import SECOND_MEASURE, TARGET_METRICS, ratio
from cchc.indicators.models import IndicatorValue
from cchc.indicators.periods import parse_period
from cchc.indicators.queries import entered_many, figures_many, index766, metrics766
from cchc.plans.models import Plan, Target, Threshold
from cchc.plans.thresholds import describe, for_level, is_intermediate, limit_on, verdict
from cchc.units.models import Unit, UnitKind

LEVEL_ROWS = ("P", "D", "C")


@dataclass
class TargetRow:
    code: str
    name: str
    metric: str
    level: str  # all, P, D, C
    numerator: int
    denominator: int
    threshold: Threshold | None
    measure: str = ""
    target: Target | None = None
    on: dt.date | None = None  # the period's last day: what the threshold is judged on

    @property
    def ratio(self) -> float | None:
        return ratio(self.numerator, self.denominator)

    @property
    def limit(self) -> float | None:
        """The value to reach at the period's end (the path point of a multi-year goal): cchc.plans.thresholds."""
        if self.threshold is None or self.target is None or self.on is None:
            return None
        return limit_on(self.target, self.threshold, self.on)

    @property
    def limit_display(self) -> str:
        if self.threshold is None or self.target is None or self.on is None:
            return ""
        return describe(self.target, self.threshold, self.on)

    @property
    def is_intermediate(self) -> bool:
        return bool(self.target and self.on and is_intermediate(self.target, self.on.year))

    @property
    def met(self) -> bool | None:
        if self.target is None or self.on is None:
            return None
        return verdict(self.target, self.threshold, self.ratio, self.on)


@dataclass
class ChildRow:
    unit: Unit
    accepted: int
    on_time: float | None
    online: float | None
    routed: float | None
    index: dict


@dataclass
class Overview:
    unit: Unit
    period: str
    plan: Plan | None
    targets: list[TargetRow]
    metrics766: list[dict]
    index766: dict
    children: list[ChildRow]
    accepted: int
    processed: int
    computed_at: object
    groups: list[dict] = field(default_factory=list)


def _threshold_for(target: Target | None, unit: Unit, level: str, present: list[str]) -> Threshold | None:
    if target is None:
        return None
    by_level = {t.level: t for t in target.thresholds.all()}
    if level != "all":
        return by_level.get(level)
    if unit.kind == UnitKind.PROVINCE:
        return for_level(by_level, "all")  # the one whole-province rule
    # A district's own dossiers and its communes' together: judged only when every level asks the same.
    candidates = [by_level.get(lv) for lv in present]
    if candidates and all(c is not None for c in candidates):
        values = {(c.op, c.value) for c in candidates}
        if len(values) == 1:
            return candidates[0]
    return None


def build(unit: Unit, period: str) -> Overview:
    year = parse_period(period).start.year
    period_end = parse_period(period).end
    children = list(unit.children.order_by("kind", "sort_order", "code"))
    ids = [unit.pk, *(c.pk for c in children)]
    stored_all = figures_many(ids, period)
    entered_all = entered_many(ids, period)
    stored = stored_all.get(unit.pk, {})
    plan = (
        Plan.objects.filter(year=year).exclude(status=Plan.Status.DRAFT).first()
        or Plan.objects.filter(year=year).first()
    )
    targets = {}
    if plan:
        targets = {t.code: t for t in plan.targets.filter(code__in=TARGET_METRICS).prefetch_related("thresholds")}
    rows: list[TargetRow] = []
    for code, metric in TARGET_METRICS.items():
        target = targets.get(code)
        by_level = stored.get(metric, {})
        present = [lv for lv in LEVEL_ROWS if lv in by_level]
        name = target.display_name if target else code
        for level in ["all", *present] if len(present) > 1 else ["all"]:
            n, d = by_level.get(level, (0, 0))
            judged_level = present[0] if level == "all" and len(present) == 1 else level
            rows.append(
                TargetRow(
                    code,
                    name,
                    metric,
                    level,
                    n,
                    d,
                    _threshold_for(target, unit, judged_level, present),
                    "survey" if code in SECOND_MEASURE else "",
                    target,
                    period_end,
                )
            )
        if code in SECOND_MEASURE:
            n, d = stored.get(SECOND_MEASURE[code], {}).get("all", (0, 0))
            rows.append(
                TargetRow(
                    code,
                    name,
                    SECOND_MEASURE[code],
                    "all",
                    n,
                    d,
                    _threshold_for(target, unit, present[0] if len(present) == 1 else "all", present),
                    "766",
                    target,
                    period_end,
                )
            )
    metrics = metrics766(unit, period, stored, entered_all.get(unit.pk, {}))
    index = index766(unit, period, metrics)
    catalogue = catalogue_for(parse_period(period).start)
    metric_rows = []
    for spec in catalogue.metrics:
        value = metrics[spec.code]
        scored = index["metrics"].get(spec.code)
        metric_rows.append({"spec": spec, "value": value, "scored": scored})
    groups = [
        {"code": code, "name": g["name"], "name_en": g.get("name_en", ""), **index["groups"].get(code, {})}
        for code, g in catalogue.groups.items()
    ]
    child_rows = []
    for child in children:
        child_stored = stored_all.get(child.pk, {})

        def all_level(metric: str, source: dict = child_stored) -> tuple[int, int]:
            return source.get(metric, {}).get("all", (0, 0))

        child_metrics = metrics766(child, period, child_stored, entered_all.get(child.pk, {}))
        child_rows.append(
            ChildRow(
                unit=child,
                accepted=all_level("ACCEPTED")[1],
                on_time=ratio(*all_level("PROCESSING_ON_TIME")),
                online=ratio(*all_level("ONLINE_SUBMISSION")),
                routed=ratio(*all_level("ROUTED_ELECTRONICALLY")),
                index=index766(child, period, child_metrics),
            )
        )
    computed_at = IndicatorValue.objects.filter(unit=unit, period=period).aggregate(at=Max("computed_at"))["at"]
    return Overview(
        unit=unit,
        period=period,
        plan=plan,
        targets=rows,
        metrics766=metric_rows,
        index766=index,
        children=child_rows,
        accepted=stored.get("ACCEPTED", {}).get("all", (0, 0))[1],
        processed=stored.get("PROCESSING_ON_TIME", {}).get("all", (0, 0))[1],
        computed_at=computed_at,
        groups=groups,
    )
