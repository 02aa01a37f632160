"""The plan's dossier metrics (§5) per unit, level and period, and their hierarchy totals."""

import polars as pl

from cchc.indicators.engine import compute
from cchc.indicators.periods import parse_period
from cchc.indicators.tests.frames import dossiers, procedures, units
from cchc.workdays.rules import WorkCalendar

CALENDAR = WorkCalendar([2023])
MARCH = "2023-03-01 08:00"


def values(frame: pl.DataFrame, unit: int, metric: str, level: str = "all", period: str = "202303"):
    row = frame.filter(
        (pl.col("unit_id") == unit)
        & (pl.col("metric") == metric)
        & (pl.col("level") == level)
        & (pl.col("period") == period)
    )
    return (row["numerator"].item(), row["denominator"].item()) if row.height else None


def run(*rows, procs=None, periods=("202303",)):
    procs = procs if procs is not None else procedures()
    return compute(dossiers(*rows), procs, units(), [parse_period(p) for p in periods], CALENDAR)


def test_province_totals_are_sums_of_numerators_and_denominators_never_averages():
    # district 3: 1 of 1 routed (100%); commune 4: 1 of 3 routed (33%); the average of ratios would be 67%
    rows = [
        {"unit_id": 3, "accepted": MARCH, "routed_electronically": True},
        {"unit_id": 4, "accepted": MARCH, "routed_electronically": True},
        {"unit_id": 4, "accepted": MARCH},
        {"unit_id": 4, "accepted": MARCH},
    ]
    result = run(*rows)
    assert values(result, 3, "ROUTED_ELECTRONICALLY") == (2, 4)  # district with its communes
    assert values(result, 3, "ROUTED_ELECTRONICALLY", "D") == (1, 1)
    assert values(result, 3, "ROUTED_ELECTRONICALLY", "C") == (1, 3)
    assert values(result, 1, "ROUTED_ELECTRONICALLY") == (2, 4)
    assert values(result, 1, "ROUTED_ELECTRONICALLY", "P") is None  # no provincial dossiers at all


def test_accepted_in_the_period_is_the_key_of_most_metrics():
    rows = [
        {"unit_id": 4, "accepted": "2023-02-27 08:00", "channel": 2},
        {"unit_id": 4, "accepted": MARCH, "channel": 2},
        {"unit_id": 4, "accepted": MARCH, "channel": 1},
    ]
    result = run(*rows, periods=("202302", "202303", "2023Q1"))
    assert values(result, 4, "ONLINE_SUBMISSION", period="202302") == (1, 1)
    assert values(result, 4, "ONLINE_SUBMISSION", period="202303") == (1, 2)
    assert values(result, 4, "ONLINE_SUBMISSION", period="2023Q1") == (2, 3)


def test_online_payment_counts_only_dossiers_with_a_financial_obligation():
    rows = [
        {"unit_id": 4, "accepted": MARCH, "has_financial_obligation": True, "paid_online": 1},
        {"unit_id": 4, "accepted": MARCH, "has_financial_obligation": True, "paid_online": 2},
        {"unit_id": 4, "accepted": MARCH, "has_financial_obligation": True, "paid_online": 0},
        {"unit_id": 4, "accepted": MARCH, "has_financial_obligation": False, "paid_online": 1},
    ]
    assert values(run(*rows), 4, "PAYMENT_DOSSIER_ONLINE") == (2, 3)


def test_results_digitised_count_dossiers_finished_in_the_period():
    rows = [
        {"unit_id": 4, "accepted": MARCH, "finished": "2023-03-05 10:00", "electronic_result": True},
        {"unit_id": 4, "accepted": MARCH, "finished": "2023-04-05 10:00", "electronic_result": True},
        {"unit_id": 4, "accepted": MARCH, "finished": "2023-03-06 10:00"},
        {"unit_id": 4, "status": 4, "accepted": MARCH},
    ]
    assert values(run(*rows), 4, "RESULT_DIGITISED") == (1, 2)


def test_satisfaction_survey_and_766_measures():
    due = "2023-03-20 17:00"
    rows = [
        {"unit_id": 4, "accepted": MARCH, "due": due, "finished": "2023-03-05 10:00", "rating": 1},
        {"unit_id": 4, "accepted": MARCH, "due": due, "finished": "2023-03-05 10:00", "rating": 2},
        {"unit_id": 4, "accepted": MARCH, "due": due, "finished": "2023-03-05 10:00", "rating": 3},
        {"unit_id": 4, "accepted": MARCH, "due": due, "finished": "2023-03-25 10:00", "rating": 1},  # late
        {"unit_id": 4, "accepted": MARCH, "due": due, "finished": "2023-03-05 10:00", "has_complaint": True},
        {"unit_id": 4, "accepted": MARCH, "due": due, "finished": "2023-03-05 10:00"},
    ]
    result = run(*rows)
    assert values(result, 4, "SATISFACTION_SURVEY") == (3, 4)  # rated (very) satisfied / rated
    # 766: 6 accepted − 1 dissatisfied − 1 late − 1 complaint, each counted once
    assert values(result, 4, "DOSSIER_RECEIVING_SATISFACTION") == (3, 6)


def test_land_measures_keep_to_land_procedures():
    procs = procedures({"procedure_id": 1}, {"procedure_id": 2, "is_land": True})
    rows = [
        {"unit_id": 3, "procedure_id": 2, "accepted": MARCH, "rating": 3},
        {"unit_id": 3, "procedure_id": 2, "accepted": MARCH, "rating": 2},
        {"unit_id": 3, "procedure_id": 1, "accepted": MARCH, "rating": 1},
    ]
    result = run(*rows, procs=procs)
    assert values(result, 3, "LAND_SATISFACTION_SURVEY") == (1, 2)
    assert values(result, 3, "SATISFACTION_SURVEY") == (2, 3)


def test_unknown_reuse_information_is_not_counted_as_no():
    rows = [
        {"unit_id": 4, "accepted": MARCH, "reused_data": True},
        {"unit_id": 4, "accepted": MARCH, "reused_data": False},
        {"unit_id": 4, "accepted": MARCH},  # a CSV record: not known
    ]
    assert values(run(*rows), 4, "REUSED_DIGITIZED_DATA") == (1, 2)


def test_catalogue_metrics_count_procedures_of_the_levels_in_the_subtree():
    procs = procedures(
        {
            "procedure_id": 1,
            "at_province": True,
            "at_district": False,
            "at_commune": False,
            "online_level": "toan_trinh",
        },
        {
            "procedure_id": 2,
            "at_district": True,
            "at_commune": False,
            "online_level": "",
            "has_fee": True,
            "online_payment": True,
        },
        {
            "procedure_id": 3,
            "at_district": False,
            "at_commune": True,
            "online_level": "mot_phan",
            "integrated_dvcqg": False,
            "has_fee": True,
        },
        {"procedure_id": 4, "at_district": False, "at_commune": True, "online_level": "", "internal": True},
    )
    rows = [
        {
            "unit_id": 4,
            "procedure_id": 3,
            "accepted": MARCH,
            "channel": 2,
            "has_financial_obligation": True,
            "paid_online": 1,
        }
    ]
    result = run(*rows, procs=procs)
    # commune 4: procedures 3 (external, online) and 4 (internal, not counted)
    assert values(result, 4, "ONLINE_SERVICE_PROVIDED") == (1, 1)
    assert values(result, 4, "ONLINE_SERVICE_WITH_DOSSIERS") == (1, 1)
    assert values(result, 5, "ONLINE_SERVICE_WITH_DOSSIERS") == (0, 1)  # the other commune had none
    # district 3 with its communes: procedures 2 and 3
    assert values(result, 3, "ONLINE_SERVICE_PROVIDED") == (1, 2)
    assert values(result, 3, "FEE_PROCEDURES_ONLINE_PAYMENT") == (1, 2)
    assert values(result, 3, "PAYMENT_FORMALITY_TRANSACTED") == (1, 2)
    assert values(result, 3, "ONLINE_SERVICE_INTEGRATED", "C") == (0, 1)
    # the province: all four (three external)
    assert values(result, 1, "ONLINE_SERVICE_PROVIDED") == (2, 3)
    assert values(result, 2, "ONLINE_SERVICE_PROVIDED") == (1, 1)  # a department: provincial procedures


def test_no_procedure_in_scope_and_no_dossier_gives_no_rows_not_an_error():
    procs = procedures({"procedure_id": 1, "at_province": False, "at_district": False, "at_commune": False})
    result = compute(dossiers(), procs, units(), [parse_period("202303")], CALENDAR)
    assert result.is_empty()
