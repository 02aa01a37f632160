"""Everything the province dashboard shows, gathered in a constant number of queries.

Each target's value per level comes from cchc.targets.queries.target_values — the one function the scorecards, the
generated report and `cchc targets` use too — from the source the plan declares for it (dossiers, the procedure
catalogue, accepted reports, the agency-plan workflow, a survey, a baseline, or a value entered with evidence). For
dossier targets the board adds the monthly values for the trend and the year-end projection.

The at-risk list projects every target × unit below the selected one (departments and districts under the province,
communes under a district) from ONE query of their monthly values, aggregated in memory.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from cchc.core import clock
from cchc.dashboard import rules
from cchc.dashboard.projection import WILL_MEET, Projection, project
from cchc.indicators.metrics import TARGET_METRICS, ratio
from cchc.indicators.models import IndicatorValue
from cchc.indicators.periods import Period
from cchc.plans.models import Plan, Target, Threshold
from cchc.plans.thresholds import limits
from cchc.targets.queries import (  # noqa: F401 (REPORTED, Reported, reports_link: used by tests and other apps)
    REPORTED,
    VALUE_LEVEL,
    Reported,
    TargetValue,
    figure_link,
    reports_link,
    target_values,
)
from cchc.units.models import Unit, UnitKind

LEVELS = ("P", "D", "C", "province")
# Which threshold levels a unit of each kind is judged on, and the stored IndicatorValue level that answers each.
LEVELS_OF_KIND = {
    UnitKind.PROVINCE: {"P": "P", "D": "D", "C": "C", "province": "all"},
    UnitKind.DEPARTMENT: {"P": "P"},
    UnitKind.DISTRICT: {"D": "D", "C": "C"},
    UnitKind.COMMUNE: {"C": "C"},
}


@dataclass
class Cell:
    level: str  # threshold level: P, D, C, province
    threshold: Threshold | None
    op: str | None = None
    limit: float | None = None  # the threshold at the end of the period shown (the path point for a multi-year goal)
    limit_year_end: float | None = None
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    source: str | None = None  # a plans.Target.Source value, None when there is no value
    source_period: str = ""  # DHIS2 period code, or the report period's / survey's title
    link: str = ""
    found: TargetValue | None = None
    status: str = rules.NO_DATA
    projection: Projection | None = None
    trend: list[float | None] = field(default_factory=list)
    reports: int = 0


@dataclass
class Row:
    target: Target
    cells: dict[str, Cell]
    status: str
    metric: str | None
    reported: Reported | None
    is_path: bool
    goal: str = ""

    @property
    def main_cell(self) -> Cell | None:
        with_data = [c for c in self.cells.values() if c.value is not None]
        return with_data[-1] if with_data else None


@dataclass
class RiskRow:
    target: Target
    unit: Unit
    level: str
    value: float | None  # the stored value of the period shown (what its link lists)
    projection: Projection
    limit: float
    shortfall: float
    link: str


@dataclass
class Board:
    plan: Plan | None
    unit: Unit
    period: Period
    level: str
    levels: list[str]
    elapsed: int
    year_complete: bool
    areas: list[dict]
    at_risk: list[RiskRow]
    counts: dict[str, int]
    values: dict = field(default_factory=dict)  # (target code, level P/D/C/all) → targets.queries.TargetValue


def current_plan(year: int | None = None) -> Plan | None:
    plans = Plan.objects.exclude(status=Plan.Status.DRAFT)
    if year is not None:
        return plans.filter(year=year).first() or Plan.objects.filter(year=year).first()
    return plans.order_by("-year").first()


def elapsed_months(period: Period, today: dt.date) -> int:
    """Months of the period's year that are over, counted up to the end of the period shown."""
    until = min(period.end, today)
    if until.year > period.start.year:
        return 12
    if until.year < period.start.year:
        return 0
    # A month counts once its last day is reached (the figures of a month are final after it).
    next_day = until + dt.timedelta(days=1)
    return until.month if next_day.month != until.month else until.month - 1


def _months(year: int) -> list[str]:
    return [f"{year}{m:02d}" for m in range(1, 13)]


def _limits(target: Target, threshold: Threshold, period: Period) -> tuple[float | None, float | None]:
    """(threshold at the end of the period shown, threshold at the end of its year): cchc.plans.thresholds."""
    return limits(target, threshold, period.end)


def build(
    user,
    unit: Unit,
    period: Period,
    level: str = "",
    today: dt.date | None = None,
    plan: Plan | None = None,
    as_of: dt.date | None = None,
) -> Board:
    """The board of `unit` for `period` as `user` sees it (None: every accepted item, for the command line); `as_of`
    also leaves out what was accepted after that day."""
    today = today or clock.today()
    year = period.start.year
    plan = plan or current_plan(year)
    elapsed = elapsed_months(period, today)
    year_complete = period.kind == "year" and elapsed == 12
    level_map = LEVELS_OF_KIND.get(unit.kind, {})
    levels = [lv for lv in LEVELS if lv in level_map and (not level or lv == level)]
    targets = []
    if plan:
        targets = list(
            Target.objects.filter(plan=plan)
            .select_related("area", "plan", "baseline", "responsible")
            .prefetch_related("thresholds")
            .order_by("order")
        )
    metrics = set(TARGET_METRICS.values())
    months = _months(year)

    # One query: the unit's stored monthly values of its year (trend and projection of dossier targets).
    stored: dict[tuple[str, str, str], tuple[int, int]] = {}
    for p, lv, metric, n, d in IndicatorValue.objects.filter(
        unit=unit, period__in=months, metric__in=metrics
    ).values_list("period", "level", "metric", "numerator", "denominator"):
        stored[(p, lv, metric)] = (n, d)
    found = (
        target_values(
            plan, unit, period, user=user, as_of=as_of, levels=tuple(level_map[lv] for lv in levels), targets=targets
        )
        if plan
        else {}
    )

    areas: dict[int, dict] = {}
    for target in targets:
        thresholds = {t.level: t for t in target.thresholds.all()}
        metric = TARGET_METRICS.get(target.code)
        formula = REPORTED.get(target.code)
        cells: dict[str, Cell] = {}
        for lv in levels:
            threshold = thresholds.get(lv)
            if threshold is None:
                continue
            limit, limit_year_end = _limits(target, threshold, period)
            cell = Cell(lv, threshold, threshold.op, limit, limit_year_end)
            value_level = level_map[lv]
            value = found.get((target.code, value_level))
            if value is not None and value.value is not None:
                cell.found = value
                cell.value, cell.numerator, cell.denominator = value.value, value.numerator, value.denominator
                cell.source, cell.source_period, cell.link = value.source, value.period, value.link
                cell.reports = value.reports
            if metric and cell.source in ("dossiers", "catalogue"):
                series = [stored.get((m, value_level, metric)) for m in months]
                cell.trend = [ratio(*pair) if pair else None for pair in series[:elapsed]] + [None] * (12 - elapsed)
                if limit_year_end is not None:
                    cell.projection = project(series, elapsed, threshold.op, limit_year_end)
            cell.status = rules.status(cell.value, cell.op, cell.limit, year_complete, cell.projection)
            cells[lv] = cell
        if not cells and level:
            continue  # filtered to a level this target has no threshold at
        is_path = target.kind == Target.Kind.MULTI_YEAR and target.final_year > year
        goal = ""
        if is_path and thresholds:
            any_threshold = next(iter(thresholds.values()))
            goal = f"{any_threshold.display_value} ({target.final_year})"
        row = Row(
            target,
            cells,
            rules.worst([c.status for c in cells.values() if c.status != rules.NO_DATA]),
            metric,
            formula,
            is_path,
            goal,
        )
        area = areas.setdefault(target.area_id, {"area": target.area, "rows": []})
        area["rows"].append(row)

    rows = [row for area in areas.values() for row in area["rows"]]
    counts = {s: sum(1 for r in rows if r.status == s) for s in rules.STATUSES}
    return Board(
        plan=plan,
        unit=unit,
        period=period,
        level=level,
        levels=levels,
        elapsed=elapsed,
        year_complete=year_complete,
        areas=sorted(areas.values(), key=lambda a: a["area"].number),
        at_risk=at_risk(unit, period, targets, level, elapsed, user=user),
        counts=counts,
        values=found,
    )


def at_risk(
    unit: Unit, period: Period, targets: list[Target], level: str, elapsed: int, limit: int = 15, user=None
) -> list[RiskRow]:
    """Targets × units below `unit` whose year-end projection falls short, worst first — one query for all units."""
    below = list(
        Unit.objects.valid_on(period.end)
        .filter(parent=unit, kind__in=[UnitKind.DEPARTMENT, UnitKind.DISTRICT, UnitKind.COMMUNE])
        .order_by("sort_order", "code")
    )
    if not below:
        return []
    by_metric = {TARGET_METRICS[t.code]: t for t in targets if t.code in TARGET_METRICS}
    wanted_levels = {lv for u in below for lv in LEVELS_OF_KIND[u.kind]}
    if level:
        wanted_levels &= {level}
    months = _months(period.start.year)
    month_index = {m: i for i, m in enumerate(months)}
    series: dict[tuple[int, str, str], list] = defaultdict(lambda: [None] * 12)
    shown: dict[tuple[int, str, str], tuple[int, int]] = {}
    rows = IndicatorValue.objects.filter(
        unit__in=[u.pk for u in below],
        period__in={period.code, *months},
        metric__in=list(by_metric),
        level__in=wanted_levels,
    ).values_list("unit_id", "period", "level", "metric", "numerator", "denominator")
    for unit_id, p, lv, metric, n, d in rows:
        if p == period.code:
            shown[(unit_id, lv, metric)] = (n, d)
        if p in month_index:
            series[(unit_id, lv, metric)][month_index[p]] = (n, d)
    units = {u.pk: u for u in below}
    # Thresholds and year-end limits once per target and level, not per unit.
    limits = {}
    for metric, target in by_metric.items():
        for threshold in target.thresholds.all():
            limit_year_end = _limits(target, threshold, period)[1]
            if limit_year_end is not None:
                limits[(metric, threshold.level)] = (threshold, limit_year_end)
    result: list[RiskRow] = []
    for (unit_id, lv, metric), months_values in series.items():
        target = by_metric[metric]
        if (metric, lv) not in limits or lv not in LEVELS_OF_KIND[units[unit_id].kind]:
            continue
        threshold, limit_year_end = limits[(metric, lv)]
        projection = project(months_values, elapsed, threshold.op, limit_year_end)
        if projection is None or projection.outcome == WILL_MEET:
            continue
        value = shown.get((unit_id, lv, metric))
        result.append(
            RiskRow(
                target,
                units[unit_id],
                lv,
                ratio(*value) if value else None,
                projection,
                limit_year_end,
                projection.shortfall(threshold.op, limit_year_end),
                metric,  # replaced by the link for the rows kept
            )
        )
    result.sort(key=lambda r: (-r.shortfall, r.target.order, r.unit.sort_order))
    kept = result[:limit]
    for r in kept:
        r.link = figure_link(r.unit, period.code, r.link, r.level, user)
    return kept
