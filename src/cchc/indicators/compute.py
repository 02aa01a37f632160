"""Load dossiers from the database into Polars, run the engine, store the values (set-based both ways).

Reading goes through Django's own connection (so it sees the current transaction): PostgreSQL streams
`COPY … TO STDOUT` into Polars' CSV reader, SQLite hands over rows; date-times travel as epoch seconds.
Writing replaces the affected rows with one executemany (SQLite) or one COPY (PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar, cast

import polars as pl
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.core import clock, dataversion, locks
from cchc.dossiers.models import Dossier, Procedure, RefreshMark
from cchc.indicators import delta, engine
from cchc.indicators.models import DeltaBase, IndicatorValue, LeafValue, ProcedureUsage
from cchc.indicators.periods import Period, periods_of_year
from cchc.units.models import LEVEL_OF_KIND, Unit
from cchc.workdays.models import calendar_for
from cchc.workdays.rules import WorkCalendar

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
    if sqlite3.sqlite_version_info >= (3, 38):
        return f"unixepoch({column})"  # the same integer, in half the time
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
    before its start) — or in `period` only —, for the given units or all (one frame: see `iter_dossiers`)."""
    frames = list(iter_dossiers(year, unit_ids, period))
    return pl.concat(frames) if frames else _unpack(pl.DataFrame(schema=_LOADED_SCHEMA))


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
    frames = list(iter_results(year, unit_ids))
    if frames:
        return pl.concat(frames)
    schema = {c: pl.Int64 for c in engine.RESULT_COLUMNS} | {"electronic_result": pl.Boolean}
    return pl.DataFrame(schema=schema)


def load_procedures() -> pl.DataFrame:
    """The catalogue as the engine reads it; `is_land` is derived from the sector's name."""
    fields = engine.PROCEDURE_COLUMNS[1:-1]  # the model's own fields, after procedure_id, before is_land
    texts = {"online_level": pl.Utf8, "time_unit": pl.Utf8, "time_limit": pl.Float64, "owner_id": pl.Int64}
    schema = {"procedure_id": pl.Int64, **{f: texts.get(f, pl.Boolean) for f in fields}, "sector_name": pl.Utf8}
    # The ORM's query, its rows read straight from the cursor: Polars takes SQLite's 0 / 1 as booleans, and Django's
    # converters (one call per row and field) were most of the cost, paid by every recompute and drill-down.
    sql, params = Procedure.objects.values_list("id", *fields, "sector_name").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    frame = pl.DataFrame(rows, schema=schema, orient="row")
    land = pl.col("sector_name").str.strip_chars().str.to_lowercase() == "đất đai"
    return frame.with_columns(is_land=land).drop("sector_name")


def load_units() -> pl.DataFrame:
    rows = [
        (pk, parent, LEVEL_OF_KIND[kind]) for pk, parent, kind in Unit.objects.values_list("id", "parent_id", "kind")
    ]
    return pl.DataFrame(rows, schema={"unit_id": pl.Int64, "parent_id": pl.Int64, "level": pl.Utf8}, orient="row")


# -- streaming by ranges of ids ---------------------------------------------------------------------------------
#
# A full year does not fit in memory at the scale of a merged province (10 million dossiers: ~6 GB as one frame),
# so the recompute reads the table in ranges of ids and sums each range's contributions: every stored figure is a
# sum of numerators and of denominators (procedure use an "any"), so the ranges combine exactly. Each range
# crosses the driver as CSV text — one string per range on SQLite (group_concat), the COPY stream on PostgreSQL —
# parsed by Polars: no Python object per row or per value.

CHUNK_IDS = int(os.environ.get("CCHC_RECOMPUTE_CHUNK", "1000000"))
# Reader threads, each on its own connection (0: read in turn on the caller's connection). CCHC_RECOMPUTE_READ_AHEAD=0
# (the older switch) means 0 too.
READERS = (
    int(os.environ.get("CCHC_RECOMPUTE_READERS", "2")) if os.environ.get("CCHC_RECOMPUTE_READ_AHEAD") != "0" else 0
)
MIN_RANGE = 100_000  # ids: below that, a range's fixed cost (the queries' planning) is no longer small
T = TypeVar("T")

# (frame column, SQL of the stored column, kind): "int", "bool" (0/1) or "ts" (UTC epoch seconds).
_DOSSIER_CSV = [
    ("id", "id", "int"),
    ("unit_id", "unit_id", "int"),
    ("procedure_id", "procedure_id", "int"),
    *((name, column, "ts") for name, column in _DOSSIER_TIMES.items()),
    # The small integers and flags packed in one number (see _PACKING): fewer fields for the database to format.
    ("packed", "_PACKED_SQL", "packed"),
]
_RESULT_CSV = [
    ("id", "id", "int"),
    ("unit_id", "unit_id", "int"),
    ("status", "status", "int"),
    ("finished_ts", "finished_at", "ts"),
    ("electronic_result", "electronic_result", "bool"),
    ("result_digitised_ts", "result_digitised_at", "ts"),
    ("result_expires_ts", "result_expires_at", "ts"),
]


def _csv_expression(column: str, kind: str) -> str:
    if kind == "packed":
        return f"({_PACKED_SQL})"
    if kind == "sql":
        return f"({column})"
    if kind == "ts":
        return _epoch(column)
    if kind == "bool" and connection.vendor == "postgresql":
        return f"CAST({column} AS INTEGER)"
    return column  # SQLite stores booleans as 0 / 1


def _id_ranges(chunk: int, at_least: int = 1) -> list[tuple[int, int]]:
    """[first, last] id ranges of at most `chunk` ids covering the table (min/max of the primary key: instant); with
    `at_least`, smaller ranges when the table spans fewer than that many chunks (not below MIN_RANGE ids)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MIN(id), MAX(id) FROM {Dossier._meta.db_table}")
        low, high = cursor.fetchone()
    if low is None:
        return []
    span = high - low + 1
    if span < chunk * at_least:
        chunk = min(chunk, max(MIN_RANGE, -(-span // at_least)))
    return [(start, min(start + chunk - 1, high)) for start in range(low, high + 1, chunk)]


def _range_reader(
    spec: list[tuple[str, str, str]], where: list[str], params: list, spec_params: list | None = None
) -> Callable[[tuple[int, int]], pl.DataFrame | None]:
    """A function reading the rows matching `where` in one range of ids [first, last] as a frame (None: no row),
    columns as `spec` says (booleans as Boolean); kind "sql": the column is that SQL expression, its placeholders
    filled from `spec_params`. It may run in another thread: it uses that thread's connection."""
    table = Dossier._meta.db_table
    schema = {name: pl.Int64 for name, _, _ in spec}
    booleans = [pl.col(name).cast(pl.Boolean) for name, _, kind in spec if kind == "bool"]
    expressions = [_csv_expression(column, kind) for _, column, kind in spec]
    sqlite = connection.vendor == "sqlite"
    if sqlite:
        # printf's %s writes NULL as nothing, which Polars reads back as null; the text comes back as bytes (a BLOB):
        # no decoding into a Python string and encoding back.
        line = f"printf('{','.join(['%%s'] * len(spec))}', {', '.join(expressions)})"
        select = f"SELECT CAST(group_concat({line}, char(10)) AS BLOB) FROM {table}"
    else:
        select = f"SELECT {', '.join(expressions)} FROM {table}"
    arguments = [*(spec_params or []), *params]

    def read(bounds: tuple[int, int]) -> pl.DataFrame | None:
        first, last = bounds
        sql = f"{select} WHERE id >= {int(first)} AND id <= {int(last)} AND {' AND '.join(where)}"
        with connection.cursor() as cursor:
            if sqlite:
                cursor.execute(sql, arguments)
                data = cursor.fetchone()[0] or b""
            else:
                literal = cursor.mogrify(sql, arguments)
                literal = literal.decode() if isinstance(literal, bytes) else literal
                buffer = io.BytesIO()
                with cursor.cursor.copy(f"COPY ({literal}) TO STDOUT WITH (FORMAT csv)") as copy:
                    for block in copy:
                        buffer.write(block)
                data = buffer.getvalue()
                del buffer
        if not data:
            return None
        frame = pl.read_csv(data, has_header=False, new_columns=list(schema), schema=schema)
        del data
        return frame.with_columns(booleans) if booleans else frame

    return read


def _stream_frames(
    spec: list[tuple[str, str, str]], where: list[str], params: list, chunk: int, spec_params: list | None = None
) -> Iterator[pl.DataFrame]:
    """`_range_reader`'s frames, range by range in this thread (empty ranges left out)."""
    read = _range_reader(spec, where, params, spec_params)
    for bounds in _id_ranges(chunk):
        frame = read(bounds)
        if frame is not None:
            yield frame


def _dossier_conditions(year: int, unit_ids: list[int] | None, period: Period | None = None) -> tuple[list[str], list]:
    where = ["accepted_at IS NOT NULL", "accepted_at < %s", "(finished_at IS NULL OR finished_at >= %s)"]
    first, last = (period.start, period.end) if period else (dt.date(year, 1, 1), dt.date(year, 12, 31))
    if unit_ids is not None:
        where.append(f"unit_id IN ({', '.join(str(int(i)) for i in unit_ids) or '-1'})")
    return where, [_utc_bound(last + dt.timedelta(days=1)), _utc_bound(first)]


def _result_conditions(year: int, unit_ids: list[int] | None) -> tuple[list[str], list]:
    finished = ", ".join(str(s) for s in engine.FINISHED_STATUSES)
    where = [
        f"status IN ({finished})",
        "finished_at IS NOT NULL",
        "finished_at < %s",
        "(result_expires_at IS NULL OR result_expires_at >= %s)",
    ]
    if unit_ids is not None:
        where.append(f"unit_id IN ({', '.join(str(int(i)) for i in unit_ids) or '-1'})")
    return where, [_utc_bound(dt.date(year + 1, 1, 1)), _utc_bound(dt.date(year, 1, 1))]


def iter_dossiers(
    year: int,
    unit_ids: Iterable[int] | None = None,
    period: Period | None = None,
    chunk: int | None = None,
    with_ids: bool = True,
) -> Iterator[pl.DataFrame]:
    """`load_dossiers`, one frame (engine.DOSSIER_COLUMNS) per range of `chunk` ids; without `with_ids`, the
    column `id` is left empty (the figures do not read it: one field less to format)."""
    ids = sorted(set(unit_ids)) if unit_ids is not None else None
    where, params = _dossier_conditions(year, ids, period)
    spec = _DOSSIER_CSV if with_ids else [c for c in _DOSSIER_CSV if c[0] != "id"]
    for frame in _stream_frames(spec, where, params, chunk or CHUNK_IDS):
        if not with_ids:
            frame = frame.with_columns(id=pl.lit(None, dtype=pl.Int64))
        yield _unpack(frame)


def iter_year_rows(
    year: int, unit_ids: Iterable[int] | None = None, chunk: int | None = None
) -> Iterator[tuple[pl.DataFrame, pl.DataFrame]]:
    """(dossiers as `iter_dossiers` without ids, results as `iter_results`) per range of ids, read in one pass: the
    two sets are mostly the same rows (a year's dossiers, finished), so each row is read and formatted once, with a
    column saying which sets it belongs to (the conditions of each set, exactly as when read apart)."""
    read = _year_rows_reader(year, unit_ids)
    for bounds in _id_ranges(chunk or CHUNK_IDS):
        item = read(bounds)
        if item is not None:
            yield item


def _year_rows_reader(
    year: int, unit_ids: Iterable[int] | None = None
) -> Callable[[tuple[int, int]], tuple[pl.DataFrame, pl.DataFrame] | None]:
    """`iter_year_rows` for one range of ids (None: no row); may run in another thread."""
    ids = sorted(set(unit_ids)) if unit_ids is not None else None
    processed, processed_params = _dossier_conditions(year, None)
    results, results_params = _result_conditions(year, None)
    either_params = processed_params + results_params
    a, b = " AND ".join(processed), " AND ".join(results)
    sets = f"CASE WHEN {a} THEN 1 ELSE 0 END + CASE WHEN {b} THEN 2 ELSE 0 END"
    where = [f"(({a}) OR ({b}))"]
    if ids is not None:
        where.append(f"unit_id IN ({', '.join(str(int(i)) for i in ids) or '-1'})")
    spec = [c for c in _DOSSIER_CSV if c[0] != "id"]
    in_sql = connection.vendor != "sqlite"
    if in_sql:
        spec.append(("sets", sets, "sql"))
    read_range = _range_reader(spec, where, either_params, spec_params=either_params if in_sql else None)

    def read(bounds: tuple[int, int]) -> tuple[pl.DataFrame, pl.DataFrame] | None:
        frame = read_range(bounds)
        if frame is None:
            return None
        if in_sql:
            sets_column = frame["sets"]
            frame = frame.drop("sets")
        else:
            # SQLite: the same two conditions on the epoch seconds (unixepoch truncates to the second and the bounds
            # are whole seconds, so each comparison gives what the text comparison gave): two expressions less for
            # SQLite's virtual machine to evaluate per row, in C but single-threaded.
            sets_column = frame.select(_sets_expression(year))["sets"]
        frame = _unpack(frame.with_columns(id=pl.lit(None, dtype=pl.Int64)))
        return (
            frame.filter((sets_column & 1) == 1),
            frame.select(engine.RESULT_COLUMNS).filter((sets_column & 2) == 2),
        )

    return read


def _sets_expression(year: int) -> pl.Expr:
    """`iter_year_rows`'s "sets" (1: processed in the year, 2: may hold a result valid in it) from the epoch columns:
    `_dossier_conditions` and `_result_conditions` of the whole year, as Polars evaluates them."""
    start = int(_utc_bound(dt.date(year, 1, 1)).timestamp())
    end = int(_utc_bound(dt.date(year + 1, 1, 1)).timestamp())
    status = next((pl.col("packed") // m) % n for column, m, n, _ in _PACKING if column == "status")
    processed = (
        pl.col("accepted_ts").is_not_null()
        & (pl.col("accepted_ts") < end)
        & (pl.col("finished_ts").is_null() | (pl.col("finished_ts") >= start))
    )
    results = (
        status.is_in(engine.FINISHED_STATUSES)
        & pl.col("finished_ts").is_not_null()
        & (pl.col("finished_ts") < end)
        & (pl.col("result_expires_ts").is_null() | (pl.col("result_expires_ts") >= start))
    )
    return (processed.cast(pl.Int64) + results.cast(pl.Int64) * 2).alias("sets")


def iter_results(year: int, unit_ids: Iterable[int] | None = None, chunk: int | None = None) -> Iterator[pl.DataFrame]:
    """`load_results`, one frame (engine.RESULT_COLUMNS) per range of `chunk` ids."""
    ids = sorted(set(unit_ids)) if unit_ids is not None else None
    where, params = _result_conditions(year, ids)
    for frame in _stream_frames(_RESULT_CSV, where, params, chunk or CHUNK_IDS):
        yield frame.select(engine.RESULT_COLUMNS)


@dataclass
class Contributions:
    """What a set of dossiers adds to the own values of their units: `leaf` (engine.LEAF_SCHEMA: sums) and
    `usage` (engine.USAGE_SCHEMA: procedures used, an "any"). Contributions of disjoint sets combine with `plus`."""

    leaf: pl.DataFrame
    usage: pl.DataFrame

    @classmethod
    def empty(cls) -> Contributions:
        return cls(pl.DataFrame(schema=engine.LEAF_SCHEMA), pl.DataFrame(schema=engine.USAGE_SCHEMA))

    def plus(self, other: Contributions) -> Contributions:
        return combine([self, other])


def combine(parts: list[Contributions]) -> Contributions:
    """The contributions of the union of disjoint sets of dossiers: numerators and denominators add up, a
    procedure is used when it is used in any part."""
    if not parts:
        return Contributions.empty()
    leaf = (
        pl.concat([p.leaf.select(list(engine.LEAF_SCHEMA)).cast(engine.LEAF_SCHEMA) for p in parts])
        .group_by("unit_id", "period", "metric")
        .agg(pl.col("numerator").sum(), pl.col("denominator").sum())
        .select(list(engine.LEAF_SCHEMA))
    )
    usage = (
        pl.concat([p.usage.select(list(engine.USAGE_SCHEMA)).cast(engine.USAGE_SCHEMA) for p in parts])
        .group_by("unit_id", "period", "procedure_id")
        .agg(
            pl.col("used_online").any(),
            pl.col("paid").any(),
            pl.col("fee_synced").any(),
            *(pl.col(c).sum() for c in engine.USAGE_SCHEMA if c.endswith("_count")),
        )
        .select(list(engine.USAGE_SCHEMA))
    )
    return Contributions(leaf, usage)


def contributions(
    dossiers: pl.DataFrame | None,
    results: pl.DataFrame | None,
    procedures: pl.DataFrame,
    periods: list[Period],
    calendar: WorkCalendar,
) -> Contributions:
    """The contributions of these dossier rows (engine.DOSSIER_COLUMNS, as `load_dossiers` gives them) and of
    these results (engine.RESULT_COLUMNS, as `load_results`) to their units' own values in `periods`."""
    leaf_parts, usage = [], pl.DataFrame(schema=engine.USAGE_SCHEMA)
    if dossiers is not None and dossiers.height:
        frame = engine.prepare(dossiers, procedures, calendar)
        # By calendar month: the same figures as the per-period engine, in a few aggregations instead of 19 each.
        leaf_parts.append(engine.leaf_values_by_months(frame, periods))
        usage = engine.procedure_usage_by_months(frame, periods)
    if results is not None and results.height:
        leaf_parts.append(engine.result_stock_by_months(results, periods))
    leaf = pl.concat(leaf_parts) if leaf_parts else pl.DataFrame(schema=engine.LEAF_SCHEMA)
    return Contributions(leaf, usage)


def year_contributions(
    year: int,
    unit_ids: Iterable[int] | None,
    periods: list[Period],
    procedures: pl.DataFrame,
    chunk: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[Contributions, int]:
    """Every dossier's contribution to the year's own values (of `unit_ids`, or all units), range by range
    (memory bounded by the range, not the year); with the number of dossiers read."""
    calendar = calendar_for([year])
    ids = sorted(set(unit_ids)) if unit_ids is not None else None

    parts, dossiers = [], 0
    # Up to a few million ids, one range per reader and one computed: reading overlaps computing even then.
    ranges = _id_ranges(chunk or CHUNK_IDS, at_least=READERS + 1)
    for item in _read_ahead(_year_rows_reader(year, ids), ranges):
        if item is None:
            continue
        processed, results = item
        dossiers += processed.height
        parts.append(contributions(processed, results, procedures, periods, calendar))
        if progress:
            progress(dossiers)
        # Partial sums are small (units × periods × metrics): fold them now and then to keep them so.
        if len(parts) >= 8:
            parts = [combine(parts)]
    return combine(parts), dossiers


def _read_ahead(read: Callable[[tuple[int, int]], T], ranges: list[tuple[int, int]]) -> Iterator[T]:
    """`read(r)` for each range, in order, read ahead by READERS threads each on its own database connection: the
    database (SQLite in its C code, PostgreSQL in its server) formats the next ranges while Polars computes this one,
    so both cores stay busy. At most READERS ranges wait read (memory: READERS + 1 ranges at once). Inside a
    transaction (tests, a caller's atomic block) another connection would not see its writes, so the ranges are
    then read in turn on this connection."""
    name = str(connection.settings_dict.get("NAME") or "")
    if connection.in_atomic_block or "memory" in name or READERS < 1 or len(ranges) < 2:
        for bounds in ranges:
            yield read(bounds)
        return
    yield from _read_in_threads(read, ranges, READERS)


def _read_in_threads(read: Callable[[tuple[int, int]], T], ranges: list[tuple[int, int]], readers: int) -> Iterator[T]:
    """`read(r)` for each range, in the ranges' order, by `readers` threads taking the next range as they finish: a
    reader waits while `readers` ranges are read and not yet taken; its error is raised here, in the consumer."""
    done: dict[int, object] = {}
    ready = threading.Condition()
    slots = threading.Semaphore(readers)  # a reader takes a slot per range; the consumer gives it back
    stop = threading.Event()
    following = iter(range(len(ranges)))

    def reader() -> None:
        try:
            while not stop.is_set():
                if not slots.acquire(timeout=0.5):
                    continue
                with ready:
                    index = next(following, None)
                if index is None or stop.is_set():
                    return
                try:
                    item: object = read(ranges[index])
                except BaseException as exc:  # noqa: BLE001 — handed to the consumer, raised there
                    item = _Failed(exc)
                with ready:
                    done[index] = item
                    ready.notify_all()
        finally:
            connection.close()  # this thread's own connection

    threads = [
        threading.Thread(target=reader, name=f"cchc-recompute-reader-{n}", daemon=True)
        for n in range(min(readers, len(ranges)))
    ]
    for thread in threads:
        thread.start()
    try:
        for index in range(len(ranges)):
            with ready:
                while index not in done:
                    if not any(thread.is_alive() for thread in threads):
                        raise RuntimeError(f"no reader left for the range of ids {ranges[index]}")
                    ready.wait(timeout=1.0)
                item = done.pop(index)
            slots.release()
            if isinstance(item, _Failed):
                raise item.error
            yield cast(T, item)
    finally:
        stop.set()
        for _ in threads:
            slots.release()
        for thread in threads:
            thread.join()


@dataclass
class _Failed:
    error: BaseException


def _replace(model, frame: pl.DataFrame, columns: list[str], delete_filter: dict, key: list[str]) -> None:
    """Delete the rows the filter selects, then insert the frame's rows (one statement or one COPY).

    Rows go in in the order of the unique index `key`, which keeps B-tree inserts local (about 3× faster
    on SQLite for a hundred thousand rows); date-times travel as text in the form Django stores.
    """
    if connection.vendor == "sqlite":
        _replace_in_place(model, frame, columns, delete_filter, key)
        return
    model.objects.filter(**delete_filter).delete()
    if not frame.height:
        return
    table = model._meta.db_table
    db_columns = [model._meta.get_field(c).column for c in columns]
    frame = frame.sort(key).with_columns(pl.col(pl.Datetime).dt.strftime("%Y-%m-%d %H:%M:%S%.6f"))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            data = frame.select(columns).write_csv(include_header=False)
            with cursor.cursor.copy(f"COPY {table} ({', '.join(db_columns)}) FROM STDIN WITH (FORMAT csv)") as copy:
                copy.write(data.encode())
        else:
            raise NotImplementedError(f"storing indicators on {connection.vendor}")


def _replace_in_place(model, frame: pl.DataFrame, columns: list[str], delete_filter: dict, key: list[str]) -> None:
    """`_replace` on SQLite: the same rows at the end, written as the difference from the stored ones. A row whose key
    is stored already is updated in place (by its id, only where a value differs), the missing rows are inserted (in
    the order of the unique index), the stored rows the frame no longer has are deleted; a date-time column with one
    value for the whole frame (`computed_at`) is set by one statement over the filter's rows.

    A year computed before is mostly the same rows again: an UPDATE by id rewrites the row and the one index holding
    a changed column, where deleting and inserting it touched the table and all five of its B-trees (~140,000 figures:
    about a third of the CPU). PostgreSQL writes a new version of an updated row in every index: there `_replace`
    deletes and copies."""
    meta = model._meta
    table, pk = meta.db_table, meta.pk.column
    column_of = {c: meta.get_field(c).column for c in columns}
    values = [c for c in columns if c not in key]
    frame = frame.select(columns).with_columns(pl.col(pl.Datetime).dt.strftime("%Y-%m-%d %H:%M:%S%.6f"))
    stamps = {
        c: frame[c][0]
        for c in values
        if frame.height and meta.get_field(c).get_internal_type() == "DateTimeField" and frame[c].n_unique() == 1
    }
    compared = [c for c in values if c not in stamps]
    scope, scope_params = model.objects.filter(**delete_filter).values_list("pk").query.sql_with_params()
    stored_columns = [pk, *(column_of[c] for c in key + compared)]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(stored_columns)} FROM {table} WHERE {pk} IN ({scope})", scope_params)
        rows = cursor.fetchall()
    stored = pl.DataFrame(
        rows, schema={"_id": pl.Int64, **{c: frame.schema[c] for c in key + compared}}, orient="row"
    ).with_columns(pl.lit(True).alias("_stored"))
    both = frame.with_columns(pl.lit(True).alias("_new")).join(
        stored, on=key, how="full", coalesce=True, suffix="_stored"
    )
    gone = both.filter(pl.col("_new").is_null())["_id"].sort()
    added = both.filter(pl.col("_stored").is_null()).select(columns).sort(key)
    kept = both.filter(pl.col("_new") & pl.col("_stored"))
    differs = pl.lit(False)
    for c in compared:
        differs = differs | pl.col(c).ne_missing(pl.col(f"{c}_stored"))
    changed = kept.filter(differs).sort("_id").select(*values, "_id")
    with connection.cursor() as cursor:
        for start in range(0, gone.len(), 50_000):
            cursor.execute(f"DELETE FROM {table} WHERE {pk} IN ({', '.join(map(str, gone[start : start + 50_000]))})")
    raw = connection.connection  # the driver's own executemany: Django's wrapper would rewrite each row's parameters
    if changed.height:
        sets = ", ".join(f"{column_of[c]} = ?" for c in values)
        raw.executemany(f"UPDATE {table} SET {sets} WHERE {pk} = ?", changed.iter_rows())
    if added.height:
        marks = ", ".join(["?"] * len(columns))
        raw.executemany(
            f"INSERT INTO {table} ({', '.join(column_of[c] for c in columns)}) VALUES ({marks})", added.iter_rows()
        )
    with connection.cursor() as cursor:
        for c, stamp in stamps.items():
            cursor.execute(
                f"UPDATE {table} SET {column_of[c]} = %s WHERE {pk} IN ({scope}) AND {column_of[c]} <> %s",
                [stamp, *scope_params, stamp],
            )
    if changed.height or added.height:
        dataversion.bump()


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
    chunk: int | None = None,
) -> RecomputeResult:
    """Recompute the year's figures. With `unit_ids`, only those units' own values are recomputed from
    their dossiers; every total is then rebuilt from the stored own values (small), so ancestors stay exact.

    `clear_marks`: ids of `RefreshMark` rows this recompute settles, deleted in the transaction that stores the values.
    Callers that may run beside an import use `recompute_locked` (the year's lock, and the marks it settles).

    The dossiers are read in ranges of `chunk` ids (default CHUNK_IDS, env CCHC_RECOMPUTE_CHUNK): peak memory is
    that of one range, whatever the year's size."""
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
    report(0, 5, "reading and computing dossiers")
    procedures, units = load_procedures(), load_units()
    own, result.dossiers = year_contributions(
        year, unit_ids, periods, procedures, chunk, progress=lambda read: report(0, 5, f"{read:,} dossiers read")
    )
    leaf, usage = own.leaf, own.usage
    lap("load_compute")
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


def dossier_select_list(id_column: str = "id") -> str:
    """The SELECT list that reads a dossier the way the figures read it (its id taken from `id_column`); it reads a
    replaced version (`DossierChange`, the same columns) as well. The rows go through `fetch_dossiers`."""
    columns = [f"{id_column} AS id", "unit_id", "procedure_id"]
    columns += [f"{_epoch(col)} AS {name}" for name, col in _DOSSIER_TIMES.items()]
    columns.append(f"({_PACKED_SQL}) AS packed")
    return ", ".join(columns)


def fetch_dossiers(sql: str, params: list) -> pl.DataFrame:
    """The rows of `sql` (selecting `dossier_select_list()`) in engine.DOSSIER_COLUMNS."""
    return _unpack(_fetch_frame(sql, params, _LOADED_SCHEMA))
