"""The recompute aggregates by calendar month (`engine.*_by_months`) and must give, row for row, what the per-period
functions give (the drill-down and the delta refresh use those): on random dossiers with the awkward cases — carried
over from the year before, finished before accepted, supplements asked and supplied around the periods' ends, results
issued, digitised and expiring before, inside and after the year."""

import datetime as dt
import random

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from cchc.indicators import engine
from cchc.indicators.periods import Period, parse_period, periods_of_year
from cchc.indicators.tests.frames import dossiers, procedures
from cchc.workdays.rules import WorkCalendar

CALENDAR = WorkCalendar([2022, 2023, 2024])
PROCEDURES = procedures(
    {"procedure_id": 1},
    {"procedure_id": 2, "time_unit": "ngay", "time_limit": 10.0, "is_land": True, "online_payment": True},
    {"procedure_id": 3, "time_unit": "gio", "time_limit": 8.0, "paper_result": False},
    {"procedure_id": 4, "time_unit": "thang", "time_limit": 1.0, "has_fee": True},
    {"procedure_id": 5, "time_unit": "", "time_limit": None},
)
LEAF_KEYS = ["unit_id", "period", "metric"]


def moment(rng: random.Random, first: dt.date, days: int) -> str:
    day = first + dt.timedelta(days=rng.randrange(days))
    return f"{day.isoformat()} {rng.randrange(24):02d}:{rng.choice([0, 0, 30, 59]):02d}"


def later(rng: random.Random, start: str, days: int) -> str:
    when = dt.datetime.fromisoformat(start) + dt.timedelta(days=rng.randrange(-3, days), hours=rng.randrange(24))
    return when.strftime("%Y-%m-%d %H:%M")


def random_dossiers(seed: int, count: int) -> pl.DataFrame:
    rng = random.Random(seed)
    rows = []
    for _ in range(count):
        accepted = moment(rng, dt.date(2022, 10, 1), 480)  # some in 2022 (carried over), some after 2023 ends
        row = {
            "unit_id": rng.randrange(1, 6),
            "procedure_id": rng.randrange(1, 6),
            "status": rng.choice([2, 4, 5, 6, 7, 8, 9, 9, 10, 10]),
            "channel": rng.choice([1, 2, 3]),
            "accepted": accepted,
            "supplement_count": rng.choice([0, 0, 1, 2]),
            "paid_online": rng.choice([0, 1, 2]),
            "has_financial_obligation": rng.random() < 0.4,
            "routed_electronically": rng.random() < 0.5,
            "electronic_result": rng.random() < 0.5,
            "digitised_components": rng.random() < 0.5,
            "synced_dvcqg": rng.random() < 0.5,
            "rating": rng.choice([None, 1, 2, 3]),
            "has_complaint": rng.random() < 0.1,
            "reused_data": rng.choice([None, True, False]),
            "from_citizen_store": rng.choice([None, True, False]),
        }
        if rng.random() < 0.8:
            row["due"] = later(rng, accepted, 40)
        if rng.random() < 0.8:
            row["finished"] = later(rng, accepted, 90)  # sometimes before acceptance: bad data still counts the same
        if rng.random() < 0.3:
            row["requested"] = later(rng, accepted, 30)
            if rng.random() < 0.7:
                row["supplied"] = later(rng, row["requested"], 20)
        if rng.random() < 0.3:
            row["digitised"] = moment(rng, dt.date(2022, 6, 1), 700)
        if rng.random() < 0.5:
            row["expires"] = moment(rng, dt.date(2022, 6, 1), 900)
        rows.append(row)
    return dossiers(*rows)


def same(ours: pl.DataFrame, reference: pl.DataFrame, keys: list[str]) -> None:
    assert ours.height == reference.height
    assert_frame_equal(ours.sort(keys), reference.sort(keys).select(ours.columns))


PERIOD_SETS = [
    periods_of_year(2023),
    [parse_period(code) for code in ("2023Q2", "202305", "2023S2", "202312")],
]


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("periods", PERIOD_SETS, ids=["year", "some"])
def test_dossier_figures_by_month_are_the_per_period_figures(seed, periods):
    frame = engine.prepare(random_dossiers(seed, 2500), PROCEDURES, CALENDAR)
    same(engine.leaf_values_by_months(frame, periods), engine.leaf_values(frame, periods), LEAF_KEYS)
    same(
        engine.procedure_usage_by_months(frame, periods),
        engine.procedure_usage(frame, periods),
        ["unit_id", "period", "procedure_id"],
    )


@pytest.mark.parametrize("seed", [4, 5])
@pytest.mark.parametrize("periods", PERIOD_SETS, ids=["year", "some"])
def test_stock_of_results_by_month_is_the_per_period_stock(seed, periods):
    results = random_dossiers(seed, 2500).select(engine.RESULT_COLUMNS)
    same(engine.result_stock_by_months(results, periods), engine.result_stock(results, periods), LEAF_KEYS)


def test_periods_that_are_not_whole_months_are_computed_period_by_period():
    frame = engine.prepare(random_dossiers(6, 300), PROCEDURES, CALENDAR)
    odd = [Period(dt.date(2023, 3, 5), dt.date(2023, 4, 20), "odd", "custom")]
    assert engine.whole_months(odd) is None
    same(engine.leaf_values_by_months(frame, odd), engine.leaf_values(frame, odd), LEAF_KEYS)
