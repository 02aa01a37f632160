"""The plan's definitions where a simpler one used to stand (issue 10 item 6), with hand-worked figures."""

import polars as pl

from cchc.indicators.engine import compute
from cchc.indicators.periods import parse_period
from cchc.indicators.tests.frames import dossiers, procedures, units
from cchc.indicators.tests.test_metrics import CALENDAR, MARCH, values


def run(*rows, procs=None, unit_frame=None, periods=("202303",)):
    procs = procs if procs is not None else procedures()
    unit_frame = unit_frame if unit_frame is not None else units()
    return compute(dossiers(*rows), procs, unit_frame, [parse_period(p) for p in periods], CALENDAR)


def test_2_2b_counts_only_dossiers_of_procedures_that_offer_online_payment():
    procs = procedures(
        {"procedure_id": 1, "has_fee": True, "online_payment": True},
        {"procedure_id": 2, "has_fee": True, "online_payment": False},
    )
    fee = {"unit_id": 4, "accepted": MARCH, "has_financial_obligation": True}
    rows = [
        {**fee, "procedure_id": 1, "paid_online": 1},
        {**fee, "procedure_id": 1, "paid_online": 0},
        {**fee, "procedure_id": 1, "paid_online": 2},
        {**fee, "procedure_id": 2, "paid_online": 0},
        {**fee, "procedure_id": 2, "paid_online": 0},
        {"unit_id": 4, "accepted": MARCH, "procedure_id": 1},  # no financial obligation: in neither
    ]
    result = run(*rows, procs=procs)
    # 2.2b "among those": 2 paid of the 3 fee dossiers of procedure 1, which offers online payment.
    assert values(result, 4, "PAYMENT_DOSSIER_ONLINE_OFFERED") == (2, 3)
    # The 766 metric keeps every dossier with a financial obligation.
    assert values(result, 4, "PAYMENT_DOSSIER_ONLINE") == (2, 5)


def test_2_3_is_the_stock_of_still_valid_results_not_the_periods_new_results():
    paper = {"unit_id": 4, "status": 10, "accepted": "2022-05-01 08:00"}
    rows = [
        {**paper, "finished": "2022-06-01 09:00", "digitised": "2023-02-10 10:00"},  # old, digitised since
        {**paper, "finished": "2022-07-01 09:00"},  # old, still on paper
        {**paper, "finished": "2022-01-10 09:00", "expires": "2023-01-31 00:00"},  # expired: not in the stock
        {**paper, "accepted": MARCH, "finished": "2023-03-05 10:00", "electronic_result": True},
        {**paper, "accepted": MARCH, "finished": "2023-03-10 10:00", "digitised": "2023-04-05 10:00"},
        {"unit_id": 4, "status": 4, "accepted": MARCH},  # no result yet
        {"unit_id": 4, "status": 7, "accepted": MARCH, "finished": "2023-03-02 10:00"},  # withdrawn: no result
    ]
    result = run(*rows, periods=("202303", "202304"))
    # 31/03: four results still valid (two from 2022, two from March); the old digitised one and the electronic.
    assert values(result, 4, "RESULTS_VALID_DIGITISED") == (2, 4)
    # 30/04: the March paper result was digitised on 5/4.
    assert values(result, 4, "RESULTS_VALID_DIGITISED", period="202304") == (3, 4)
    # The flow the old definition used: March's new results issued electronically, 1 of 2.
    assert values(result, 4, "RESULT_DIGITISED") == (1, 2)
    # Summed up the hierarchy like every figure.
    assert values(result, 1, "RESULTS_VALID_DIGITISED", "C") == (2, 4)


def test_2_4a_counts_only_procedures_eligible_for_online_service():
    commune = {"at_province": False, "at_district": False, "at_commune": True}
    procs = procedures(
        {**commune, "procedure_id": 1, "online_level": "toan_trinh"},
        {**commune, "procedure_id": 2, "online_level": ""},
        {**commune, "procedure_id": 3, "online_level": "", "eligible_online": False},
        {**commune, "procedure_id": 4, "online_level": "", "internal": True},
    )
    result = run(procs=procs)
    assert values(result, 4, "ONLINE_SERVICE_ELIGIBLE_PROVIDED", "C") == (1, 2)
    assert values(result, 4, "ONLINE_SERVICE_PROVIDED", "C") == (1, 3)  # 766: every external procedure


def test_each_department_counts_its_own_procedures():
    # Province 1 with departments 2 and 6 (and the district 3 with its communes, as in frames.units).
    frame = pl.concat(
        [units(), pl.DataFrame({"unit_id": [6], "parent_id": [1], "level": ["P"]}, schema=units().schema)]
    )
    province = {"at_province": True, "at_district": False, "at_commune": False, "has_fee": True}
    procs = procedures(
        {**province, "procedure_id": 1, "owner_id": 2, "online_payment": True},
        {**province, "procedure_id": 2, "owner_id": 6, "online_payment": False},
        {**province, "procedure_id": 3, "owner_id": 6, "online_payment": True, "online_level": ""},
        {**province, "procedure_id": 4, "owner_id": None, "online_payment": False},  # owner unknown: everyone's
    )
    result = run(procs=procs, unit_frame=frame)
    assert values(result, 2, "FEE_PROCEDURES_ONLINE_PAYMENT", "P") == (1, 2)  # procedures 1 and 4
    assert values(result, 6, "FEE_PROCEDURES_ONLINE_PAYMENT", "P") == (1, 3)  # 2, 3 and 4
    assert values(result, 1, "FEE_PROCEDURES_ONLINE_PAYMENT", "P") == (2, 4)  # the province: every procedure
    assert values(result, 6, "ONLINE_SERVICE_INTEGRATED", "P") == (2, 2)  # 2 and 4 offered and integrated
    assert values(result, 2, "ONLINE_SERVICE_ELIGIBLE_PROVIDED", "P") == (2, 2)
