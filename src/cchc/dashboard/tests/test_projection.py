"""The year-end projection on synthetic monthly series whose outcome is known."""

import random

from cchc.dashboard.projection import AT_RISK, WILL_MEET, WILL_MISS, project


def series(rates, cases=1000):
    return [(round(rate * cases / 100), cases) for rate in rates]


def test_steady_above_the_threshold_will_meet():
    p = project(series([82, 81, 83, 82, 81, 82]), elapsed=6, op=">=", threshold=70)
    assert p.outcome == WILL_MEET
    assert 80 < p.value < 83 and p.low <= p.value <= p.high and p.low > 70
    assert p.probability > 0.99


def test_a_steady_decline_will_miss_even_while_the_year_so_far_still_meets():
    months = series([85, 80, 75, 70, 65])
    so_far = sum(n for n, _ in months) / sum(d for _, d in months) * 100
    assert so_far >= 70  # the months so far still meet the threshold…
    p = project(months, elapsed=5, op=">=", threshold=70)
    assert p.outcome == WILL_MISS  # …but the trend takes the year below it
    assert p.value < 60 and p.high < 70 and p.probability < 0.01


def test_noise_around_the_threshold_is_at_risk():
    rng = random.Random(7)
    p = project(series([70 + rng.uniform(-8, 8) for _ in range(5)]), elapsed=5, op=">=", threshold=70)
    assert p.outcome == AT_RISK
    assert p.low < 70 < p.high and 0.05 < p.probability < 0.95


def test_too_few_months_give_no_projection():
    assert project(series([90, 91]), elapsed=2, op=">=", threshold=70) is None
    # months without cases do not count
    assert project([(0, 0), None, *series([90, 91])], elapsed=4, op=">=", threshold=70) is None


def test_months_after_the_elapsed_ones_are_ignored():
    given = series([80, 80, 80, 10, 10, 10])
    assert project(given, elapsed=3, op=">=", threshold=70).outcome == WILL_MEET


def test_the_year_is_the_cumulative_ratio_not_the_mean_of_months():
    # January: 1 of 1 (100%); the other months: 50% of 1,000 cases. The mean of ratios would say ~54%.
    months = [(1, 1), *[(500, 1000)] * 11]
    p = project(months, elapsed=12, op=">=", threshold=52)
    assert round(p.value, 2) == round(100 * 5501 / 11001, 2)
    assert p.low == p.high == p.value and p.outcome == WILL_MISS


def test_at_most_thresholds_are_mirrored_and_booleans_are_not_projected():
    p = project(series([5, 6, 5, 4, 5]), elapsed=5, op="<=", threshold=10)
    assert p.outcome == WILL_MEET and p.shortfall("<=", 10) < 0
    assert project(series([5, 6, 5]), elapsed=3, op="=", threshold=1).outcome is None


def test_shortfall_is_positive_when_short():
    p = project(series([50, 50, 50, 50]), elapsed=4, op=">=", threshold=70)
    assert round(p.shortfall(">=", 70)) == 20
