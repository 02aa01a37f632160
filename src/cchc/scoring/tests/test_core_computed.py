"""Computed sub-criteria: the figure, its text and the points from the set's mapping, for all units at once."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cchc.scoring import computed, services
from cchc.scoring.computed import points_for
from cchc.scoring.tests.core_helpers import make_set, on_time_dossiers, unit

STEPS = {"type": "thresholds", "steps": [{"at_least": 95, "points": 2}, {"at_least": 90, "points": 1}]}


@pytest.mark.parametrize(
    ("figure", "points"), [(100, D(2)), (95, D(2)), (94.99, D(1)), (90, D(1)), (89.9, D(0)), (None, None)]
)
def test_thresholds(figure, points):
    assert points_for(figure, STEPS, D(2)) == points


@pytest.mark.parametrize(
    ("figure", "points"), [(40, D(0)), (50, D(0)), (75, D("1.5")), (92.7, D("2.56")), (100, D(3)), (120, D(3))]
)
def test_linear_from_0_at_from_to_the_maximum_at_to(figure, points):
    assert points_for(figure, {"type": "linear", "from": 50, "to": 100}, D(3)) == points


def test_a_descending_linear_mapping_works_for_figures_where_less_is_better():
    # e.g. late reports: 0 late → 2 points, 4 or more → 0
    assert points_for(1, {"type": "linear", "from": 4, "to": 0}, D(2)) == D("1.5")


def test_on_time_rate_for_every_unit_of_the_set_in_a_fixed_number_of_queries(plan_2023):
    criteria_set = make_set()
    codes = ["593", "594", "595"]
    for code, (numerator, denominator) in zip(codes, [(1234, 1331), (90, 100), (0, 0)], strict=True):
        services.open_assessment(criteria_set, unit(code))
        if denominator:
            on_time_dossiers(unit(code), numerator, denominator)
    with CaptureQueriesContext(connection) as queries:
        assert computed.compute_for_set(criteria_set, today=dt.date(2023, 12, 1)) == 3
    assert len(queries) <= 8
    rows = {
        s.assessment.unit.code: s
        for s in services.Score.objects.filter(criterion__code="B.2").select_related("assessment__unit")
    }
    assert rows["593"].computed_figure == "Tỷ lệ hồ sơ đúng hạn 2023: 92,7% (1.234/1.331)"
    assert rows["593"].appraised_score == D(1)  # 92.7% ≥ 90
    assert rows["594"].appraised_score == D(1)
    assert rows["595"].appraised_score is None
    assert rows["595"].computed_figure == "Tỷ lệ hồ sơ đúng hạn 2023: chưa có hồ sơ được giải quyết"


def test_every_declared_source_runs_on_an_empty_year(plan_2023):
    units = [unit("593"), unit("594")]
    for key in computed.SOURCES:
        found = computed.figures(key, units, 2023, dt.date(2023, 12, 31))
        assert set(found) == {u.pk for u in units}
        assert all(figure.text for figure in found.values())
