"""Read stored figures for one unit and period: plan targets of area 2, 766 sub-indicators, the index."""

from __future__ import annotations

from cchc.core import clock
from cchc.indicators.index766 import catalogue_for, score_unit
from cchc.indicators.metrics import LEVEL_766, SECOND_MEASURE, TARGET_METRICS, ratio
from cchc.indicators.models import EnteredValue, IndicatorValue
from cchc.indicators.periods import parse_period
from cchc.units.models import Unit


def figures(unit: Unit, period: str) -> dict[str, dict[str, tuple[int, int]]]:
    """{metric: {level: (numerator, denominator)}} as stored for the unit and period."""
    return figures_many([unit.pk], period).get(unit.pk, {})


def figures_many(unit_ids: list[int], period: str) -> dict[int, dict[str, dict[str, tuple[int, int]]]]:
    """The same for many units in one query: {unit_id: {metric: {level: (numerator, denominator)}}}."""
    result: dict[int, dict[str, dict[str, tuple[int, int]]]] = {}
    rows = IndicatorValue.objects.filter(unit_id__in=unit_ids, period=period).values_list(
        "unit_id", "metric", "level", "numerator", "denominator"
    )
    for unit_id, metric, level, numerator, denominator in rows:
        result.setdefault(unit_id, {}).setdefault(metric, {})[level] = (numerator, denominator)
    return result


def entered_many(unit_ids: list[int], period: str) -> dict[int, dict[str, EnteredValue]]:
    result: dict[int, dict[str, EnteredValue]] = {}
    for value in EnteredValue.objects.filter(unit_id__in=unit_ids, period=period):
        result.setdefault(value.unit_id, {})[value.metric] = value
    return result


def _value(pair: tuple[int, int] | None) -> dict:
    numerator, denominator = pair if pair else (0, 0)
    return {"numerator": numerator, "denominator": denominator, "ratio": ratio(numerator, denominator)}


def targets(unit: Unit, period: str, stored: dict | None = None) -> dict[str, dict]:
    stored = figures(unit, period) if stored is None else stored
    result = {}
    for code, metric in TARGET_METRICS.items():
        by_level = stored.get(metric, {})
        entry = {**_value(by_level.get("all")), "metric": metric}
        entry["by_level"] = {level: _value(by_level[level]) for level in ("P", "D", "C") if level in by_level}
        if code in SECOND_MEASURE:
            entry["measure"] = "survey"
            entry["decision766"] = _value(stored.get(SECOND_MEASURE[code], {}).get("all"))
        result[code] = entry
    return result


def metrics766(
    unit: Unit, period: str, stored: dict | None = None, entered: dict[str, EnteredValue] | None = None
) -> dict[str, dict | None]:
    """Every 766 sub-indicator: computed ones from the stored figures, entered ones as entered (null
    until then); null where it does not apply to the unit's level."""
    stored = figures(unit, period) if stored is None else stored
    level = LEVEL_766[unit.kind]
    if entered is None:
        entered = entered_many([unit.pk], period).get(unit.pk, {})
    result: dict[str, dict | None] = {}
    for spec in catalogue_for(parse_period(period).start).metrics:
        if level not in spec.levels:
            result[spec.code] = None
        elif spec.source == "entered":
            e = entered.get(spec.code)
            result[spec.code] = (
                None
                if e is None
                else {
                    "numerator": e.numerator,
                    "denominator": e.denominator,
                    "ratio": ratio(e.numerator, e.denominator) if e.numerator is not None else e.ratio,
                    "source": e.source or "entered",
                }
            )
        else:
            result[spec.code] = {**_value(stored.get(spec.metric, {}).get("all")), "source": spec.source}
    return result


def index766(unit: Unit, period: str, metrics: dict | None = None) -> dict:
    metrics = metrics766(unit, period) if metrics is None else metrics
    given = {code: value for code, value in metrics.items() if value is not None}
    return {"id": unit.code, **score_unit(LEVEL_766[unit.kind], given, catalogue_for(parse_period(period).start))}


def unit_for_period(code: str, period: str) -> Unit:
    """The version of the unit with this code that existed during the period."""
    p = parse_period(period)
    units = Unit.objects.filter(code=code)
    unit = units.valid_on(p.end).first() or units.valid_on(p.start).first()
    if unit is None:
        raise Unit.DoesNotExist(f"no unit {code!r} existed in {period}")
    return unit


def indicators_document(unit: Unit, period: str) -> dict:
    """The `cchc indicators` contract for one unit (with its children) and one period."""
    stored = figures(unit, period)
    metrics = metrics766(unit, period, stored)
    return {
        "unit": unit.code,
        "period": period,
        "targets": targets(unit, period, stored),
        "metrics766": {
            code: (None if v is None else {k: v[k] for k in ("numerator", "denominator", "ratio")})
            for code, v in metrics.items()
        },
        "index766": index766(unit, period, metrics),
    }


def latest_year() -> int:
    """The latest year with stored figures (this year when there is none)."""
    period = IndicatorValue.objects.order_by("-period").values_list("period", flat=True).first()
    return int(period[:4]) if period else clock.today().year
