"""Each rule of the national on-time rule (tthc-dossiers.md §4), on dossiers made by hand."""

import polars as pl

from cchc.indicators.engine import compute
from cchc.indicators.periods import parse_period
from cchc.indicators.tests.frames import dossiers, procedures, units
from cchc.workdays.rules import WorkCalendar

CALENDAR = WorkCalendar([2023], extra_working_days=[])


def on_time(period: str, *rows: dict, procs=None) -> tuple[int, int]:
    """(on time, processed) for unit 4 in the period."""
    result = compute(
        dossiers(*rows), procs if procs is not None else procedures(), units(), [parse_period(period)], CALENDAR
    )
    row = result.filter(
        (pl.col("unit_id") == 4) & (pl.col("metric") == "PROCESSING_ON_TIME") & (pl.col("level") == "all")
    )
    return (row["numerator"].item(), row["denominator"].item()) if row.height else (0, 0)


C = {"unit_id": 4}


def test_finished_before_on_and_after_the_due_date():
    early = {**C, "accepted": "2023-03-01 08:00", "due": "2023-03-08 17:00", "finished": "2023-03-07 09:00"}
    same_day = {**C, "accepted": "2023-03-01 08:00", "due": "2023-03-08 08:00", "finished": "2023-03-08 16:30"}
    late = {**C, "accepted": "2023-03-01 08:00", "due": "2023-03-08 17:00", "finished": "2023-03-09 07:30"}
    assert on_time("202303", early) == (1, 1)
    assert on_time("202303", same_day) == (1, 1)  # calendar dates are compared, not hours
    assert on_time("202303", late) == (0, 1)


def test_in_progress_at_period_end_within_and_past_the_deadline():
    within = {**C, "status": 4, "accepted": "2023-03-27 08:00", "due": "2023-04-05 17:00"}
    past = {**C, "status": 4, "accepted": "2023-03-01 08:00", "due": "2023-03-20 17:00"}
    assert on_time("202303", within) == (1, 1)
    assert on_time("202303", past) == (0, 1)


def test_figures_are_as_of_the_period_end_so_a_closed_period_never_changes():
    # finished late in April: on time as seen on 31 March, late for the quarter II and the half year
    d = {**C, "accepted": "2023-03-27 08:00", "due": "2023-04-05 17:00", "finished": "2023-04-10 10:00"}
    assert on_time("202303", d) == (1, 1)
    assert on_time("202304", d) == (0, 1)  # carried over into April, where it ends late
    assert on_time("2023Q1", d) == (1, 1)
    assert on_time("2023S1", d) == (0, 1)


def test_carried_over_dossiers_count_until_they_end_and_not_after():
    d = {**C, "accepted": "2023-01-30 08:00", "due": "2023-03-10 17:00", "finished": "2023-02-20 10:00"}
    assert on_time("202301", d) == (1, 1)
    assert on_time("202302", d) == (1, 1)
    assert on_time("202303", d) == (0, 0)  # ended before March began


def test_a_supplied_supplement_pauses_the_clock():
    # due 10/3; paused 5/3 → 12/3 (7 days); finished 15/3 → adjusted 8/3: on time
    d = {
        **C,
        "accepted": "2023-03-01 08:00",
        "due": "2023-03-10 17:00",
        "finished": "2023-03-15 10:00",
        "requested": "2023-03-05 09:00",
        "supplied": "2023-03-12 09:00",
        "supplement_count": 1,
    }
    assert on_time("202303", d) == (1, 1)
    without_pause = {k: v for k, v in d.items() if k not in ("requested", "supplied", "supplement_count")}
    assert on_time("202303", without_pause) == (0, 1)


def test_a_supplement_not_supplied_by_the_period_end_stops_the_clock_at_the_request():
    d = {
        **C,
        "status": 5,
        "accepted": "2023-03-01 08:00",
        "due": "2023-03-10 17:00",
        "requested": "2023-03-06 09:00",
        "supplement_count": 1,
    }
    assert on_time("202303", d) == (1, 1)
    asked_too_late = {**d, "requested": "2023-03-14 09:00"}
    assert on_time("202303", asked_too_late) == (0, 1)


def test_a_supplement_supplied_after_the_period_end_is_not_seen():
    d = {
        **C,
        "accepted": "2023-03-01 08:00",
        "due": "2023-03-10 17:00",
        "requested": "2023-03-06 09:00",
        "supplied": "2023-04-03 09:00",
        "finished": "2023-04-05 09:00",
        "supplement_count": 1,
    }
    assert on_time("202303", d) == (1, 1)  # on 31/3: request seen, not supplied → adjusted = request date 6/3
    assert on_time("202304", d) == (1, 1)  # finished 5/4 − pause (6/3 → 3/4, 28 days) = 8/3 ≤ 10/3
    assert on_time("202304", {**d, "finished": "2023-04-08 09:00"}) == (0, 1)  # 11/3 > 10/3


def test_asking_for_a_supplement_twice_makes_the_dossier_late():
    d = {
        **C,
        "accepted": "2023-03-01 08:00",
        "due": "2023-03-10 17:00",
        "finished": "2023-03-08 10:00",
        "requested": "2023-03-02 09:00",
        "supplied": "2023-03-03 09:00",
        "supplement_count": 2,
    }
    assert on_time("202303", d) == (0, 1)


def test_withdrawn_and_stopped_dossiers_end_on_their_end_date():
    withdrawn = {
        **C,
        "status": 7,
        "accepted": "2023-03-01 08:00",
        "due": "2023-03-10 17:00",
        "finished": "2023-03-03 09:00",
    }
    assert on_time("202303", withdrawn) == (1, 1)
    assert on_time("202304", withdrawn) == (0, 0)


def test_not_accepted_dossiers_never_count():
    submitted = {**C, "status": 1, "accepted": None}
    refused = {**C, "status": 3, "accepted": "2023-03-01 08:00"}
    accepted = {**C, "status": 4, "accepted": "2023-03-01 08:00", "due": "2023-03-31 17:00"}
    assert on_time("202303", submitted, refused, accepted) == (1, 1)


def test_due_date_from_the_procedure_limit_when_the_appointment_is_empty():
    procs = procedures(
        {"procedure_id": 1, "time_limit": 3.0, "time_unit": "ngay_lam_viec"},
        {"procedure_id": 2, "time_limit": 3.0, "time_unit": "ngay"},
        {"procedure_id": 3, "time_limit": 8.0, "time_unit": "gio"},
        {"procedure_id": 4, "time_limit": 1.0, "time_unit": "thang"},
        {"procedure_id": 5, "time_limit": None, "time_unit": ""},
    )
    # accepted Friday 17/3: 3 working days → Wed 22/3; 3 days → Mon 20/3; 8 hours → Sat 18/3 01:00; 1 month → 17/4
    base = {**C, "accepted": "2023-03-17 17:00"}
    cases = [
        ({"procedure_id": 1, "finished": "2023-03-22 16:00"}, 1),
        ({"procedure_id": 1, "finished": "2023-03-23 08:00"}, 0),
        ({"procedure_id": 2, "finished": "2023-03-20 16:00"}, 1),
        ({"procedure_id": 2, "finished": "2023-03-21 08:00"}, 0),
        ({"procedure_id": 3, "finished": "2023-03-18 09:00"}, 1),
        ({"procedure_id": 3, "finished": "2023-03-19 09:00"}, 0),
        ({"procedure_id": 4, "finished": "2023-04-17 09:00"}, 1),
        ({"procedure_id": 4, "finished": "2023-04-18 09:00"}, 0),
        ({"procedure_id": 5, "finished": "2023-12-31 09:00"}, 1),  # no due date and no limit → on time
    ]
    for extra, expected in cases:
        assert on_time("2023", {**base, **extra}, procs=procs) == (expected, 1), extra


def test_working_days_skip_tet():
    procs = procedures({"procedure_id": 1, "time_limit": 3.0, "time_unit": "ngay_lam_viec"})
    # accepted Thu 19/1/2023; 20–26/1 are Tết and the weekend → 3rd working day is Tue 31/1
    assert on_time("2023", {**C, "accepted": "2023-01-19 09:00", "finished": "2023-01-31 15:00"}, procs=procs) == (1, 1)
    assert on_time("2023", {**C, "accepted": "2023-01-19 09:00", "finished": "2023-02-01 08:00"}, procs=procs) == (0, 1)


def test_the_worked_example_of_the_spec():
    finished_on_time = [
        {**C, "accepted": "2023-03-01 08:00", "due": "2023-03-10 17:00", "finished": "2023-03-09 10:00"}
    ] * 930
    in_progress_within = [{**C, "status": 4, "accepted": "2023-03-27 08:00", "due": "2023-04-07 17:00"}] * 40
    late = [{**C, "accepted": "2023-03-01 08:00", "due": "2023-03-10 17:00", "finished": "2023-03-14 10:00"}] * 30
    assert on_time("202303", *finished_on_time, *in_progress_within, *late) == (970, 1000)
