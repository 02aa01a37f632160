"""The dossiers behind a number: the same conditions as the figures, applied to one unit's subtree.

The engine's conditions (`engine.metric_conditions`, `engine.on_time_expr`) decide which dossiers are listed.
SQL only narrows what is loaded, with conditions that every listed dossier must meet (`_narrowing`): a
superset, never the rule itself. tests/test_drilldown_same_rows.py checks the lists against the unnarrowed
load and against the stored figures.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from django.core.cache import cache
from django.db import connection
from django.db.models import Max
from django.utils.translation import gettext_lazy

from cchc.core import clock
from cchc.indicators import engine
from cchc.indicators.compute import load_dossiers_where, load_procedures, load_results, utc_bound
from cchc.indicators.periods import Period, parse_period
from cchc.units.models import LEVEL_OF_KIND, Unit
from cchc.units.tree import subtree_ids
from cchc.workdays.models import calendar_for

PARTS = ("numerator", "denominator", "missing")  # missing: in the denominator, not in the numerator
POPULATION = {m.code: m.population for m in engine.METRICS}
CACHE_SECONDS = 600

# What each dossier behind a figure is, as the lists and their exports say it.
TIMELINESS = {
    "finished_early": gettext_lazy("Finished early"),
    "finished_on_time": gettext_lazy("Finished on the due date"),
    "finished_late": gettext_lazy("Finished late"),
    "in_progress_on_time": gettext_lazy("In progress, within the deadline"),
    "in_progress_late": gettext_lazy("In progress, past the deadline"),
    # The stock of still-valid results (target 2.3)
    "result_digitised": gettext_lazy("Still-valid result, digitised"),
    "result_on_paper": gettext_lazy("Still-valid result, not digitised"),
}


def _in(values) -> str:
    return ", ".join(str(int(v)) for v in values)


def _local_date(column: str) -> str:
    """SQL for the local (Vietnam, core.clock) calendar date of a stored UTC date-time."""
    hours = clock.LOCAL_OFFSET_SECONDS // 3600
    if connection.vendor == "postgresql":
        return f"CAST(({column} AT TIME ZONE 'UTC') + INTERVAL '{hours} hours' AS DATE)"
    return f"date({column}, '+{hours} hours')"


def _narrowing(metric: str, part: str, period: Period) -> tuple[list[str], list]:
    """SQL conditions met by every dossier the engine lists for (metric, part) — so loading only those
    loses none — with their parameters. Bounds are local midnights (`compute.utc_bound`): a local date d satisfies
    start ≤ d ≤ end exactly when the instant is in [bound(start), bound(end + 1 day))."""
    start, after_end = utc_bound(period.start), utc_bound(period.end + dt.timedelta(days=1))
    population = POPULATION[metric]
    if population == "accepted":
        # Every accepted-population metric has accepted_expr in its numerator and its denominator.
        return ["accepted_at >= %s"], [start]
    if population == "finished":
        # … and every finished-population metric has finished_expr in both.
        return [
            f"status IN ({_in(engine.FINISHED_STATUSES)})",
            "finished_at >= %s",
            "finished_at < %s",
        ], [start, after_end]
    if metric == "PROCESSING_ON_TIME" and part == "missing":
        # Late (on_time_expr false) needs a second supplement request, or date(adjusted end) > due date.
        # The adjusted end is never after the end (the period's last day, or the end event if there is one
        # by then), so with a given due date: due < the period's last day, and, for a dossier that ended by
        # then, due < its end (as local dates). A due date computed from the procedure's limit (due_at empty)
        # is kept.
        end_statuses = _in(engine.END_STATUSES)
        last_day = utc_bound(period.end)
        return [
            "(supplement_count >= 2 OR due_at IS NULL OR (due_at < %s AND ("
            f"status NOT IN ({end_statuses}) OR finished_at IS NULL OR finished_at >= %s"
            f" OR {_local_date('due_at')} < {_local_date('finished_at')})))"
        ], [last_day, after_end]
    return [], []


def load_dossiers(period: Period, unit_ids: list[int], extra: list[str], extra_params: list) -> pl.DataFrame:
    """`compute.load_dossiers` for one period and a set of units, with the narrowing conditions added."""
    return load_dossiers_where(period, unit_ids, extra, extra_params)


def _units(unit: Unit, level: str | None) -> list[int]:
    ids = subtree_ids(unit)
    if level:
        ids = [
            pk for pk, kind in Unit.objects.filter(pk__in=ids).values_list("id", "kind") if LEVEL_OF_KIND[kind] == level
        ]
    return ids


def _check(conditions: dict, metric: str, part: str) -> None:
    if metric not in conditions and POPULATION.get(metric) != "stock":
        raise ValueError(f"{metric} is not a dossier metric")
    if part not in PARTS:
        raise ValueError(f"part must be one of {', '.join(PARTS)}")


def dossiers_behind(
    unit: Unit, period: str, metric: str, part: str, level: str | None = None, narrow: bool = True
) -> pl.DataFrame:
    """(id, unit_id, timeliness, due_d) of the dossiers counted in a figure, newest acceptance first.

    `narrow=False` loads every dossier processed in the period (the reference the narrowed load must equal)."""
    p = parse_period(period)
    conditions = engine.metric_conditions(p)
    _check(conditions, metric, part)
    if POPULATION[metric] == "stock":
        return _results_behind(unit, p, part, level)
    extra, extra_params = _narrowing(metric, part, p) if narrow else ([], [])
    loaded = load_dossiers(p, _units(unit, level), extra, extra_params)
    frame = engine.prepare(loaded, load_procedures(), calendar_for([p.start.year]))
    processed = engine.processed_in(frame, p, timeliness=True)
    numerator, denominator = conditions[metric]
    condition = {"numerator": numerator, "denominator": denominator, "missing": denominator & ~numerator}[part]
    return (
        processed.filter(condition.fill_null(False))
        .sort("acc", "id", descending=True)
        .select("id", "unit_id", "timeliness", "due_d")
    )


def _results_behind(unit: Unit, p: Period, part: str, level: str | None) -> pl.DataFrame:
    """The dossiers whose result is in the stock of target 2.3 at the period's end, latest result first; their
    `timeliness` says whether the result is digitised."""
    frame = engine.result_dates(load_results(p.end.year, _units(unit, level)))
    numerator, denominator = engine.result_stock_conditions(p.end)
    condition = {"numerator": numerator, "denominator": denominator, "missing": denominator & ~numerator}[part]
    state = pl.when(numerator).then(pl.lit("result_digitised")).otherwise(pl.lit("result_on_paper"))
    return (
        frame.filter(condition.fill_null(False))
        .sort("finished_ts", "id", descending=True)
        .select("id", "unit_id", state.alias("timeliness"), due_d=pl.lit(None, dtype=pl.Date))
    )


def cached_behind(
    unit: Unit, period: str, metric: str, part: str, level: str | None = None
) -> tuple[list[int], list[str]]:
    """(ids, timeliness) of `dossiers_behind`, kept in the cache while the unit's figures for the period stay
    those of the same computation, so that paging or exporting a list does not filter it again."""
    from cchc.indicators.models import IndicatorValue

    _check(engine.metric_conditions(parse_period(period)), metric, part)
    computed_at = IndicatorValue.objects.filter(unit=unit, period=period).aggregate(at=Max("computed_at"))["at"]
    # A recompute (after every import, unless --no-refresh) stamps new rows: the key changes with them.
    version = computed_at.isoformat() if computed_at else "never"
    key = f"indicators:behind:{unit.pk}:{period}:{metric}:{part}:{level or ''}:{version}"
    hit = cache.get(key)
    if hit is not None:
        return hit
    frame = dossiers_behind(unit, period, metric, part, level)
    value = (frame["id"].to_list(), frame["timeliness"].to_list())
    cache.set(key, value, CACHE_SECONDS)
    return value


def procedures_behind(unit: Unit, period: str, metric: str, part: str, level: str | None = None) -> list[int]:
    """Ids of the catalogue procedures counted in a catalogue figure of the unit (with its subtree)."""
    from cchc.indicators.compute import load_units
    from cchc.indicators.models import ProcedureUsage

    p = parse_period(period)
    conditions = engine.catalogue_conditions()
    if metric not in conditions:
        raise ValueError(f"{metric} is not a catalogue metric")
    if part not in PARTS:
        raise ValueError(f"part must be one of {', '.join(PARTS)}")
    ids = subtree_ids(unit)
    units = load_units().filter(pl.col("unit_id").is_in(ids))
    units = units.with_columns(
        parent_id=pl.when(pl.col("unit_id") == unit.pk).then(None).otherwise(pl.col("parent_id"))
    )
    ancestors = engine.ancestors_frame(units).filter(pl.col("ancestor_id") == unit.pk)
    usage_rows = ProcedureUsage.objects.filter(unit_id__in=ids, period=period).values_list(*engine.USAGE_SCHEMA)
    usage = pl.DataFrame(list(usage_rows), schema=engine.USAGE_SCHEMA, orient="row")
    scope = engine.catalogue_scope(usage, load_procedures(), ancestors, [p]).filter(
        pl.col("level") == (level or engine.ALL_LEVELS)
    )
    numerator, denominator = conditions[metric]
    condition = {"numerator": numerator, "denominator": denominator, "missing": denominator & ~numerator}[part]
    return scope.filter(condition.fill_null(False))["procedure_id"].sort().to_list()
