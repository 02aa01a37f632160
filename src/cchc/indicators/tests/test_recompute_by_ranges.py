"""A year recomputed range of ids by range (bounded memory) stores exactly what the engine computes on the whole
year at once: the ranges' numerators and denominators add up, their procedure use combines."""

import polars as pl
import pytest
from django.core.management import call_command

from cchc.indicators import engine
from cchc.indicators.compute import (
    combine,
    contributions,
    iter_dossiers,
    load_dossiers,
    load_procedures,
    load_results,
    load_units,
    recompute,
)
from cchc.indicators.models import IndicatorValue, LeafValue, ProcedureUsage, last_computed
from cchc.indicators.periods import periods_of_year
from cchc.indicators.tests.test_recompute import dossier, procedure  # noqa: F401  (fixture)
from cchc.units.models import Unit
from cchc.workdays.models import calendar_for


@pytest.fixture
def generated(plan_2023, synthetic_files):
    out, catalogue = synthetic_files(3000, 11)
    call_command("import_catalogue", str(catalogue))
    call_command("import_dossiers", str(out), "--no-refresh")


def stored(model, *fields):
    return sorted(model.objects.values_list(*fields))


def snapshot():
    return (
        stored(IndicatorValue, "unit_id", "period", "level", "metric", "numerator", "denominator"),
        stored(LeafValue, "unit_id", "period", "metric", "numerator", "denominator"),
        stored(ProcedureUsage, "unit_id", "period", "procedure_id", "used_online", "paid", "fee_synced"),
    )


def test_small_ranges_store_the_same_figures_as_one_range(generated):
    one = recompute(2023, chunk=10**9)
    whole = snapshot()
    many = recompute(2023, chunk=97)  # ~30 ranges of ids, each with a few dossiers of many units
    assert many.dossiers == one.dossiers > 2500
    assert snapshot() == whole
    assert len(whole[0]) > 5000


def test_stored_figures_equal_the_engine_on_the_whole_year_in_memory(generated):
    recompute(2023, chunk=211)
    periods = periods_of_year(2023)
    procedures = load_procedures()
    dossiers, results = load_dossiers(2023), load_results(2023)
    assert dossiers.height > 2500 and results.height > 1000
    frame = engine.prepare(dossiers, procedures, calendar_for([2023]))
    leaf = pl.concat([engine.leaf_values(frame, periods), engine.result_stock(results, periods)])
    expected = engine.totals(leaf, engine.procedure_usage(frame, periods), procedures, load_units(), periods)
    assert sorted(expected.iter_rows()) == sorted(
        IndicatorValue.objects.values_list("unit_id", "period", "level", "metric", "numerator", "denominator")
    )


def test_contributions_of_disjoint_sets_add_up_to_those_of_their_union(generated):
    periods = periods_of_year(2023)
    procedures, calendar = load_procedures(), calendar_for([2023])
    parts = list(iter_dossiers(2023, chunk=500))
    assert len(parts) >= 5
    whole = contributions(pl.concat(parts), load_results(2023), procedures, periods, calendar)
    summed = combine(
        [contributions(part, None, procedures, periods, calendar) for part in parts]
        + [contributions(None, load_results(2023), procedures, periods, calendar)]
    )
    assert sorted(summed.leaf.iter_rows()) == sorted(whole.leaf.iter_rows())
    assert sorted(summed.usage.iter_rows()) == sorted(whole.usage.iter_rows())
    assert whole.usage.height > 0


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_ranges_read_ahead_give_the_same_figures(plan_2023, synthetic_files):
    """Committed data, no transaction open: the production path (on a database file or server, a reader thread on
    its own connection reads the next range while this one is computed)."""
    out, catalogue = synthetic_files(3000, 11)
    call_command("import_catalogue", str(catalogue))
    call_command("import_dossiers", str(out), "--no-refresh")
    recompute(2023, chunk=10**9)
    whole = snapshot()
    recompute(2023, chunk=173)
    assert snapshot() == whole


def test_last_computed_is_the_latest_computation_of_the_periods(plan_2023, procedure):  # noqa: F811
    codes = [p.code for p in periods_of_year(2023)]
    assert last_computed(codes) is None
    dossier("A", Unit.objects.get(code="593"), procedure)
    recompute(2023)
    first = last_computed(codes)
    assert first == IndicatorValue.objects.latest("computed_at").computed_at
    recompute(2023, periods=[p for p in periods_of_year(2023) if p.code == "202303"])
    assert last_computed(codes) > first
    assert last_computed(["2023"]) == first  # the year's figures were not recomputed the second time
    assert last_computed([p.code for p in periods_of_year(2024)]) is None
