"""The dossiers behind a number: the same conditions as the figures, applied to one unit's subtree."""

from __future__ import annotations

import polars as pl

from cchc.indicators import engine
from cchc.indicators.compute import load_dossiers, load_procedures
from cchc.indicators.periods import parse_period
from cchc.units.models import LEVEL_OF_KIND, Unit
from cchc.units.tree import subtree_ids
from cchc.workdays.models import calendar_for

PARTS = ("numerator", "denominator", "missing")  # missing: in the denominator, not in the numerator


def dossiers_behind(unit: Unit, period: str, metric: str, part: str, level: str | None = None) -> pl.DataFrame:
    """(id, unit_id, timeliness, due_d) of the dossiers counted in a figure, newest acceptance first."""
    p = parse_period(period)
    conditions = engine.metric_conditions(p)
    if metric not in conditions:
        raise ValueError(f"{metric} is not a dossier metric")
    if part not in PARTS:
        raise ValueError(f"part must be one of {', '.join(PARTS)}")
    ids = subtree_ids(unit)
    if level:
        ids = [
            pk for pk, kind in Unit.objects.filter(pk__in=ids).values_list("id", "kind") if LEVEL_OF_KIND[kind] == level
        ]
    frame = engine.prepare(load_dossiers(p.start.year, ids, p), load_procedures(), calendar_for([p.start.year]))
    processed = engine.processed_in(frame, p, timeliness=True)
    numerator, denominator = conditions[metric]
    condition = {"numerator": numerator, "denominator": denominator, "missing": denominator & ~numerator}[part]
    return (
        processed.filter(condition.fill_null(False))
        .sort("acc", descending=True)
        .select("id", "unit_id", "timeliness", "due_d")
    )


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
    usage_rows = ProcedureUsage.objects.filter(unit_id__in=ids, period=period).values_list(
        "unit_id", "period", "procedure_id", "used_online", "paid", "fee_synced"
    )
    usage = pl.DataFrame(list(usage_rows), schema=engine.USAGE_SCHEMA, orient="row")
    scope = engine.catalogue_scope(usage, load_procedures(), ancestors, [p]).filter(
        pl.col("level") == (level or engine.ALL_LEVELS)
    )
    numerator, denominator = conditions[metric]
    condition = {"numerator": numerator, "denominator": denominator, "missing": denominator & ~numerator}[part]
    return scope.filter(condition.fill_null(False))["procedure_id"].sort().to_list()
