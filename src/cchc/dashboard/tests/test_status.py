"""The status rules of the dashboard (cchc.dashboard.rules), one case per rule."""

import datetime as dt

from cchc.dashboard.projection import AT_RISK, WILL_MEET, WILL_MISS, Projection
from cchc.dashboard.rules import AT_RISK as S_AT_RISK
from cchc.dashboard.rules import (
    MET,
    MISSED,
    NO_DATA,
    ON_TRACK,
    path_threshold,
    status,
    worst,
)


def outlook(outcome):
    return Projection(75, 72, 78, outcome, 0.9, 6)


def test_no_value_or_no_threshold_is_no_data():
    assert status(None, ">=", 70, False) == NO_DATA
    assert status(80, None, None, True) == NO_DATA


def test_a_complete_year_is_met_or_missed_on_its_value():
    assert status(70, ">=", 70, True) == MET
    assert status(69.9, ">=", 70, True) == MISSED
    assert status(69.9, ">=", 70, True, outlook(WILL_MEET)) == MISSED  # the year's value is final


def test_during_the_year_met_needs_the_value_and_the_projection():
    assert status(80, ">=", 70, False, outlook(WILL_MEET)) == MET
    assert status(65, ">=", 70, False, outlook(WILL_MEET)) == ON_TRACK  # not yet, but heading there
    assert status(80, ">=", 70, False, None) == ON_TRACK  # too few months to project
    assert status(80, ">=", 70, False, outlook(AT_RISK)) == S_AT_RISK
    assert status(80, ">=", 70, False, outlook(WILL_MISS)) == S_AT_RISK
    assert status(60, ">=", 70, False, None) == S_AT_RISK


def test_the_straight_line_path_of_a_multi_year_goal():
    start, goal = dt.date(2021, 12, 31), dt.date(2025, 12, 31)
    assert path_threshold(0, 100, start, goal, dt.date(2023, 12, 31)) == 50.0
    assert round(path_threshold(0, 100, start, goal, dt.date(2023, 3, 31)), 1) == 31.2
    assert path_threshold(0, 100, start, goal, dt.date(2027, 1, 1)) == 100
    assert path_threshold(20, 100, start, goal, dt.date(2020, 1, 1)) == 20


def test_a_row_shows_its_worst_level():
    assert worst([MET, S_AT_RISK, ON_TRACK]) == S_AT_RISK
    assert worst([MET, MISSED]) == MISSED
    assert worst([]) == NO_DATA
