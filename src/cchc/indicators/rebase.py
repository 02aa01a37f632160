"""Comparable series across the reorganisation: a unit's figures per period, re-based onto it from its
predecessors for the periods before it existed.

For a period the unit covered whole, the figure is its own stored one (rolled up along the hierarchy valid in that
period). For a period (partly) before the unit existed, the figure is the sum of the numerators and of the
denominators of every predecessor that existed in the period (followed back through the unit events), each
weighted by the part of its figures the unit took over (1 on a merger; on a split the successor's share, or 1 for
the declared default successor), plus the unit's own figures of the part of the period it existed. Such figures
are marked as reconstructed and list their sources. Ratios are never averaged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from cchc.indicators.models import IndicatorValue
from cchc.indicators.periods import Period
from cchc.units.lineage import load_graph, predecessors
from cchc.units.models import Unit


@dataclass
class SeriesPoint:
    period: str
    numerator: Decimal
    denominator: Decimal
    reconstructed: bool
    sources: list[tuple[Unit, Decimal]] = field(default_factory=list)  # (unit, weight) behind the figure

    @property
    def ratio(self) -> Decimal | None:
        return self.numerator / self.denominator if self.denominator else None


def series(unit: Unit, metrics: list[str], periods: list[Period], level: str = "all") -> dict[str, list[SeriesPoint]]:
    """{metric: [SeriesPoint per period]} for `unit`; periods without any figure are left out."""
    plan: dict[str, dict[int, Decimal]] = {}
    graph = load_graph()
    for period in periods:
        weights = {} if period.end < unit.valid_from else {unit.pk: Decimal(1)}
        if unit.valid_from > period.start:
            for pk, weight in predecessors(unit, period.start, period.end, graph).items():
                weights[pk] = weights.get(pk, Decimal(0)) + weight
        plan[period.code] = weights
    unit_ids = {pk for weights in plan.values() for pk in weights}
    rows = IndicatorValue.objects.filter(
        unit_id__in=unit_ids, period__in=list(plan), level=level, metric__in=metrics
    ).values_list("unit_id", "period", "metric", "numerator", "denominator")
    stored = {(u, p, m): (n, d) for u, p, m, n, d in rows}
    units = Unit.objects.in_bulk(unit_ids)
    result: dict[str, list[SeriesPoint]] = {m: [] for m in metrics}
    for period in periods:
        weights = plan[period.code]
        reconstructed = unit.valid_from > period.start
        for metric in metrics:
            numerator = denominator = Decimal(0)
            sources = []
            for pk, weight in sorted(weights.items()):
                value = stored.get((pk, period.code, metric))
                if value is None or not weight:
                    continue
                numerator += weight * value[0]
                denominator += weight * value[1]
                sources.append((units[pk], weight))
            if sources:
                result[metric].append(SeriesPoint(period.code, numerator, denominator, reconstructed, sources))
    return result
