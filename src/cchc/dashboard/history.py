"""The dashboard's comparison of the year shown with the years before it, on the unit shown as it is now.

After the 2025 reorganisation the units of 2026 did not exist in 2023–2025: their earlier figures are those of their
predecessors, re-based onto them (cchc.indicators.rebase: sums of the predecessors' numerators and denominators,
weighted by split shares) and marked as reconstructed, with the units they came from. One re-based series call per
level shown (a fixed number of queries, whatever the number of units, years or targets); never an average of ratios.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cchc.indicators.metrics import TARGET_METRICS
from cchc.indicators.periods import parse_period
from cchc.indicators.rebase import series
from cchc.units.models import Unit

FIRST_YEAR = 2023  # the first year the system holds figures for (the 2023 plan)


@dataclass
class YearValue:
    year: int
    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    reconstructed: bool = False
    sources: list[Unit] = field(default_factory=list)


@dataclass
class HistoryRow:
    code: str
    name: str
    level: str  # the value level: P, D, C, all
    years: list[YearValue]

    @property
    def any_reconstructed(self) -> bool:
        return any(y.reconstructed for y in self.years)


@dataclass
class History:
    years: list[int]
    rows: list[HistoryRow]
    sources: dict[int, list[Unit]]  # year → the units whose figures were re-based onto the unit


def compare(unit: Unit, year: int, targets, value_levels: list[str]) -> History | None:
    """Each dossier target of `targets` at each value level, for FIRST_YEAR … `year` on `unit`; None before 2024."""
    if year <= FIRST_YEAR:
        return None
    years = list(range(FIRST_YEAR, year + 1))
    periods = [parse_period(str(y)) for y in years]
    computed = [t for t in targets if t.code in TARGET_METRICS]
    metrics = sorted({TARGET_METRICS[t.code] for t in computed})
    if not metrics:
        return None
    rows, sources = [], {}
    for level in value_levels:
        points = series(unit, metrics, periods, level=level)
        for target in computed:
            by_year = {int(p.period): p for p in points[TARGET_METRICS[target.code]]}
            cells = []
            for y in years:
                point = by_year.get(y)
                if point is None:
                    cells.append(YearValue(y, None))
                    continue
                ratio = float(point.ratio * 100) if point.ratio is not None else None
                units = [u for u, _weight in point.sources if u.pk != unit.pk]
                cells.append(
                    YearValue(y, ratio, float(point.numerator), float(point.denominator), point.reconstructed, units)
                )
                if point.reconstructed:
                    known = sources.setdefault(y, [])
                    known.extend(u for u in units if u not in known)
            if any(c.value is not None for c in cells):
                rows.append(HistoryRow(target.code, target.display_name, level, cells))
    order = {t.code: i for i, t in enumerate(computed)}
    rows.sort(key=lambda r: (order[r.code], ("P", "D", "C", "all").index(r.level)))
    return History(years, rows, sources)
