"""Load dossiers from the database into Polars, run the engine, store the values (set-based both ways).

Reading goes through Django's own connection (so it sees the current transaction): PostgreSQL streams
`COPY … TO STDOUT` into Polars' CSV reader, SQLite hands over rows; date-times travel as epoch seconds.
Writing replaces the affected rows with one executemany (SQLite) or one COPY (PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import polars as pl
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.core import clock, locks
from cchc.dossiers.models import Dossier, Procedure, RefreshMark
from cchc.indicators import delta, engine
from cchc.indicators.models import DeltaBase, IndicatorValue, LeafValue, ProcedureUsage
from cchc.indicators.periods import Period, periods_of_year
from cchc.units.models import LEVEL_OF_KIND, Unit
from cchc.workdays.models import calendar_for

Progress = Callable[[int, int, str], None]
USAGE_COUNTS = ["online_count", "paid_count", "fee_synced_count"]
log = logging.getLogger(__name__)

_DOSSIER_TIMES = {
    "accepted_ts": "accepted_at",
    "due_ts": "due_at",
    "finished_ts": "finished_at",
    "supplement_requested_ts": "supplement_requested_at",
    "supplement_supplied_ts": "supplement_supplied_at",
    "result_digitised_ts": "result_digitised_at",
    "result_expires_ts": "result_expires_at",
}


def _epoch(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(EXTRACT(EPOCH FROM {column}) AS BIGINT)"
    return f"CAST(strftime('%%s', {column}) AS INTEGER)"  # %% escapes the placeholder


def _fetch_frame(sql: str, params: list, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            literal = cursor.mogrify(sql, params)
            literal = literal.decode() if isinstance(literal, bytes) else literal
            buffer = io.BytesIO()
            with cursor.cursor.copy(f"COPY ({literal}) TO STDOUT WITH (FORMAT csv)") as copy:
                for chunk in copy:
                    buffer.write(chunk)
            buffer.seek(0)
            if not buffer.getbuffer().nbytes:
                return pl.DataFrame(schema=schema)
            raw = {name: (pl.Utf8 if dtype == pl.Boolean else dtype) for name, dtype in schema.items()}
            frame = pl.read_csv(buffer, has_header=False, new_columns=list(schema), schema_overrides=raw)
            return frame.with_columns(
                [
                    pl.col(n).replace_strict({"t": True, "f": False}, default=None, return_dtype=pl.Boolean)
                    for n, d in schema.items()
                    if d == pl.Boolean
                ]
            )
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return pl.DataFrame(rows, schema=schema, orient="row")


def _utc_bound(day: dt.date) -> dt.datetime:
    """Local midnight of `day` as an aware datetime (the database stores UTC)."""
    return dt.datetime.combine(day, dt.time(), tzinfo=clock.LOCAL_TIMEZONE)


def load_dossiers(year: int, unit_ids: Iterable[int] | None = None, period: Period | None = None) -> pl.DataFrame:
    """Accepted dossiers that can be processed in some period of `year` (accepted by its end, not ended
    before its start) — or in `period` only —, for the given units or all."""
    table = Dossier._meta.db_table
    # Few columns cross the driver: the small integers and flags travel packed in one integer (a million
    # rows of 21 Python objects each cost seconds; of 9, a third of that), unpacked in Polars.
    columns = ["id", "unit_id", "procedure_id", *(f"{_epoch(col)} AS {name}" for name, col in _DOSSIER_TIMES.items())]
    columns.append(f"({_PACKED_SQL}) AS packed")
    where = ["accepted_at IS NOT NULL", "accepted_at < %s", "(finished_at IS NULL OR finished_at >= %s)"]
    first, last = (period.start, period.end) if period else (dt.date(year, 1, 1), dt.date(year, 12, 31))
    params: list = [_utc_bound(last + dt.timedelta(days=1)), _utc_bound(first)]
    if unit_ids is not None:
        ids = sorted(set(unit_ids))
        if not ids:
            return _unpack(pl.DataFrame(schema=_LOADED_SCHEMA))
        where.append(f"unit_id IN ({', '.join(str(int(i)) for i in ids)})")
    sql = f"SELECT {', '.join(columns)} FROM {table} WHERE {' AND '.join(where)}"
    return _unpack(_fetch_frame(sql, params, _LOADED_SCHEMA))


# (column, multiplier, modulus, kind): kind "int", "bool", or "tri" (null / false / true as 0 / 1 / 2).
_PACKING = [
    ("status", 1, 16, "int"),
    ("channel", 16, 4, "int"),
    ("paid_online", 64, 4, "int"),
    ("supplement_count", 256, 16, "int"),  # 15 stands for 15 or more: the rule only asks "two or more"
    ("rating", 4096, 4, "int"),  # 0 = not rated
    ("has_financial_obligation", 1 << 14, 2, "bool"),
    ("routed_electronically", 1 << 15, 2, "bool"),
    ("electronic_result", 1 << 16, 2, "bool"),
    ("digitised_components", 1 << 17, 2, "bool"),
    ("synced_dvcqg", 1 << 18, 2, "bool"),
    ("has_complaint", 1 << 19, 2, "bool"),
    ("reused_data", 1 << 20, 4, "tri"),
    ("from_citizen_store", 1 << 22, 4, "tri"),
]


def _packed_term(column: str, multiplier: int, modulus: int, kind: str) -> str:
    if kind == "tri":
        value = f"(CASE WHEN {column} IS NULL THEN 0 WHEN {column} THEN 2 ELSE 1 END)"
    elif kind == "bool":
        value = f"(CASE WHEN {column} THEN 1 ELSE 0 END)"
    else:
        value = (
            f"(CASE WHEN {column} IS NULL THEN 0 WHEN {column} > {modulus - 1} THEN {modulus - 1} ELSE {column} END)"
        )
    return f"{value} * {multiplier}"


_PACKED_SQL = " + ".join(_packed_term(*spec) for spec in _PACKING)
_LOADED_SCHEMA = {
    "id": pl.Int64,
    "unit_id": pl.Int64,
    "procedure_id": pl.Int64,
    **{name: pl.Int64 for name in _DOSSIER_TIMES},
    "packed": pl.Int64,
}


def _unpack(frame: pl.DataFrame) -> pl.DataFrame:
    fields = []
    for column, multiplier, modulus, kind in _PACKING:
        value = (pl.col("packed") // multiplier) % modulus
        if kind == "bool":
            value = value == 1
        elif kind == "tri":
            value = pl.when(value == 0).then(None).otherwise(value == 2)
        elif column == "rating":
            value = pl.when(value == 0).then(None).otherwise(value)
        fields.append(value.alias(column))
    return frame.with_columns(fields).drop("packed").select(engine.DOSSIER_COLUMNS)


def load_results(year: int, unit_ids: Iterable[int] | None = None) -> pl.DataFrame:
    """The dossiers that may hold a still-valid result in `year` (engine.RESULT_COLUMNS): finished by the
    year's end, whatever the year, and not expired before its start — the stock of target 2.3."""
    table = Dossier._meta.db_table
    finished = ", ".join(str(s) for s in engine.FINISHED_STATUSES)
    columns = [
        "id",
        "unit_id",
        "status",
        f"{_epoch('finished_at')} AS finished_ts",
        "CASE WHEN electronic_result THEN 1 ELSE 0 END AS electronic",
        f"{_epoch('result_digitised_at')} AS result_digitised_ts",
        f"{_epoch('result_expires_at')} AS result_expires_ts",
    ]
    where = [
        f"status IN ({finished})",
        "finished_at IS NOT NULL",
        "finished_at < %s",
        "(result_expires_at IS NULL OR result_expires_at >= %s)",
    ]
    params: list = [_utc_bound(dt.date(year + 1, 1, 1)), _utc_bound(dt.date(year, 1, 1))]
    if unit_ids is not None:
        ids = sorted(set(unit_ids))
        if not ids:
            ids = [-1]
        where.append(f"unit_id IN ({', '.join(str(int(i)) for i in ids)})")
    sql = f"SELECT {', '.join(columns)} FROM {table} WHERE {' AND '.join(where)}"
    schema = {
        "id": pl.Int64,
        "unit_id": pl.Int64,
        "status": pl.Int64,
        "finished_ts": pl.Int64,
        "electronic": pl.Int64,
        "result_digitised_ts": pl.Int64,
        "result_expires_ts": pl.Int64,
    }
    frame = _fetch_frame(sql, params, schema)
    return frame.with_columns(electronic_result=pl.col("electronic") == 1).select(engine.RESULT_COLUMNS)


def load_procedures() -> pl.DataFrame:
    """The catalogue as the engine reads it; `is_land` is derived from the sector's name."""
    fields = engine.PROCEDURE_COLUMNS[1:-1]  # the model's own fields, after procedure_id, before is_land
    texts = {"online_level": pl.Utf8, "time_unit": pl.Utf8, "time_limit": pl.Float64, "owner_id": pl.Int64}
    schema = {"procedure_id": pl.Int64, **{f: texts.get(f, pl.Boolean) for f in fields}, "sector_name": pl.Utf8}
    rows = list(Procedure.objects.values_list("id", *fields, "sector_name"))
    frame = pl.DataFrame(rows, schema=schema, orient="row")
    land = pl.col("sector_name").str.strip_chars().str.to_lowercase() == "đất đai"
    return frame.with_columns(is_land=land).drop("sector_name")


def load_units() -> pl.DataFrame:
    rows = [
        (pk, parent, LEVEL_OF_KIND[kind]) for pk, parent, kind in Unit.objects.values_list("id", "parent_id", "kind")
    ]
    return pl.DataFrame(rows, schema={"unit_id": pl.Int64, "parent_id": pl.Int64, "level": pl.Utf8}, orient="row")


def _replace(model, frame: pl.DataFrame, columns: list[str], delete_filter: dict, key: list[str]) -> None:
    """Delete the rows the filter selects, then insert the frame's rows (one statement or one COPY).

    Rows go in in the order of the unique index `key`, which keeps B-tree inserts local (about 3× faster
    on SQLite for a hundred thousand rows); date-times travel as text in the form Django stores.
    """
    model.objects.filter(**delete_filter).delete()
    if not frame.height:
        return
    table = model._meta.db_table
    db_columns = [model._meta.get_field(c).column for c in columns]
    frame = frame.sort(key).with_columns(pl.col(pl.Datetime).dt.strftime("%Y-%m-%d %H:%M:%S%.6f"))
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        marks = ", ".join(["?"] * len(columns))
        # The driver's own executemany: Django's wrapper would rewrite each row's parameters.
        connection.connection.executemany(
            f"INSERT INTO {table} ({', '.join(db_columns)}) VALUES ({marks})", frame.select(columns).iter_rows()
        )
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            data = frame.select(columns).write_csv(include_header=False)
            with cursor.cursor.copy(f"COPY {table} ({', '.join(db_columns)}) FROM STDIN WITH (FORMAT csv)") as copy:
                copy.write(data.encode())
        else:
            raise NotImplementedError(f"storing indicators on {connection.vendor}")


@dataclass
class RecomputeResult:
    year: int
    units: int | None  # None: every unit
    dossiers: int = 0
    values: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    skipped: str = ""  # why the year was not refreshed (its marks are settled as they are)
    delta: bool = False  # refreshed by the delta of the changed dossiers (indicators/delta.py)


def recompute(
    year: int,
    unit_ids: Iterable[int] | None = None,
    progress: Progress | None = None,
    periods: list[Period] | None = None,
    clear_marks: list[int] | None = None,
) -> RecomputeResult:
    """Recompute the year's figures. With `unit_ids`, only those units' own values are recomputed from
    their dossiers; every total is then rebuilt from the stored own values (small), so ancestors stay exact.

    `clear_marks`: ids of `RefreshMark` rows this recompute settles, deleted in the transaction that stores the values.
    Callers that may run beside an import use `recompute_locked` (the year's lock, and the marks it settles)."""
    periods = periods or periods_of_year(year)
    period_codes = [p.code for p in periods]
    unit_ids = sorted(set(unit_ids)) if unit_ids is not None else None
    result = RecomputeResult(year, None if unit_ids is None else len(unit_ids))
    report = progress or (lambda done, total, message: None)
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        result.seconds[name] = round(now - clock, 3)
        clock = now

    batch_at_start = delta.max_batch()  # the import batches these figures reflect (delta.record_recompute)
    report(0, 5, "loading dossiers")
    dossiers = load_dossiers(year, unit_ids)
    results = load_results(year, unit_ids)
    procedures, units = load_procedures(), load_units()
    result.dossiers = dossiers.height
    lap("load")
    report(1, 5, "computing")
    frame = engine.prepare(dossiers, procedures, calendar_for([year]))
    leaf = pl.concat([engine.leaf_values(frame, periods), engine.result_stock(results, periods)])
    usage = engine.procedure_usage(frame, periods)
    lap("compute")
    report(2, 5, "storing own values")
    scope = {"period__in": period_codes} | ({"unit_id__in": unit_ids} if unit_ids is not None else {})
    with transaction.atomic():
        _replace(
            LeafValue,
            leaf.rename({"unit_id": "unit"}),
            ["unit", "period", "metric", "numerator", "denominator"],
            scope,
            key=["unit", "period", "metric"],
        )
        _replace(
            ProcedureUsage,
            usage.rename({"unit_id": "unit", "procedure_id": "procedure"}),
            ["unit", "period", "procedure", "used_online", "paid", "fee_synced", *USAGE_COUNTS],
            scope,
            key=["unit", "period", "procedure"],
        )
        lap("store_own")
        if unit_ids is not None:  # the other units' own values come from the database
            report(3, 5, "loading stored values")
            leaf = _stored_leaf(period_codes)
            usage = _stored_usage(period_codes)
            lap("load_own")
        report(4, 5, "totals over the hierarchy")
        values = engine.totals(leaf, usage, procedures, units, periods).with_columns(
            computed_at=pl.lit(timezone.now().replace(tzinfo=None))
        )
        lap("totals")
        _replace(
            IndicatorValue,
            values.rename({"unit_id": "unit"}),
            ["unit", "period", "level", "metric", "numerator", "denominator", "computed_at"],
            {"period__in": period_codes},
            key=["unit", "period", "level", "metric"],
        )
        if clear_marks:
            RefreshMark.objects.filter(pk__in=clear_marks).delete()
        whole_year = unit_ids is None and set(period_codes) >= {p.code for p in periods_of_year(year)}
        delta.record_recompute(year, whole_year, batch_at_start)
        lap("store_totals")
    result.values = values.height
    report(5, 5, "done")
    return result


def _stored_leaf(period_codes: list[str]) -> pl.DataFrame:
    rows = LeafValue.objects.filter(period__in=period_codes).values_list(
        "unit_id", "period", "metric", "numerator", "denominator"
    )
    return pl.DataFrame(list(rows), schema=engine.LEAF_SCHEMA, orient="row")


def _stored_usage(period_codes: list[str]) -> pl.DataFrame:
    rows = ProcedureUsage.objects.filter(period__in=period_codes).values_list(*engine.USAGE_SCHEMA)
    return pl.DataFrame(list(rows), schema=engine.USAGE_SCHEMA, orient="row")


def refresh(affected: Iterable[tuple[int, int]], progress: Progress | None = None) -> list[RecomputeResult]:
    """Recompute what an import touched: for each year, the own values of the affected units, then totals.

    A year counts when its figures were computed before or when dossiers were accepted in it; a dossier
    still open only carries into later years, whose figures are computed when someone asks for them
    (`recompute_indicators`, `indicators`). A year not computed yet, or whose figures do not say which import they
    reflect, is recomputed whole (after which the delta refresh can take the next imports in). A year the system
    cannot compute (outside PLAUSIBLE_YEARS, or whose data the engine refuses) is skipped with a message, never
    raised: the import's rows are committed by then.
    """
    by_year: dict[int, set[int]] = {}
    for unit_id, year in affected:
        by_year.setdefault(year, set()).add(unit_id)
    computed = {int(period[:4]) for period in LeafValue.objects.values_list("period", flat=True).distinct()}
    based = set(DeltaBase.objects.values_list("year", flat=True))
    results = []
    for year in sorted(by_year):
        reason = implausible_year(year)
        if reason:
            results.append(RecomputeResult(year, len(by_year[year]), skipped=reason))
            continue
        if (
            year not in computed
            and not Dossier.objects.filter(
                unit_id__in=by_year[year],
                accepted_at__gte=_utc_bound(dt.date(year, 1, 1)),
                accepted_at__lt=_utc_bound(dt.date(year + 1, 1, 1)),
            ).exists()
        ):
            continue
        units = by_year[year] if year in computed and year in based else None
        try:
            results.append(recompute_locked(year, units, progress))
        except ValueError as exc:  # e.g. a due date beyond the working-day calendar of a year without data
            log.warning("refresh of %s skipped: %s", year, exc)
            results.append(RecomputeResult(year, len(by_year[year]), skipped=str(exc)))
    return results


PLAUSIBLE_YEARS = (2000, 2100)


def implausible_year(year: int) -> str:
    """Why figures cannot be computed for `year` (empty: they can)."""
    first, last = PLAUSIBLE_YEARS
    if first <= year <= last:
        return ""
    return _("year %(year)s is outside %(first)s–%(last)s: its figures are not computed") % {
        "year": year,
        "first": first,
        "last": last,
    }


def recompute_locked(year: int, unit_ids: Iterable[int] | None = None, progress: Progress | None = None):
    """`recompute` under the year's lock (never beside another recompute or refresh of the same year), settling the
    refresh marks of the year (of `unit_ids`, when given) that were committed before it started reading."""
    with locks.exclusive(f"indicators-{year}"):
        marks = RefreshMark.objects.filter(year=year)
        if unit_ids is not None:
            unit_ids = sorted(set(unit_ids))
            marks = marks.filter(unit_id__in=unit_ids)
        return recompute(year, unit_ids, progress, clear_marks=list(marks.values_list("pk", flat=True)))


def pending() -> dict[int, set[int]]:
    """The (unit, year) pairs marked for refresh and not yet recomputed, by year."""
    by_year: dict[int, set[int]] = {}
    for unit_id, year in RefreshMark.objects.values_list("unit_id", "year").distinct():
        by_year.setdefault(year, set()).add(unit_id)
    return by_year


def refresh_pending(progress: Progress | None = None) -> list[RecomputeResult]:
    """Finish every marked refresh: after an import, after a crash between an import and its refresh."""
    marked = pending()
    if not marked:
        return []
    # Years whose figures say which import they reflect move by the changed dossiers only; the others are recomputed.
    by_delta, marked = delta.refresh_by_delta(marked, progress)
    results = by_delta + refresh(((unit, year) for year, units in marked.items() for unit in units), progress)
    done = {r.year for r in results if not r.skipped}
    # Years that had nothing to recompute (no figures yet, no dossiers accepted in them) are settled as they are.
    RefreshMark.objects.filter(year__in=set(marked) - done).delete()
    return results


# -- the public loaders: what another module may read the way the figures read it ----------------------------------


def utc_bound(day: dt.date) -> dt.datetime:
    """Local midnight of `day` as an aware datetime: a local date d is in [a, b] when the stored UTC instant is in
    [utc_bound(a), utc_bound(b + 1 day))."""
    return _utc_bound(day)


def empty_dossiers() -> pl.DataFrame:
    """No dossier, in the columns `load_dossiers` gives (engine.DOSSIER_COLUMNS)."""
    return _unpack(pl.DataFrame(schema=_LOADED_SCHEMA))


def load_dossiers_where(period: Period, unit_ids: Iterable[int], conditions: list[str], params: list) -> pl.DataFrame:
    """The dossiers `load_dossiers(period=period)` gives for `unit_ids` that also meet the SQL `conditions` (with
    their `params`), in the same columns: the drill-down narrows what it loads this way, never the rule itself."""
    ids = sorted({int(i) for i in unit_ids})
    if not ids:
        return empty_dossiers()
    columns = ["id", "unit_id", "procedure_id", *(f"{_epoch(col)} AS {name}" for name, col in _DOSSIER_TIMES.items())]
    columns.append(f"({_PACKED_SQL}) AS packed")
    where = [
        "accepted_at IS NOT NULL",
        "accepted_at < %s",
        "(finished_at IS NULL OR finished_at >= %s)",
        f"unit_id IN ({', '.join(str(i) for i in ids)})",
        *conditions,
    ]
    bounds = [_utc_bound(period.end + dt.timedelta(days=1)), _utc_bound(period.start)]
    sql = f"SELECT {', '.join(columns)} FROM {Dossier._meta.db_table} WHERE {' AND '.join(where)}"
    return _unpack(_fetch_frame(sql, [*bounds, *params], _LOADED_SCHEMA))
