"""The one threshold rule (cchc.plans.thresholds), tested directly: a year on the way to a later deadline is judged
against the path point, the whole province against the levels' common threshold."""

import datetime as dt
from types import SimpleNamespace

import pytest

from cchc.plans import thresholds


def target(kind="quantitative", final_year=2023, deadline=dt.date(2023, 12, 31), baseline_year=None):
    return SimpleNamespace(kind=kind, final_year=final_year, deadline=deadline, baseline_year=baseline_year)


def threshold(level="P", op=">=", value=80.0, unit="percent"):
    return SimpleNamespace(level=level, op=op, value=value, unit=unit)


DIGITISED = target("multi_year", 2025, dt.date(2025, 12, 31))  # 2.3: 100 % by 2025, from 0 % at the end of 2021


def test_a_year_before_the_deadline_is_judged_on_the_path():
    goal = threshold(value=100.0)
    assert thresholds.limit_on(DIGITISED, goal, dt.date(2023, 12, 31)) == pytest.approx(50.0)  # 2 of 4 years
    assert thresholds.limit_on(DIGITISED, goal, dt.date(2024, 12, 31)) == pytest.approx(75.0)
    assert thresholds.limit_on(DIGITISED, goal, dt.date(2025, 12, 31)) == 100.0  # the deadline year: the goal itself
    assert thresholds.verdict(DIGITISED, goal, 60.0, dt.date(2023, 12, 31)) is True
    assert thresholds.verdict(DIGITISED, goal, 60.0, dt.date(2025, 12, 31)) is False
    assert thresholds.describe(DIGITISED, goal, dt.date(2023, 12, 31)) == "≥ 50%"
    assert thresholds.is_intermediate(DIGITISED, 2023) and not thresholds.is_intermediate(DIGITISED, 2025)


def test_a_count_years_ahead_has_no_path_and_is_not_judged():
    assert thresholds.verdict(DIGITISED, threshold(value=5, unit="count"), 3, dt.date(2023, 12, 31)) is None


def test_the_whole_province_takes_the_levels_threshold_when_they_all_ask_the_same():
    online = [threshold(lv, ">=", 80.0) for lv in ("P", "D", "C")]  # 2.4a
    whole = thresholds.for_level(online, "all")
    assert (whole.op, whole.value) == (">=", 80.0)
    assert thresholds.verdict(target(), whole, 83.5, dt.date(2023, 12, 31)) is True  # not "missed" at 83.5 % vs 80 %
    mixed = [threshold("P", ">=", 70.0), threshold("D", ">=", 80.0), threshold("C", ">=", 60.0)]
    assert thresholds.for_level(mixed, "all") is None  # not judged, rather than the worst level's verdict
    explicit = [*mixed, threshold("province", ">=", 75.0)]
    assert thresholds.for_level(explicit, "all").value == 75.0
    assert thresholds.for_level(explicit, "D").value == 80.0
