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
    frame = engine.prepare(load_dossiers(p.start.year, ids), load_procedures(), calendar_for([p.start.year]))
    processed = engine.processed_in(frame, p)
    numerator, denominator = conditions[metric]
    condition = {"numerator": numerator, "denominator": denominator, "missing": denominator & ~numerator}[part]
    return (
        processed.filter(condition.fill_null(False))
        .sort("acc", descending=True)
        .select("id", "unit_id", "timeliness", "due_d")
    )
