"""Everything the province dashboard shows, gathered in a constant number of queries.

Sources of a target's value:

* computed — plan targets of area 2 that the dossier engine measures (cchc.indicators.metrics.TARGET_METRICS):
  the stored IndicatorValue of the unit (with the units below it) per level, monthly values for the trend and the
  projection;
* reported — figures of ACCEPTED periodic reports whose statistic is tied to the target (reports/data/statistics.yaml
  `target`), over the unit and the units below it: a share is the sum of the parts over the sum of the wholes;
  a percent figure (no counts given) is the plain mean over the reports;
* none — "no data".

The at-risk list projects every target × unit below the selected one (departments and districts under the province,
communes under a district) from ONE query of their monthly values, aggregated in memory.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Avg, Count, Q, Sum
from django.urls import reverse

from cchc.dashboard import status as rules
from cchc.dashboard.projection import WILL_MEET, Projection, project
from cchc.indicators import engine
from cchc.indicators.metrics import TARGET_METRICS, ratio
from cchc.indicators.models import IndicatorValue
from cchc.indicators.periods import Period
from cchc.plans.models import Plan, Target, Threshold
from cchc.reports.models import Report, ReportFigure, ReportPeriod
from cchc.review.models import ReviewState
from cchc.units.models import Unit, UnitKind

LEVELS = ("P", "D", "C", "province")
# Which threshold levels a unit of each kind is judged on, and the stored IndicatorValue level that answers each.
LEVELS_OF_KIND = {
    UnitKind.PROVINCE: {"P": "P", "D": "D", "C": "C", "province": "all"},
    UnitKind.DEPARTMENT: {"P": "P"},
    UnitKind.DISTRICT: {"D": "D", "C": "C"},
    UnitKind.COMMUNE: {"C": "C"},
}
REPORT_UNIT_KIND = {"P": UnitKind.DEPARTMENT, "D": UnitKind.DISTRICT, "C": UnitKind.COMMUNE}
CATALOGUE_METRICS = {m.code for m in engine.METRICS if m.population == "catalogue"}

# Multi-year goals whose plan gives no baseline value: the path starts from 0 % at the end of 2021, the first year of
# the province's 2021–2025 programme (Kế hoạch 3612/KH-UBND). A reduction versus 2021 (3.1a, 3.1b) needs the 2021
# counts, which nothing records yet: those stay "no data".
PATH_START_YEAR = 2021
PATH_START_VALUE = 0.0


@dataclass(frozen=True)
class Reported:
    """How a target is read from report figures: parts over wholes (counts), or the mean of a percent figure."""

    parts: tuple[str, ...] = ()
    whole: str | None = None
    percent: str | None = None

    @property
    def codes(self) -> tuple[str, ...]:
        return (*self.parts, *((self.whole,) if self.whole else ()), *((self.percent,) if self.percent else ()))


# Targets measured by the statistics annex: each part (or percent figure) is tied to the target in statistics.yaml and
# the whole is the statistic the parts are part_of (a test checks both).
# 1.1, 1.2, 3.1a, 3.1b and 5.1b have statistics too, but counts without the whole they are a share of.
REPORTED: dict[str, Reported] = {
    "2.5a": Reported(percent="satisfaction_tthc"),
    "2.5b": Reported(percent="satisfaction_land"),
    "4.2": Reported(percent="commune_officials_standard"),
    # Only the statistic tied to 5.1a: units that also cover investment are counted under 5.1b by statistics.yaml.
    "5.1a": Reported(parts=("psu_autonomy_recurrent",), whole="psu_total"),
    "6.1": Reported(parts=("info_systems_connected",), whole="info_systems"),
    "6.3": Reported(percent="work_files_online"),
    "6.4": Reported(parts=("inspections_digital",), whole="inspections_total"),
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
    source: str | None = None  # dossiers | reports | None
    source_period: str = ""  # DHIS2 period code, or the report period's title
    link: str = ""
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
    """(threshold at the end of the period shown, threshold at the end of its year); a multi-year goal follows the
    straight line from its baseline to the goal."""
    year = period.start.year
    if target.kind != Target.Kind.MULTI_YEAR or target.final_year <= year:
        if threshold.unit == Threshold.Unit.PERCENT_REDUCTION:
            return None, None  # a reduction needs the baseline counts (see PATH_START_YEAR)
        return threshold.value, threshold.value
    if threshold.unit != Threshold.Unit.PERCENT:
        return None, None
    start = dt.date(target.baseline_year or PATH_START_YEAR, 12, 31)
    line = [PATH_START_VALUE, threshold.value, start, target.deadline]
    return rules.path_threshold(*line, period.end), rules.path_threshold(*line, dt.date(year, 12, 31))


def _figure_link(unit: Unit, period: str, metric: str, level: str | None) -> str:
    name = "indicators:procedures" if metric in CATALOGUE_METRICS else "indicators:dossiers"
    query = {"metric": metric, "part": "denominator"}
    if level and level != "all":
        query["level"] = level
    return f"{reverse(name, args=[unit.code, period])}?{urlencode(query)}"


def reports_link(year: int, unit: Unit) -> str:
    query = {"year": year, "status": ReviewState.ACCEPTED}
    if unit.kind in (UnitKind.DEPARTMENT, UnitKind.DISTRICT):
        query["kind"] = unit.kind
    return f"{reverse('reports:index')}?{urlencode(query)}"


def _subtree(unit: Unit) -> Q:
    return Q(unit=unit) | Q(unit__parent=unit) | Q(unit__parent__parent=unit)


def _report_period(periods: list[ReportPeriod], period: Period) -> ReportPeriod | None:
    """The latest report whose data ends within the period shown (reports are cumulative from the year's start)."""
    done = [p for p in periods if p.data_to <= period.end]
    return max(done, key=lambda p: p.data_to) if done else None


def _reported_values(user, unit: Unit, year: int, report_period: ReportPeriod | None) -> dict:
    """{(code, unit kind): {"total", "mean", "n"}} over the accepted, visible reports of the unit's subtree."""
    if report_period is None:
        return {}
    codes = {code for formula in REPORTED.values() for code in formula.codes}
    reports = (
        Report.objects.filter(_subtree(unit), period=report_period).restrict(user).filter(status=ReviewState.ACCEPTED)
    )
    rows = (
        ReportFigure.objects.filter(report__in=reports, code__in=codes)
        .values("code", "report__unit__kind")
        .annotate(total=Sum("value"), mean=Avg("value"), n=Count("id"))
    )
    return {(r["code"], r["report__unit__kind"]): r for r in rows}


def _reported_cell(cell: Cell, formula: Reported, found: dict, kinds: list[str]) -> None:
    def pick(code: str, key: str) -> tuple[float, int]:
        entries = [found[(code, kind)] for kind in kinds if (code, kind) in found]
        if key == "mean":
            n = sum(e["n"] for e in entries)
            return (sum(float(e["mean"]) * e["n"] for e in entries) / n if n else 0.0), n
        return sum(float(e["total"]) for e in entries), sum(e["n"] for e in entries)

    if formula.percent:
        mean, n = pick(formula.percent, "mean")
        if n:
            cell.value, cell.reports = mean, n
    else:
        whole, n = pick(formula.whole, "total")
        parts = sum(pick(code, "total")[0] for code in formula.parts)
        if whole:
            cell.value, cell.numerator, cell.denominator, cell.reports = 100 * parts / whole, parts, whole, n


def build(
    user, unit: Unit, period: Period, level: str = "", today: dt.date | None = None, plan: Plan | None = None
) -> Board:
    today = today or dt.date.today()
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
            .select_related("area", "plan")
            .prefetch_related("thresholds")
            .order_by("order")
        )
    metrics = set(TARGET_METRICS.values())
    months = _months(year)

    # One query: the unit's stored values for the period shown and for each month of its year.
    stored: dict[tuple[str, str, str], tuple[int, int]] = {}
    for p, lv, metric, n, d in IndicatorValue.objects.filter(
        unit=unit, period__in={period.code, *months}, metric__in=metrics
    ).values_list("period", "level", "metric", "numerator", "denominator"):
        stored[(p, lv, metric)] = (n, d)

    report_periods = list(ReportPeriod.objects.filter(year=year))
    report_period = _report_period(report_periods, period)
    found = _reported_values(user, unit, year, report_period)

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
            if metric and (period.code, value_level, metric) in stored:
                n, d = stored[(period.code, value_level, metric)]
                cell.value, cell.numerator, cell.denominator = ratio(n, d), n, d
                cell.source, cell.source_period = "dossiers", period.code
                cell.link = _figure_link(unit, period.code, metric, value_level)
                series = [stored.get((m, value_level, metric)) for m in months]
                cell.trend = [ratio(*pair) if pair else None for pair in series[:elapsed]] + [None] * (12 - elapsed)
                if limit_year_end is not None:
                    cell.projection = project(series, elapsed, threshold.op, limit_year_end)
            if cell.value is None and formula:
                kinds = [REPORT_UNIT_KIND[lv]] if lv in REPORT_UNIT_KIND else list(REPORT_UNIT_KIND.values())
                _reported_cell(cell, formula, found, kinds)
                if cell.value is not None:
                    cell.source, cell.source_period = "reports", str(report_period.title)
                    cell.link = reports_link(year, unit)
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
        at_risk=at_risk(unit, period, targets, level, elapsed),
        counts=counts,
    )


def at_risk(
    unit: Unit, period: Period, targets: list[Target], level: str, elapsed: int, limit: int = 15
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
        r.link = _figure_link(r.unit, period.code, r.link, r.level)
    return kept
