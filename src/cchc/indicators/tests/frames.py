"""Hand-made dossier frames for the engine's tests, written in local time as a person reads them."""

import datetime as dt

import polars as pl

from cchc.indicators.engine import DOSSIER_COLUMNS, LOCAL_OFFSET_SECONDS, PROCEDURE_COLUMNS

DEFAULTS = {
    "unit_id": 1,
    "procedure_id": 1,
    "status": 10,
    "channel": 1,
    "supplement_count": 0,
    "paid_online": 0,
    "has_financial_obligation": False,
    "routed_electronically": False,
    "electronic_result": False,
    "digitised_components": False,
    "synced_dvcqg": False,
    "rating": None,
    "has_complaint": False,
    "reused_data": None,
    "from_citizen_store": None,
    "result_digitised_ts": None,
    "result_expires_ts": None,
}
TIMES = {
    "accepted": "accepted_ts",
    "due": "due_ts",
    "finished": "finished_ts",
    "requested": "supplement_requested_ts",
    "supplied": "supplement_supplied_ts",
    "digitised": "result_digitised_ts",
    "expires": "result_expires_ts",
}


def epoch(local: str | None) -> int | None:
    """'2023-03-01 08:00' local (UTC+7) → UTC epoch seconds."""
    if local is None:
        return None
    moment = dt.datetime.fromisoformat(local).replace(tzinfo=dt.UTC)
    return int(moment.timestamp()) - LOCAL_OFFSET_SECONDS


def dossiers(*rows: dict) -> pl.DataFrame:
    records = []
    for i, row in enumerate(rows, start=1):
        record = {"id": i, **DEFAULTS}
        for key, value in row.items():
            record[TIMES.get(key, key)] = epoch(value) if key in TIMES else value
        for column in TIMES.values():
            record.setdefault(column, None)
        records.append(record)
    schema = {c: pl.Int64 for c in DOSSIER_COLUMNS}
    for flag in (
        "has_financial_obligation",
        "routed_electronically",
        "electronic_result",
        "digitised_components",
        "synced_dvcqg",
        "has_complaint",
        "reused_data",
        "from_citizen_store",
    ):
        schema[flag] = pl.Boolean
    return pl.DataFrame(records, schema=schema).select(DOSSIER_COLUMNS)


def procedures(*rows: dict) -> pl.DataFrame:
    base = {
        "procedure_id": 1,
        "at_province": False,
        "at_district": True,
        "at_commune": True,
        "online_level": "mot_phan",
        "integrated_dvcqg": True,
        "has_fee": False,
        "online_payment": False,
        "paper_result": True,
        "time_limit": 5.0,
        "time_unit": "ngay_lam_viec",
        "internal": False,
        "eligible_online": True,
        "owner_id": None,
        "is_land": False,
    }
    rows = rows or ({},)
    return pl.DataFrame([{**base, **row} for row in rows], schema_overrides={"owner_id": pl.Int64}).select(
        PROCEDURE_COLUMNS
    )


def units() -> pl.DataFrame:
    """A province (1, level P) with a department (2, P), a district (3, D) and its two communes (4, 5, C)."""
    return pl.DataFrame(
        {"unit_id": [1, 2, 3, 4, 5], "parent_id": [None, 1, 1, 3, 3], "level": ["P", "P", "D", "C", "C"]},
        schema={"unit_id": pl.Int64, "parent_id": pl.Int64, "level": pl.Utf8},
    )
