"""Dossier metrics per unit, administrative level and period, computed set-based in Polars.

Plain Python (no Django): `cchc.indicators.compute` loads the frames from the database and stores the
result. The rules are those of tthc-dossiers.md §4–6:

* only accepted dossiers count (statuses 1 and 3 never were);
* "accepted in P" — the date of NgayTiepNhan falls in P; "processed in P" — accepted in P, or accepted
  before P with no end event before P began (carried over);
* figures for P are computed as of P's last day: later events are not seen;
* on time: see `on_time_expr`.

Every ratio is stored as a numerator and a denominator; a unit's figure covers its own dossiers and all
its descendants', and the totals over the hierarchy are sums of numerators and of denominators.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import polars as pl

from cchc.core.clock import LOCAL_OFFSET_SECONDS
from cchc.dossiers import columns
from cchc.indicators.periods import Period
from cchc.workdays.rules import WorkCalendar

# The status codes of the national sync record, as the import checks them (dossiers/columns.py).
NOT_ACCEPTED = columns.STATUSES_NOT_ACCEPTED  # submitted online but not yet accepted; refused at intake
END_STATUSES = columns.STATUSES_ENDED  # withdrawn, stopped, finished, returned: dated by NgayKetThucXuLy
FINISHED_STATUSES = columns.STATUSES_FINISHED
ALL_LEVELS = "all"
Frame = TypeVar("Frame", pl.DataFrame, pl.LazyFrame)

# Columns the loader provides; *_ts are UTC epoch seconds (null when absent).
DOSSIER_COLUMNS = [
    "id",
    "unit_id",
    "procedure_id",
    "status",
    "channel",
    "accepted_ts",
    "due_ts",
    "finished_ts",
    "supplement_requested_ts",
    "supplement_supplied_ts",
    "supplement_count",
    "paid_online",
    "has_financial_obligation",
    "routed_electronically",
    "electronic_result",
    "digitised_components",
    "synced_dvcqg",
    "rating",
    "has_complaint",
    "reused_data",
    "from_citizen_store",
    "result_digitised_ts",
    "result_expires_ts",
]
PROCEDURE_COLUMNS = [
    "procedure_id",
    "at_province",
    "at_district",
    "at_commune",
    "online_level",
    "integrated_dvcqg",
    "has_fee",
    "online_payment",
    "paper_result",
    "time_limit",
    "time_unit",
    "internal",
    "eligible_online",
    "owner_id",
    "is_land",
]
# What the stock of still-valid results (target 2.3) reads of a dossier; a subset of DOSSIER_COLUMNS.
RESULT_COLUMNS = [
    "id",
    "unit_id",
    "status",
    "finished_ts",
    "electronic_result",
    "result_digitised_ts",
    "result_expires_ts",
]


@dataclass(frozen=True)
class Metric:
    code: str
    population: str  # accepted | finished | processed | stock | catalogue
    description: str


# Stored metric codes. Plan targets and 766 sub-indicators point at these (see metrics.py).
METRICS = [
    Metric("ACCEPTED", "accepted", "dossiers accepted in the period"),
    Metric("ROUTED_ELECTRONICALLY", "accepted", "routed electronically / accepted"),
    Metric("ONLINE_SUBMISSION", "accepted", "filed online / accepted"),
    Metric("PAYMENT_DOSSIER_ONLINE", "accepted", "paid online / with a financial obligation"),
    Metric(
        "PAYMENT_DOSSIER_ONLINE_OFFERED",
        "accepted",
        "paid online / with a financial obligation, procedures that offer online payment (2.2b)",
    ),
    Metric("DOSSIER_SYNC", "accepted", "synced to the national portal / accepted"),
    Metric("SATISFACTION_SURVEY", "accepted", "rated (very) satisfied / rated"),
    Metric("LAND_SATISFACTION_SURVEY", "accepted", "land procedures: rated (very) satisfied / rated"),
    Metric("DOSSIER_RECEIVING_SATISFACTION", "accepted", "not late, not dissatisfied, no complaint / accepted"),
    Metric("LAND_RECEIVING_SATISFACTION", "accepted", "the same for land procedures"),
    Metric("REUSED_DIGITIZED_DATA", "accepted", "reusing digitised data / accepted with that information"),
    Metric(
        "SYNCED_WITH_DVCQG_PERSONAL_STORAGE",
        "accepted",
        "linked to the citizen's data store / accepted with that information",
    ),
    Metric("RESULT_DIGITISED", "finished", "electronic result / finished in the period"),
    Metric("ORIGINAL_RESULT_AVAILABLE", "finished", "electronic result / finished, procedures with a paper result"),
    Metric("SO_HOA_GIAY_TO_GIAI_QUYET", "finished", "components and result digitised / finished"),
    Metric("PROCESSING_ON_TIME", "processed", "on time / processed in the period"),
    Metric(
        "RESULTS_VALID_DIGITISED",
        "stock",
        "still-valid results digitised / results still valid at the period's end, whenever issued (2.3)",
    ),
    Metric("ONLINE_SERVICE_PROVIDED", "catalogue", "procedures offered online / external procedures of the level"),
    Metric(
        "ONLINE_SERVICE_ELIGIBLE_PROVIDED",
        "catalogue",
        "eligible procedures offered online / external procedures of the level eligible for online service (2.4a)",
    ),
    Metric("ONLINE_SERVICE_INTEGRATED", "catalogue", "integrated on DVCQG / procedures offered online"),
    Metric("FEE_PROCEDURES_ONLINE_PAYMENT", "catalogue", "online payment deployed / fee-bearing procedures"),
    Metric("ONLINE_SERVICE_WITH_DOSSIERS", "catalogue", "online services with ≥ 1 online dossier / online services"),
    Metric("PAYMENT_FORMALITY_TRANSACTED", "catalogue", "fee procedures with ≥ 1 online payment / fee procedures"),
    Metric(
        "PAYMENT_FORMALITY_INTEGRATED",
        "catalogue",
        "fee procedures with ≥ 1 synced dossier with a fee / fee procedures",
    ),
]
METRIC_CODES = [m.code for m in METRICS]

LEAF_SCHEMA = pl.Schema(
    {
        "unit_id": pl.Int64,
        "period": pl.Utf8,
        "metric": pl.Utf8,
        "numerator": pl.Int64,
        "denominator": pl.Int64,
    }
)
USAGE_SCHEMA = pl.Schema(
    {
        "unit_id": pl.Int64,
        "period": pl.Utf8,
        "procedure_id": pl.Int64,
        "used_online": pl.Boolean,
        "paid": pl.Boolean,
        "fee_synced": pl.Boolean,
        # How many dossiers gave each flag (additive: the delta refresh adds and subtracts dossiers).
        "online_count": pl.Int64,
        "paid_count": pl.Int64,
        "fee_synced_count": pl.Int64,
    }
)
RESULT_SCHEMA = pl.Schema(
    {
        "unit_id": pl.Int64,
        "period": pl.Utf8,
        "level": pl.Utf8,
        "metric": pl.Utf8,
        "numerator": pl.Int64,
        "denominator": pl.Int64,
    }
)


def _local(col: str) -> pl.Expr:
    return pl.from_epoch(pl.col(col) + LOCAL_OFFSET_SECONDS, time_unit="s")


def prepare(dossiers: pl.DataFrame, procedures: pl.DataFrame, calendar: WorkCalendar) -> pl.DataFrame:
    """Accepted dossiers with local date-times, their procedure's attributes and a due date.

    Due date = NgayHenTra; when empty, acceptance + the procedure's limit in its unit (§4 rule 4).
    """
    frame = (
        dossiers.lazy()
        .filter(pl.col("accepted_ts").is_not_null() & ~pl.col("status").is_in(NOT_ACCEPTED))
        .join(procedures.lazy(), on="procedure_id", how="left")
        .with_columns(
            acc=_local("accepted_ts"),
            fin=_local("finished_ts"),
            req=_local("supplement_requested_ts"),
            sup=_local("supplement_supplied_ts"),
            due_given=_local("due_ts"),
        )
        .with_columns(acc_d=pl.col("acc").dt.date(), fin_d=pl.col("fin").dt.date(), req_d=pl.col("req").dt.date())
        .collect()
    )
    limit = pl.col("time_limit")
    n_int = limit.round(0).cast(pl.Int64)
    computed = (
        pl.when(pl.col("time_unit") == "gio")
        .then((pl.col("acc") + pl.duration(seconds=(limit * 3600).cast(pl.Int64))).dt.date())
        .when(pl.col("time_unit") == "ngay")
        .then(pl.col("acc_d") + pl.duration(days=n_int))
        .when(pl.col("time_unit") == "thang")
        .then(pl.col("acc_d").dt.offset_by(pl.format("{}mo", n_int)))
        .otherwise(None)
    )
    frame = frame.with_columns(due_d=pl.coalesce(pl.col("due_given").dt.date(), computed))
    # Working days: vectorised through the calendar's sorted array of working days.
    needs_workdays = (
        frame["due_d"].is_null()
        & (frame["time_unit"] == "ngay_lam_viec").fill_null(False)
        & frame["time_limit"].is_not_null()
    )
    if needs_workdays.any():
        rows = frame.filter(needs_workdays)
        days = rows["acc_d"].to_numpy().astype("datetime64[D]")
        steps = rows["time_limit"].round(0).cast(pl.Int64).to_numpy()
        due = calendar.add_working_days_array(days, steps)
        working_due = pl.Series("due_wd", due.astype("datetime64[D]")).cast(pl.Date)
        index = np.flatnonzero(needs_workdays.to_numpy())
        filled = frame["due_d"].scatter(index, working_due)
        frame = frame.with_columns(due_d=filled)
    return frame


def on_time_expr(period_end: dt.date) -> pl.Expr:
    """The national on-time rule (tthc-dossiers.md §4) as seen on `period_end`, for a processed dossier.

    1. End = the first end event on or before the period's last day (statuses 7–10, NgayKetThucXuLy).
    2. A supplement request seen by then: asked twice or more → late. Supplied (on or before the end,
       or the period's last day for a dossier still open) → the pause is subtracted from the end.
       Not supplied and not ended → the adjusted end is the request date.
    3. No end yet → the adjusted end is the period's last day.
    4./5. On time when date(adjusted end) ≤ date(due); no due date → on time.
    """
    end_d = pl.lit(period_end)
    end_dt = pl.lit(dt.datetime.combine(period_end, dt.time(23, 59, 59)))
    has_end = pl.col("status").is_in(END_STATUSES) & pl.col("fin_d").is_not_null() & (pl.col("fin_d") <= end_d)
    end = pl.when(has_end).then(pl.col("fin")).otherwise(end_dt)
    request_seen = pl.col("req").is_not_null() & (pl.col("req_d") <= end_d)
    supplied = request_seen & pl.col("sup").is_not_null() & (pl.col("sup") >= pl.col("req")) & (pl.col("sup") <= end)
    adjusted = (
        pl.when(supplied)
        .then(end - (pl.col("sup") - pl.col("req")))
        .when(request_seen & ~has_end)
        .then(pl.col("req"))
        .otherwise(end)
    )
    repeated = request_seen & (pl.col("supplement_count") >= 2)
    return ~repeated & (pl.col("due_d").is_null() | (adjusted.dt.date() <= pl.col("due_d")))


def processed_expr(period: Period) -> pl.Expr:
    start, end = pl.lit(period.start), pl.lit(period.end)
    ended_before = pl.col("status").is_in(END_STATUSES) & pl.col("fin_d").is_not_null() & (pl.col("fin_d") < start)
    return (pl.col("acc_d") <= end) & ((pl.col("acc_d") >= start) | ~ended_before)


def accepted_expr(period: Period) -> pl.Expr:
    return pl.col("acc_d").is_between(pl.lit(period.start), pl.lit(period.end))


def finished_expr(period: Period) -> pl.Expr:
    return pl.col("status").is_in(FINISHED_STATUSES) & pl.col("fin_d").is_between(
        pl.lit(period.start), pl.lit(period.end)
    )


def _count(expr: pl.Expr) -> pl.Expr:
    return expr.fill_null(False).cast(pl.Int64).sum()


def _pair(code: str, numerator: pl.Expr, denominator: pl.Expr) -> list[pl.Expr]:
    return [_count(numerator).alias(f"{code}|n"), _count(denominator).alias(f"{code}|d")]


def metric_conditions(period: Period) -> dict[str, tuple[pl.Expr, pl.Expr]]:
    """Per dossier metric: (is in the numerator, is in the denominator), over dossiers processed in the
    period with their `on_time` column. The same conditions aggregate figures and list the dossiers behind."""
    accepted = accepted_expr(period)
    finished = finished_expr(period)
    land = pl.col("is_land").fill_null(False)
    rated = pl.col("rating").is_not_null()
    pleased = pl.col("rating").is_in([1, 2])
    obligation = pl.col("has_financial_obligation")
    good_766 = pl.col("on_time") & (pl.col("rating").fill_null(0) != 3) & ~pl.col("has_complaint")
    electronic = pl.col("electronic_result")
    payable = pl.col("online_payment").fill_null(False)
    return {
        "ACCEPTED": (accepted, accepted),
        "ROUTED_ELECTRONICALLY": (accepted & pl.col("routed_electronically"), accepted),
        "ONLINE_SUBMISSION": (accepted & (pl.col("channel") == 2), accepted),
        "PAYMENT_DOSSIER_ONLINE": (accepted & obligation & pl.col("paid_online").is_in([1, 2]), accepted & obligation),
        # 2.2b: "among those" procedures that offer online payment (the catalogue's ThanhToanTrucTuyen).
        "PAYMENT_DOSSIER_ONLINE_OFFERED": (
            accepted & obligation & payable & pl.col("paid_online").is_in([1, 2]),
            accepted & obligation & payable,
        ),
        "DOSSIER_SYNC": (accepted & pl.col("synced_dvcqg"), accepted),
        "SATISFACTION_SURVEY": (accepted & pleased, accepted & rated),
        "LAND_SATISFACTION_SURVEY": (accepted & land & pleased, accepted & land & rated),
        "DOSSIER_RECEIVING_SATISFACTION": (accepted & good_766, accepted),
        "LAND_RECEIVING_SATISFACTION": (accepted & land & good_766, accepted & land),
        "REUSED_DIGITIZED_DATA": (accepted & pl.col("reused_data"), accepted & pl.col("reused_data").is_not_null()),
        "SYNCED_WITH_DVCQG_PERSONAL_STORAGE": (
            accepted & pl.col("from_citizen_store"),
            accepted & pl.col("from_citizen_store").is_not_null(),
        ),
        "RESULT_DIGITISED": (finished & electronic, finished),
        "ORIGINAL_RESULT_AVAILABLE": (
            finished & pl.col("paper_result") & electronic,
            finished & pl.col("paper_result"),
        ),
        "SO_HOA_GIAY_TO_GIAI_QUYET": (finished & pl.col("digitised_components") & electronic, finished),
        # Every dossier finished in P is processed in P (it had no end event before P), so the filter is exact.
        "PROCESSING_ON_TIME": (pl.col("on_time"), pl.col("on_time").is_not_null()),
    }


def processed_in(frame: pl.DataFrame, period: Period, timeliness: bool = False) -> pl.DataFrame:
    """Dossiers processed in the period, with `on_time` (and, for lists, `timeliness`) as of its last day."""
    processed = frame.filter(processed_expr(period)).with_columns(on_time=on_time_expr(period.end))
    return processed.with_columns(timeliness=timeliness_expr(period.end)) if timeliness else processed


def timeliness_expr(period_end: dt.date) -> pl.Expr:
    """How a processed dossier stands on the period's last day, in the portal's words."""
    ended = (
        pl.col("status").is_in(END_STATUSES) & pl.col("fin_d").is_not_null() & (pl.col("fin_d") <= pl.lit(period_end))
    )
    on_time = on_time_expr(period_end)
    early = pl.col("due_d").is_null() | (pl.col("fin_d") < pl.col("due_d"))
    return (
        pl.when(ended & on_time & early)
        .then(pl.lit("finished_early"))
        .when(ended & on_time)
        .then(pl.lit("finished_on_time"))
        .when(ended)
        .then(pl.lit("finished_late"))
        .when(on_time)
        .then(pl.lit("in_progress_on_time"))
        .otherwise(pl.lit("in_progress_late"))
    )


def dossier_metrics_for_period(frame: pl.DataFrame, period: Period) -> pl.DataFrame:
    """Numerators and denominators per handling unit for one period (wide: one column pair per metric)."""
    pairs = [expr for code, (num, den) in metric_conditions(period).items() for expr in _pair(code, num, den)]
    return processed_in(frame, period).group_by("unit_id").agg(pairs).with_columns(period=pl.lit(period.code))


def _wide_to_long(wide: pl.DataFrame, id_columns: list[str]) -> pl.DataFrame:
    value_columns = [c for c in wide.columns if "|" in c]
    long = wide.unpivot(index=id_columns, on=value_columns, variable_name="key", value_name="value")
    long = long.with_columns(
        metric=pl.col("key").str.split("|").list.get(0), part=pl.col("key").str.split("|").list.get(1)
    )
    if long.is_empty():
        return pl.DataFrame(
            schema={
                **{c: wide.schema[c] for c in id_columns},
                "metric": pl.Utf8,
                "numerator": pl.Int64,
                "denominator": pl.Int64,
            }
        )
    return long.pivot(on="part", index=[*id_columns, "metric"], values="value").rename(
        {"n": "numerator", "d": "denominator"}
    )


def ancestors_frame(units: pl.DataFrame) -> pl.DataFrame:
    """(unit_id, ancestor_id, level) for every unit and each of its ancestors, itself included."""
    parent = dict(zip(units["unit_id"].to_list(), units["parent_id"].to_list(), strict=True))
    level = dict(zip(units["unit_id"].to_list(), units["level"].to_list(), strict=True))
    rows = []
    for unit_id in parent:  # a few hundred units: the hierarchy, not the dossiers
        node = unit_id
        while node is not None:
            rows.append((unit_id, node, level[unit_id]))
            node = parent.get(node)
    return pl.DataFrame(rows, schema={"unit_id": pl.Int64, "ancestor_id": pl.Int64, "level": pl.Utf8}, orient="row")


def roll_up(leaf: pl.DataFrame, ancestors: pl.DataFrame) -> pl.DataFrame:
    """Sum leaf numerators and denominators into every ancestor, per level of the handling unit and in all."""
    joined = leaf.join(ancestors, on="unit_id")
    by_level = joined.group_by(["ancestor_id", "period", "level", "metric"]).agg(
        pl.col("numerator").sum(), pl.col("denominator").sum()
    )
    total = (
        joined.group_by(["ancestor_id", "period", "metric"])
        .agg(pl.col("numerator").sum(), pl.col("denominator").sum())
        .with_columns(level=pl.lit(ALL_LEVELS))
    )
    return pl.concat([by_level, total.select(by_level.columns)]).rename({"ancestor_id": "unit_id"})


def _usage_conditions() -> dict[str, pl.Expr]:
    """Per usage count: whether an accepted dossier adds one to it."""
    return {
        "online_count": pl.col("channel") == 2,
        "paid_count": pl.col("has_financial_obligation") & pl.col("paid_online").is_in([1, 2]),
        "fee_synced_count": pl.col("has_financial_obligation") & pl.col("synced_dvcqg"),
    }


def _usage_counts() -> list[pl.Expr]:
    return [_count(condition).alias(name) for name, condition in _usage_conditions().items()]


def procedure_usage(frame: pl.DataFrame, periods: Iterable[Period]) -> pl.DataFrame:
    """Which procedures each unit used in each period: online dossier, online payment, synced fee data."""
    parts = [
        frame.filter(accepted_expr(period))
        .group_by("unit_id", "procedure_id")
        .agg(_usage_counts())
        .with_columns(
            used_online=pl.col("online_count") > 0,
            paid=pl.col("paid_count") > 0,
            fee_synced=pl.col("fee_synced_count") > 0,
        )
        # A procedure used in none of the three ways counts in no numerator: not worth a row.
        .filter(pl.col("used_online") | pl.col("paid") | pl.col("fee_synced"))
        .with_columns(period=pl.lit(period.code))
        for period in periods
    ]
    return (
        pl.concat(parts).select(list(USAGE_SCHEMA)).cast(USAGE_SCHEMA) if parts else pl.DataFrame(schema=USAGE_SCHEMA)
    )


def catalogue_conditions() -> dict[str, tuple[pl.Expr, pl.Expr]]:
    """Per catalogue metric: (is in the numerator, is in the denominator), over `catalogue_scope` rows."""
    online = pl.col("used_online").fill_null(False)
    paid = pl.col("paid").fill_null(False)
    fee_synced = pl.col("fee_synced").fill_null(False)
    return {
        "ONLINE_SERVICE_PROVIDED": (pl.col("offered"), pl.col("external")),
        "ONLINE_SERVICE_ELIGIBLE_PROVIDED": (pl.col("offered") & pl.col("eligible"), pl.col("eligible")),
        "ONLINE_SERVICE_INTEGRATED": (pl.col("offered") & pl.col("integrated"), pl.col("offered")),
        "FEE_PROCEDURES_ONLINE_PAYMENT": (pl.col("fee_online"), pl.col("fee")),
        "ONLINE_SERVICE_WITH_DOSSIERS": (pl.col("offered") & online, pl.col("offered")),
        "PAYMENT_FORMALITY_TRANSACTED": (pl.col("fee") & paid, pl.col("fee")),
        "PAYMENT_FORMALITY_INTEGRATED": (pl.col("fee") & fee_synced, pl.col("fee")),
    }


def catalogue_scope(
    usage: pl.DataFrame, procedures: pl.DataFrame, ancestors: pl.DataFrame, periods: Iterable[Period]
) -> pl.DataFrame:
    """One row per (unit, level, procedure, period) in a unit's scope, with the procedure's flags and use.

    A unit's procedures are those of the catalogue that apply at the levels present in its subtree
    (a commune: commune-level procedures; a district: district- and commune-level ones; the province:
    all). A provincial-level procedure whose catalogue row names its owning agency (CoQuanThucHien) is in
    the scope of that agency and of its ancestors only; one without an owner is in every provincial-level
    unit's scope (the catalogue does not say whose it is). Counts of distinct procedures are not sums
    over units.
    """
    flags = procedures.select(
        "procedure_id",
        offered=pl.col("online_level").is_in(["toan_trinh", "mot_phan"]) & ~pl.col("internal"),
        external=~pl.col("internal"),
        # 2.4a: a procedure not marked otherwise is eligible for online service.
        eligible=~pl.col("internal") & pl.col("eligible_online").fill_null(True),
        integrated=pl.col("integrated_dvcqg"),
        fee=pl.col("has_fee"),
        fee_online=pl.col("has_fee") & pl.col("online_payment"),
    )
    proc_levels = pl.concat(
        [
            procedures.filter(pl.col(flag)).select("procedure_id", level=pl.lit(level))
            for flag, level in (("at_province", "P"), ("at_district", "D"), ("at_commune", "C"))
        ]
    )
    present = ancestors.select("ancestor_id", "level").unique()
    scope = present.join(proc_levels, on="level")
    # Owned provincial procedures: only the owner's ancestors (itself included) keep them.
    owner = procedures.select("procedure_id", "owner_id")
    owns = ancestors.select(owner_id="unit_id", ancestor_id="ancestor_id").unique().with_columns(owns=pl.lit(True))
    scope = (
        scope.join(owner, on="procedure_id", how="left")
        .join(owns, on=["owner_id", "ancestor_id"], how="left")
        .filter((pl.col("level") != "P") | pl.col("owner_id").is_null() | pl.col("owns").fill_null(False))
        .select("ancestor_id", "level", "procedure_id")
    )
    everything = scope.select("ancestor_id", "procedure_id").unique().with_columns(level=pl.lit(ALL_LEVELS))
    scope = pl.concat([scope, everything.select(scope.columns)]).join(flags, on="procedure_id")

    used = usage.join(ancestors, on="unit_id")
    any_use = [pl.col("used_online").any(), pl.col("paid").any(), pl.col("fee_synced").any()]
    used = pl.concat(
        [
            used.group_by("ancestor_id", "level", "procedure_id", "period").agg(any_use),
            used.group_by("ancestor_id", "procedure_id", "period").agg(any_use).with_columns(level=pl.lit(ALL_LEVELS)),
        ],
        how="diagonal",
    )
    period_codes = pl.DataFrame({"period": [p.code for p in periods]})
    return scope.join(period_codes, how="cross").join(
        used, on=["ancestor_id", "level", "procedure_id", "period"], how="left"
    )


def catalogue_metrics(
    usage: pl.DataFrame, procedures: pl.DataFrame, ancestors: pl.DataFrame, periods: Iterable[Period]
) -> pl.DataFrame:
    """Procedure counts per unit subtree and level (catalogue, current state) and their use in each period."""
    pairs = [expr for code, (num, den) in catalogue_conditions().items() for expr in _pair(code, num, den)]
    wide = catalogue_scope(usage, procedures, ancestors, periods).group_by("ancestor_id", "level", "period").agg(pairs)
    return _wide_to_long(wide.rename({"ancestor_id": "unit_id"}), ["unit_id", "level", "period"])


def result_stock_conditions(period_end: dt.date) -> tuple[pl.Expr, pl.Expr]:
    """2.3 as of `period_end`: (digitised, still valid) over dossiers with local dates `fin_d`, `dig_d`, `exp_d`.

    Still valid: processing finished (statuses 9, 10) on or before the day, and no expiry date or one after
    it — whenever the result was issued, so the figure is a stock, not the period's flow. Digitised: issued
    electronically (CoKetQuaDienTu) or digitised (NgaySoHoaKetQua) on or before the day.
    """
    end = pl.lit(period_end)
    valid = (
        pl.col("status").is_in(FINISHED_STATUSES)
        & pl.col("fin_d").is_not_null()
        & (pl.col("fin_d") <= end)
        & (pl.col("exp_d").is_null() | (pl.col("exp_d") > end))
    )
    digitised = valid & (pl.col("electronic_result") | (pl.col("dig_d").is_not_null() & (pl.col("dig_d") <= end)))
    return digitised, valid


def result_dates(results: Frame) -> Frame:
    """RESULT_COLUMNS with the local dates the stock reads (eager or lazy)."""
    return results.with_columns(
        fin_d=_local("finished_ts").dt.date(),
        dig_d=_local("result_digitised_ts").dt.date(),
        exp_d=_local("result_expires_ts").dt.date(),
    )


def result_stock(results: pl.DataFrame, periods: Iterable[Period]) -> pl.DataFrame:
    """Each unit's own still-valid results and those digitised, at the end of each period (long format).

    `results` has RESULT_COLUMNS for every dossier that may hold a result by the last period's end (the
    caller loads past years' too: a stock counts results issued before the period)."""
    frame = result_dates(results.select(RESULT_COLUMNS))
    parts = []
    for period in periods:
        digitised, valid = result_stock_conditions(period.end)
        parts.append(
            frame.group_by("unit_id")
            .agg(_pair("RESULTS_VALID_DIGITISED", digitised, valid))
            .with_columns(period=pl.lit(period.code))
        )
    wide = [w for w in parts if w.height]
    if not wide:
        return pl.DataFrame(schema=LEAF_SCHEMA)
    return _wide_to_long(pl.concat(wide), ["unit_id", "period"]).select(list(LEAF_SCHEMA)).cast(LEAF_SCHEMA)


def leaf_values(frame: pl.DataFrame, periods: Iterable[Period]) -> pl.DataFrame:
    """Each unit's own dossiers' numerators and denominators (no descendants), long format."""
    wide = [w for w in (dossier_metrics_for_period(frame, period) for period in periods) if w.height]
    if not wide:
        return pl.DataFrame(schema=LEAF_SCHEMA)
    return _wide_to_long(pl.concat(wide), ["unit_id", "period"]).select(list(LEAF_SCHEMA)).cast(LEAF_SCHEMA)


# -- the same figures by calendar months -------------------------------------------------------------------------
#
# `leaf_values`, `procedure_usage` and `result_stock` filter and aggregate the dossiers once per period (19 a year).
# The functions below give the same rows in one aggregation by calendar month and small sums over the months of
# each period, wherever the rule allows it (every period of a year is whole months of that year):
# * a figure over the dossiers accepted (finished) in P whose condition reads the dossier alone is the sum over the
#   months of P of the figure over the dossiers accepted (finished) in each month;
# * the stock of results compares dates with the last day of a month only, so each date may be moved to the last day
#   of its month (`month_end_within`) and the dossiers grouped by those dates;
# * the figures that read `on_time` (as of the period's last day) are computed per distinct last day, once for all
#   the periods that end on it.
# The per-period functions stay the reference (the drill-down and the delta refresh use them); tests compare both.

POPULATION = {m.code: m.population for m in METRICS}


def whole_months(periods: Iterable[Period]) -> pl.DataFrame | None:
    """(month, period): each calendar month of each period, when every period is whole months of one year; else None."""
    periods = list(periods)
    if not periods or len({p.start.year for p in periods} | {p.end.year for p in periods}) != 1:
        return None
    rows = []
    for p in periods:
        if p.start.day != 1 or (p.end + dt.timedelta(days=1)).day != 1:
            return None
        rows += [(month, p.code) for month in range(p.start.month, p.end.month + 1)]
    return pl.DataFrame(rows, schema={"month": pl.Int8, "period": pl.Utf8}, orient="row")


def _year_of(periods: Iterable[Period]) -> Period:
    year = next(iter(periods)).start.year
    return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), str(year), "year")


def month_end_within(date: pl.Expr, year: int) -> pl.Expr:
    """The last day of the date's month; 31 December of the year before for an earlier date, 31 January of the year
    after for a later one. Compared with the first or the last day of any month of `year`, it gives what the date
    gives (before, on or after), so dossiers may be grouped by it."""
    return (
        pl.when(date < pl.lit(dt.date(year, 1, 1)))
        .then(pl.lit(dt.date(year - 1, 12, 31)))
        .when(date > pl.lit(dt.date(year, 12, 31)))
        .then(pl.lit(dt.date(year + 1, 1, 31)))
        .otherwise(date.dt.month_end())
    )


def _flag(expr: pl.Expr, name: str) -> pl.Expr:
    return expr.fill_null(False).cast(pl.Int64).alias(name)


def _monthly(flags: pl.DataFrame, months: pl.DataFrame, keys: list[str], later: str | None = None) -> pl.DataFrame:
    """Monthly sums (keys, month, [later], values) → sums per (keys, period); with `later`, a row counts in a period
    only when that month is not after the period's last month."""
    values = [c for c in flags.columns if c not in {*keys, "month", later}]
    joined = flags.join(months, on="month")
    if later is not None:
        last = months.group_by("period").agg(pl.col("month").max().alias("_last"))
        joined = joined.join(last, on="period").filter(pl.col(later) <= pl.col("_last"))
    return joined.group_by([*keys, "period"]).agg(pl.col(values).sum())


def leaf_values_by_months(frame: pl.DataFrame, periods: Iterable[Period]) -> pl.DataFrame:
    """`leaf_values`, computed by calendar month (same rows, same figures)."""
    periods = list(periods)
    months = whole_months(periods)
    if months is None:
        return leaf_values(frame, periods)
    year = _year_of(periods)
    conditions = metric_conditions(year)
    by_population: dict[str, list[str]] = {"accepted": [], "finished": [], "other": []}
    for code, (numerator, denominator) in conditions.items():
        reads = set(numerator.meta.root_names()) | set(denominator.meta.root_names())
        population = POPULATION[code] if "on_time" not in reads else "other"
        by_population.get(population, by_population["other"]).append(code)

    def flags(codes: list[str], where: dict[str, tuple[pl.Expr, pl.Expr]]) -> list[pl.Expr]:
        return [
            expr for code in codes for expr in (_flag(where[code][0], f"{code}|n"), _flag(where[code][1], f"{code}|d"))
        ]

    # Lazy queries, collected together: each reads only the columns it needs of the rows it keeps.
    lazy = frame.lazy()
    # The figures that read the dossier's standing on the period's last day: once per last day.
    other = by_population["other"]
    ends: list[list[Period]] = []
    queries = []
    for end in sorted({p.end for p in periods}):
        ending = [p for p in periods if p.end == end]
        longest = Period(min(p.start for p in ending), end, "", "")
        columns = []
        for p in ending:
            inside = processed_expr(p)
            where = {code: (inside & num, inside & den) for code, (num, den) in metric_conditions(p).items()}
            columns += [e.name.prefix(f"{p.code}/") for e in (_flag(inside, "_processed"), *flags(other, where))]
        # Processed in a period ⇒ processed in a longer one with the same end: these rows cover every period here.
        ends.append(ending)
        queries.append(
            lazy.filter(processed_expr(longest))
            .with_columns(on_time=on_time_expr(end))
            .select("unit_id", *columns)
            .group_by("unit_id")
            .sum()
        )
    # Accepted in P: the months of P add up. Finished in P: the same, for the dossiers accepted by P's end (processed
    # in P) — a dossier finished before it was accepted counts only in the periods that reach its acceptance.
    whole = {code: conditions[code] for code in by_population["accepted"] + by_population["finished"]}
    queries.append(
        lazy.filter(accepted_expr(year))
        .select(
            "unit_id", pl.col("acc_d").dt.month().cast(pl.Int8).alias("month"), *flags(by_population["accepted"], whole)
        )
        .group_by("unit_id", "month")
        .sum()
    )
    later = pl.max_horizontal(
        pl.col("fin_d").dt.month(),
        pl.when(pl.col("acc_d") < pl.lit(year.start))
        .then(1)
        .when(pl.col("acc_d") > pl.lit(year.end))
        .then(13)
        .otherwise(pl.col("acc_d").dt.month()),
    )
    queries.append(
        lazy.filter(finished_expr(year))
        .select(
            "unit_id",
            pl.col("fin_d").dt.month().cast(pl.Int8).alias("month"),
            later.cast(pl.Int8).alias("_later"),
            *flags(by_population["finished"], whole),
        )
        .group_by("unit_id", "month", "_later")
        .sum()
    )
    *by_end, accepted, finished = pl.collect_all(queries)

    wide = []
    for ending, sums in zip(ends, by_end, strict=True):
        for p in ending:
            mine = [c for c in sums.columns if c.startswith(f"{p.code}/")]
            wide.append(
                sums.select("unit_id", *(pl.col(c).alias(c.split("/", 1)[1]) for c in mine))
                .filter(pl.col("_processed") > 0)  # the per-period rows: units with a dossier processed in P
                .with_columns(period=pl.lit(p.code))
            )
    if not wide:
        return pl.DataFrame(schema=LEAF_SCHEMA)
    leaf = pl.concat(wide).drop("_processed")
    leaf = leaf.join(_monthly(accepted, months, ["unit_id"]), on=["unit_id", "period"], how="left")
    leaf = leaf.join(_monthly(finished, months, ["unit_id"], "_later"), on=["unit_id", "period"], how="left")
    leaf = leaf.with_columns(pl.exclude("unit_id", "period").fill_null(0))
    return _wide_to_long(leaf, ["unit_id", "period"]).select(list(LEAF_SCHEMA)).cast(LEAF_SCHEMA)


def procedure_usage_by_months(frame: pl.DataFrame, periods: Iterable[Period]) -> pl.DataFrame:
    """`procedure_usage`, computed by calendar month (same rows)."""
    periods = list(periods)
    months = whole_months(periods)
    if months is None:
        return procedure_usage(frame, periods)
    counts = _usage_conditions()
    monthly = (
        frame.lazy()
        .filter(accepted_expr(_year_of(periods)))
        .select(
            "unit_id",
            "procedure_id",
            pl.col("acc_d").dt.month().cast(pl.Int8).alias("month"),
            *(_flag(condition, name) for name, condition in counts.items()),
        )
        .group_by("unit_id", "procedure_id", "month")
        .sum()
        .collect()
    )
    return (
        _monthly(monthly, months, ["unit_id", "procedure_id"])
        .with_columns(
            used_online=pl.col("online_count") > 0,
            paid=pl.col("paid_count") > 0,
            fee_synced=pl.col("fee_synced_count") > 0,
        )
        .filter(pl.col("used_online") | pl.col("paid") | pl.col("fee_synced"))
        .select(list(USAGE_SCHEMA))
        .cast(USAGE_SCHEMA)
    )


def result_stock_by_months(results: pl.DataFrame, periods: Iterable[Period]) -> pl.DataFrame:
    """`result_stock`, computed on the results grouped by the months of their dates (same rows, same figures)."""
    periods = list(periods)
    if whole_months(periods) is None:
        return result_stock(results, periods)
    year = _year_of(periods).start.year
    dates = ["fin_d", "dig_d", "exp_d"]
    grouped = (
        result_dates(results.lazy().select(RESULT_COLUMNS))
        .select(
            "unit_id",
            "status",
            "electronic_result",
            *(month_end_within(pl.col(name), year).alias(name) for name in dates),
        )
        .group_by("unit_id", "status", "electronic_result", *dates)
        .agg(_n=pl.len())
        .collect()
    )
    parts = []
    for period in periods:
        digitised, valid = result_stock_conditions(period.end)
        parts.append(
            grouped.group_by("unit_id")
            .agg(
                (digitised.fill_null(False).cast(pl.Int64) * pl.col("_n")).sum().alias("RESULTS_VALID_DIGITISED|n"),
                (valid.fill_null(False).cast(pl.Int64) * pl.col("_n")).sum().alias("RESULTS_VALID_DIGITISED|d"),
            )
            .with_columns(period=pl.lit(period.code))
        )
    wide = [w for w in parts if w.height]
    if not wide:
        return pl.DataFrame(schema=LEAF_SCHEMA)
    return _wide_to_long(pl.concat(wide), ["unit_id", "period"]).select(list(LEAF_SCHEMA)).cast(LEAF_SCHEMA)


def totals(
    leaf: pl.DataFrame,
    usage: pl.DataFrame,
    procedures: pl.DataFrame,
    units: pl.DataFrame,
    periods: list[Period],
) -> pl.DataFrame:
    """Every unit's figures (its own and its descendants' dossiers), per level and in all."""
    ancestors = ancestors_frame(units)
    parts = [roll_up(leaf, ancestors)] if leaf.height else []
    parts.append(catalogue_metrics(usage, procedures, ancestors, periods))
    result = pl.concat([p.select(list(RESULT_SCHEMA)).cast(RESULT_SCHEMA) for p in parts])
    # A zero denominator reads the same as no row ("no data"), so it is not stored.
    return result.filter(pl.col("denominator") > 0).sort("unit_id", "period", "level", "metric")


def compute(
    dossiers: pl.DataFrame,
    procedures: pl.DataFrame,
    units: pl.DataFrame,
    periods: list[Period],
    calendar: WorkCalendar,
) -> pl.DataFrame:
    """All metrics for the given periods: one row per (unit, period, level, metric) with its counts.

    `units` has unit_id, parent_id and level (P/D/C). The stock of results (2.3) is read from the same
    dossiers, which should then include those finished in earlier years.
    """
    frame = prepare(dossiers, procedures, calendar)
    leaf = pl.concat([leaf_values(frame, periods), result_stock(dossiers, periods)])
    return totals(leaf, procedure_usage(frame, periods), procedures, units, periods)
