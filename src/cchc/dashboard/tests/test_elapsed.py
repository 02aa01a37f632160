"""Which months of the year count as over for the projection, from the period shown and today."""

import datetime as dt

from cchc.dashboard.queries import elapsed_months
from cchc.indicators.periods import parse_period


def test_months_over_up_to_the_end_of_the_period_shown():
    late = dt.date(2026, 1, 1)
    assert elapsed_months(parse_period("2023"), late) == 12
    assert elapsed_months(parse_period("2023Q2"), late) == 6
    assert elapsed_months(parse_period("202302"), late) == 2


def test_a_month_counts_once_its_last_day_is_reached():
    assert elapsed_months(parse_period("2023"), dt.date(2023, 5, 30)) == 4
    assert elapsed_months(parse_period("2023"), dt.date(2023, 5, 31)) == 5
    assert elapsed_months(parse_period("2024"), dt.date(2023, 5, 31)) == 0
