"""Delta refresh: after an import, the stored figures move by the changed dossiers' contributions only.

What is additive per dossier, and how the rest is handled:

* every dossier metric is a count of dossiers (numerator and denominator), so a unit's own values (`LeafValue`) and
  every figure over the hierarchy (`IndicatorValue` of a dossier metric: a sum of own values per level) are additive:
  new = stored − contributions of the replaced versions + contributions of the current ones, per cell;
* the uses of a procedure (`ProcedureUsage`) are kept as counts of dossiers (additive); their flags (count > 0) feed the
  counts of distinct procedures (ONLINE_SERVICE_WITH_DOSSIERS, PAYMENT_FORMALITY_TRANSACTED, _INTEGRATED), which are
  not additive per dossier. A catalogue metric is a sum over procedures, so for the (period, procedure) pairs whose
  flags changed in some unit, the numerators of every unit are computed before and after from the stored uses of those
  procedures only, and the difference applied; catalogue denominators do not depend on dossiers.

The previous versions come from the import (`ImportBatch`, `DossierChange`); a year's figures are exact as of a batch
(`DeltaBase`) and the delta takes in every batch after it, under the import lock (no batch commits meanwhile). A year
without a base (never recomputed in full, or recomputed in part beside pending batches) is recomputed as before. The
delta reads the same rows a recompute would (the same loader filters), so the stored cells are those of a full
recompute; the own values (`LeafValue`) differ only in rows that are 0/0, which a delta removes and a recompute keeps.

Everything is read and written by key — the changed dossiers by primary key, the stored rows through their unique
index, the uses of every unit only for the (period, procedure) pairs whose flags flipped — so a refresh costs what its
changes cost, whatever the size of the year: it never scans the dossier table or a year's figures. All years move in
one transaction, the one that deletes the import's refresh marks: a refresh killed half-way leaves the old figures,
still marked.
"""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import logging
import time

import polars as pl
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Min, Q
from django.utils import timezone

from cchc.core import locks
from cchc.dossiers.models import Dossier, DossierChange, ImportBatch, RefreshMark
from cchc.indicators import compute, engine
from cchc.indicators.models import DeltaBase, IndicatorValue, LeafValue, ProcedureUsage
from cchc.indicators.periods import Period, periods_of_year
from cchc.workdays.models import calendar_for

log = logging.getLogger(__name__)
# `compute` imports this module too (a recompute records the year's base here): its names are read when called.

USAGE_COUNTS = ["online_count", "paid_count", "fee_synced_count"]
USAGE_FLAGS = {"online_count": "used_online", "paid_count": "paid", "fee_synced_count": "fee_synced"}
# Above this many changed and new dossiers a recompute of the touched units is as cheap: the delta is not used.
DEFAULT_MAX_ROWS = 2_000_000


# -- the base of each year ---------------------------------------------------------------------------------------


def max_batch() -> int:
    return ImportBatch.objects.aggregate(top=Max("pk"))["top"] or 0


def record_recompute(year: int, whole_year: bool, batch_at_start: int) -> None:
    """Called by a recompute in the transaction that stores the figures: the year's base, or none when unknown.

    A whole-year recompute that no import batch overlapped reflects exactly the batches up to `batch_at_start`; a
    recompute of some units keeps the base only when no batch is pending (the others units are then as of it too)."""
    now = max_batch()
    base = DeltaBase.objects.filter(year=year).first()
    if now == batch_at_start and (whole_year or (base is not None and base.batch == now)):
        DeltaBase.objects.update_or_create(year=year, defaults={"batch": now})
    elif base is not None:
        base.delete()
    _forget_taken_batches()
    if connection.vendor == "postgresql" and whole_year:
        # The tables were just rewritten: the delta's joins need their real size (without statistics, e.g. when
        # autovacuum is off or behind, PostgreSQL plans a scan of the table for every changed cell).
        with connection.cursor() as cursor:
            for model in (LeafValue, ProcedureUsage, IndicatorValue):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _forget_taken_batches() -> None:
    """Delete the batches every year with a base has taken in (those without a base will be recomputed)."""
    floor = DeltaBase.objects.aggregate(low=Min("batch"))["low"]
    if floor is None:
        floor = max_batch()
    DossierChange.objects.filter(batch_id__lte=floor).delete()
    ImportBatch.objects.filter(pk__lte=floor).delete()


# -- loading the two versions ------------------------------------------------------------------------------------


def _ranges(after: int) -> list[tuple[int, int]]:
    return [
        (low, high)
        for low, high in ImportBatch.objects.filter(pk__gt=after).values_list("new_after", "new_up_to")
        if high > low
    ]


def count_changes(after: int) -> int:
    """How many dossier versions a delta from batch `after` reads (replaced ones and new ones)."""
    changed = DossierChange.objects.filter(batch_id__gt=after).count()
    return changed + sum(high - low for low, high in _ranges(after))


def load_versions(after: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(previous, current): the versions the figures as of batch `after` counted, and the versions stored now, of
    every dossier a later batch added or changed (engine.DOSSIER_COLUMNS; a dossier added later has no previous one).

    Both are read by primary key (the changed ids from the change table, the added ones as ranges of ids): the cost is
    that of the changes, whatever the size of the dossier table."""
    change = DossierChange._meta.db_table
    dossier = Dossier._meta.db_table
    ranges = _ranges(after)

    def added(column: str) -> str:
        return " OR ".join(f"({column} BETWEEN {int(low) + 1} AND {int(high)})" for low, high in ranges) or "1 = 0"

    # The oldest replaced version after the base, unless the dossier itself is newer than the base.
    previous = compute.fetch_dossiers(
        f"SELECT {compute.dossier_select_list('c.dossier_id')} FROM {change} c WHERE c.id IN "
        f"(SELECT MIN(id) FROM {change} WHERE batch_id > %s GROUP BY dossier_id) AND NOT ({added('c.dossier_id')})",
        [after],
    )
    # Two selections joined by UNION, not one WHERE with OR: PostgreSQL does not turn "id IN (…) OR id BETWEEN …" into
    # index lookups and would read the whole table. UNION also drops a dossier both added and changed after the base.
    columns = compute.dossier_select_list()
    current = f"SELECT {columns} FROM {dossier} WHERE id IN (SELECT dossier_id FROM {change} WHERE batch_id > %s)"
    if ranges:
        current += f" UNION SELECT {columns} FROM {dossier} WHERE {added('id')}"
    return previous, compute.fetch_dossiers(current, [after])


# -- contributions ---------------------------------------------------------------------------------------------------


def _local_midnight_epoch(year: int) -> int:
    return calendar.timegm(dt.date(year, 1, 1).timetuple()) - engine.LOCAL_OFFSET_SECONDS


def contributions(
    versions: pl.DataFrame, procedures: pl.DataFrame, year: int, periods: list[Period], work_calendar
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """What these dossiers add to the year's own values (LEAF_SCHEMA) and uses (unit, period, procedure, counts).

    The filters are those of `compute.load_dossiers` and `compute.load_results`, so that a dossier counts here exactly
    when a recompute of the year would read it."""
    first, after = _local_midnight_epoch(year), _local_midnight_epoch(year + 1)
    processed = versions.filter(
        pl.col("accepted_ts").is_not_null()
        & (pl.col("accepted_ts") < after)
        & (pl.col("finished_ts").is_null() | (pl.col("finished_ts") >= first))
    )
    results = versions.filter(
        pl.col("status").is_in(engine.FINISHED_STATUSES)
        & pl.col("finished_ts").is_not_null()
        & (pl.col("finished_ts") < after)
        & (pl.col("result_expires_ts").is_null() | (pl.col("result_expires_ts") >= first))
    ).select(engine.RESULT_COLUMNS)
    frame = engine.prepare(processed, procedures, work_calendar)
    leaf = pl.concat([engine.leaf_values(frame, periods), engine.result_stock(results, periods)])
    usage = engine.procedure_usage(frame, periods) if frame.height else pl.DataFrame(schema=engine.USAGE_SCHEMA)
    return leaf, usage.select("unit_id", "period", "procedure_id", *USAGE_COUNTS)


def year_difference(
    previous: pl.DataFrame, current: pl.DataFrame, procedures: pl.DataFrame, year: int, work_calendar
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """How replacing the `previous` versions by the `current` ones moves the year's own values (LEAF_SCHEMA) and uses
    (unit, period, procedure, counts): new contributions minus old ones, per cell; the cells that do not move are
    left out.

    Both sides go through the engine in one pass, as its cost for a few thousand rows is mostly per period and per
    metric, not per row: each row's unit id is doubled, plus one for a current version. The engine groups by unit
    only, so the two sides stay apart, and the parity tells them apart again."""
    sides = [previous.with_columns(pl.col("unit_id") * 2), current.with_columns(pl.col("unit_id") * 2 + 1)]
    leaf, usage = contributions(pl.concat(sides), procedures, year, periods_of_year(year), work_calendar)
    return (
        _signed(leaf, ["unit_id", "period", "metric"], ["numerator", "denominator"]),
        _signed(usage, ["unit_id", "period", "procedure_id"], USAGE_COUNTS),
    )


def _signed(frame: pl.DataFrame, keys: list[str], values: list[str]) -> pl.DataFrame:
    """Sum the doubled units' values back into their units, a previous version's (even id) counted negative."""
    sign = pl.when(pl.col("unit_id") % 2 == 1).then(1).otherwise(-1)
    moved = frame.with_columns(pl.col("unit_id") // 2, *(pl.col(v).cast(pl.Int64) * sign for v in values))
    summed = moved.group_by(keys).agg(pl.col(v).sum() for v in values)
    return summed.filter(pl.any_horizontal(pl.col(v) != 0 for v in values))


def _difference(new: pl.DataFrame, old: pl.DataFrame, keys: list[str], values: list[str]) -> pl.DataFrame:
    negated = old.with_columns(-pl.col(v) for v in values)
    both = pl.concat([new.select(*keys, *values), negated.select(*keys, *values)])
    summed = both.group_by(keys).agg(pl.col(v).sum() for v in values)
    return summed.filter(pl.any_horizontal(pl.col(v) != 0 for v in values))


_USAGE_FRAME = {
    "unit_id": pl.Int64,
    "period": pl.Utf8,
    "procedure_id": pl.Int64,
    **dict.fromkeys(USAGE_COUNTS, pl.Int64),
}
_KEYS_PER_QUERY = 2000  # 3 parameters a key: well under SQLite's limit of 32,766 per statement


def _stored_usage_at(keys: pl.DataFrame) -> pl.DataFrame:
    """The stored counts of these (unit_id, period, procedure_id) keys (of those stored), each one looked up through
    the table's unique index: the cost is that of the keys, not of the year's uses."""
    table = ProcedureUsage._meta.db_table
    counts = ", ".join(f"t.{c}" for c in USAGE_COUNTS)
    parts = []
    for chunk in keys.select("unit_id", "period", "procedure_id").iter_slices(_KEYS_PER_QUERY):
        values = ", ".join(["(%s, %s, %s)"] * chunk.height)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT t.unit_id, t.period, t.procedure_id, {counts} FROM (VALUES {values}) AS v JOIN {table} t "
                "ON t.unit_id = v.column1 AND t.period = v.column2 AND t.procedure_id = v.column3",
                [value for row in chunk.iter_rows() for value in row],
            )
            parts.append(pl.DataFrame(cursor.fetchall(), schema=_USAGE_FRAME, orient="row"))
    return pl.concat(parts) if parts else pl.DataFrame(schema=_USAGE_FRAME)


def _stored_usage_of(pairs: pl.DataFrame) -> pl.DataFrame:
    """Every unit's stored counts for these (period, procedure_id) pairs, read period by period (its index)."""
    query = Q()
    for (period,), group in pairs.group_by(["period"]):
        query |= Q(period=period, procedure_id__in=group["procedure_id"].to_list())
    rows = ProcedureUsage.objects.filter(query).values_list("unit_id", "period", "procedure_id", *USAGE_COUNTS)
    return pl.DataFrame(list(rows), schema=_USAGE_FRAME, orient="row")


def _with_flags(usage: pl.DataFrame) -> pl.DataFrame:
    flags = usage.with_columns((pl.col(c) > 0).alias(f) for c, f in USAGE_FLAGS.items())
    return flags.filter(pl.any_horizontal(*USAGE_FLAGS.values())).select(list(engine.USAGE_SCHEMA))


def catalogue_difference(
    usage_delta: pl.DataFrame, procedures: pl.DataFrame, ancestors: pl.DataFrame, periods: list[Period]
) -> pl.DataFrame:
    """The change of every catalogue numerator (RESULT_SCHEMA, denominator 0) when the uses move by `usage_delta`."""
    empty = pl.DataFrame(schema=engine.RESULT_SCHEMA)
    if not usage_delta.height:
        return empty
    keys = ["unit_id", "period", "procedure_id"]
    # First the moved keys only: before and after. Only the (period, procedure) pairs whose flags changed in some unit
    # can move a count of distinct procedures; for those, and those only, every unit's uses are read.
    before = _stored_usage_at(usage_delta)
    after = (
        pl.concat([before, usage_delta.select(before.columns).cast(_USAGE_FRAME)])
        .group_by(keys)
        .agg(pl.col(USAGE_COUNTS).sum())
    )
    flags_before, flags_after = _with_flags(before), _with_flags(after)
    flipped = (
        pl.concat([flags_before.with_columns(side=pl.lit(0)), flags_after.with_columns(side=pl.lit(1))])
        .group_by(keys)
        .agg(pl.max_horizontal(pl.col("used_online", "paid", "fee_synced").n_unique()).alias("kinds"), pl.len())
        .filter((pl.col("kinds") > 1) | (pl.col("len") == 1))
        .select("period", "procedure_id")
        .unique()
    )
    if not flipped.height:
        return empty
    by_code = {p.code: p for p in periods}
    chosen = [by_code[code] for code in sorted(flipped["period"].unique().to_list())]
    procs = procedures.filter(pl.col("procedure_id").is_in(flipped["procedure_id"].unique().implode()))
    if not procs.height:
        return empty

    def numerators(flags: pl.DataFrame) -> pl.DataFrame:
        flags = flags.join(flipped, on=["period", "procedure_id"])
        return engine.catalogue_metrics(flags, procs, ancestors, chosen).select(
            "unit_id", "level", "period", "metric", "numerator"
        )

    everyone = _stored_usage_of(flipped)  # as stored: before the move
    moved_keys = after.join(flipped, on=["period", "procedure_id"])
    everyone_after = pl.concat([everyone.join(moved_keys, on=keys, how="anti"), moved_keys.select(everyone.columns)])
    old, new = numerators(_with_flags(everyone)), numerators(_with_flags(everyone_after))
    moved = _difference(new, old, ["unit_id", "level", "period", "metric"], ["numerator"])
    return moved.with_columns(denominator=pl.lit(0, dtype=pl.Int64)).select(list(engine.RESULT_SCHEMA))


# -- writing the differences --------------------------------------------------------------------------------------

_STAGE = "cchc_delta_stage"


def _apply(
    model,
    delta: pl.DataFrame,
    keys: list[str],
    values: list[str],
    emptied: list[str],
    also: dict[str, str],
    stamp: tuple[str, list[str]] | None,
):
    """Add `delta`'s values to the stored rows with the same keys (inserting those missing), set `also` (column →
    SQL over the new values, named `{column}`), then delete the touched rows whose `emptied` values are all 0 (stored
    values are never negative: a row's `emptied` values can all reach 0 only if none of them grew).

    `stamp` (column, group keys): the column takes the time of this refresh in every inserted row and in one moved
    row of each group (the first in key order that cannot be deleted); the other moved rows keep theirs. Its readers
    take the latest of a group (a unit's period: its page and drill-down cache; a period: the public page's version),
    and the column is indexed (`indicatorvalue_period_computed`): a row whose stamp does not change gets no new index
    entry on PostgreSQL (a HOT update, in the room its page keeps: migration `indicators 0004`), while a new stamp on
    each of 25,000 rows gave 25,000 entries in each of the table's indexes.

    Set-based and driven by the changes: the delta goes into a temporary table (COPY on PostgreSQL) without an index,
    so that both databases read it and look each row up in the stored table through its unique index (with one,
    SQLite may scan the stored table, every year's figures, and look the staging rows up instead); then an UPDATE, an
    INSERT of the missing rows and a DELETE of the touched rows that became empty. Not
    `INSERT … ON CONFLICT DO UPDATE`: both databases check the proposed row against the CHECK constraints before they
    see the conflict (a negative delta of a positive count fails there), and SQLite's upsert of the figures costs
    about twice the CPU of the UPDATE and INSERT (measured on 25,000 rows)."""
    if not delta.height:
        return
    quote = connection.ops.quote_name
    meta = model._meta
    table = quote(meta.db_table)
    key_cols = [meta.get_field(k).column for k in keys]
    value_cols = [meta.get_field(v).column for v in values]
    stage_keys = [f"k_{c}" for c in key_cols]
    stage = {c: f"d_{c}" for c in value_cols}
    # In the order of the unique index: the lookups then walk the stored table's index pages in order, each page read
    # once (SQLite: about half the CPU of the same lookups in random order, 25,000 figures).
    frame = delta.select(keys + values).sort(keys)
    names = [*stage_keys, *stage.values()]
    types = ["text" if frame.schema[k] == pl.Utf8 else "bigint" for k in keys] + ["bigint"] * len(values)
    if stamp is not None:
        # The first row of each group that stays (one of its `emptied` values grows); in a group without one, each
        # row: a row that may be deleted cannot carry the group's stamp alone.
        stays = pl.any_horizontal(pl.col(v) > 0 for v in emptied)
        first = stays & pl.struct(*stamp[1], stays).is_first_distinct()
        frame = frame.with_columns(stamp=first | ~stays.any().over(stamp[1]))
        names.append("stamp")
        types.append("boolean")
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {_STAGE}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {_STAGE} ("
            + ", ".join(f"{name} {kind}" for name, kind in zip(names, types, strict=True))
            + ")"
        )
        if connection.vendor == "postgresql":
            data = frame.write_csv(include_header=False)
            with cursor.cursor.copy(f"COPY {_STAGE} FROM STDIN WITH (FORMAT csv)") as copy:
                copy.write(data.encode())
            # Autovacuum never analyses a temporary table, and the planner needs its size. A sample of 3,000 rows
            # (statistics target 10) is enough for that: the default 30,000 cost 38 ms of server CPU on 25,000 rows.
            cursor.execute(f"SET default_statistics_target = 10; ANALYZE {_STAGE}; RESET default_statistics_target")
        else:
            connection.ensure_connection()
            marks = ", ".join(["?"] * frame.width)
            # The driver's own executemany: Django's wrapper would rewrite each row's parameters.
            connection.connection.executemany(f"INSERT INTO {_STAGE} VALUES ({marks})", frame.iter_rows())
        updated = {c: f"({table}.{quote(c)} + s.{stage[c]})" for c in value_cols}  # a value after the update
        inserted = {c: f"s.{stage[c]}" for c in value_cols}  # a value of an inserted row
        sets = [f"{quote(c)} = {updated[c]}" for c in value_cols]
        sets += [f"{quote(column)} = {expr.format(**updated)}" for column, expr in also.items()]
        now = connection.ops.adapt_datetimefield_value(timezone.now())  # as Django stores it
        columns = [*key_cols, *value_cols, *also]
        selected = [*(f"s.{k}" for k in stage_keys), *(inserted[c] for c in value_cols)]
        selected += [expr.format(**inserted) for expr in also.values()]
        set_params, insert_params = [], []
        if stamp is not None:
            column = quote(meta.get_field(stamp[0]).column)
            sets.append(f"{column} = CASE WHEN s.stamp THEN %s ELSE {table}.{column} END")
            set_params.append(now)
            columns.append(meta.get_field(stamp[0]).column)
            selected.append("%s")
            insert_params.append(now)
        sets_sql, columns_sql = ", ".join(sets), ", ".join(quote(c) for c in columns)
        match = " AND ".join(f"{table}.{quote(c)} = s.{k}" for c, k in zip(key_cols, stage_keys, strict=True))
        pk = quote(meta.pk.column)
        # Returned with the ids of the rows deleted: their groups lose a row that may have carried the stamp.
        group_keys = [stage_keys[keys.index(g)] for g in stamp[1]] if stamp is not None else []
        with_groups = "".join(f", s.{k}" for k in group_keys)
        empty = " AND ".join(f"{table}.{quote(meta.get_field(v).column)} <= 0" for v in emptied)
        may_empty = " AND ".join(f"s.{stage[meta.get_field(v).column]} <= 0" for v in emptied)
        # A missing row whose delta leaves it empty is not inserted (a recompute does not store it either).
        if connection.vendor == "postgresql":
            # One statement: the UPDATE returns the keys it found, so that the INSERT of the missing rows looks them up
            # there (a NOT EXISTS over the stored table lets PostgreSQL sort the whole table, every year's figures,
            # for a merge anti-join), and the ids of the rows it emptied.
            found = " AND ".join(f"u.{k} = s.{k}" for k in stage_keys)
            cursor.execute(
                f"WITH found AS (UPDATE {table} SET {sets_sql} FROM {_STAGE} s WHERE {match} "
                f"RETURNING {', '.join(f's.{k}' for k in stage_keys)}, {table}.{pk} AS found_id, ({empty}) AS emptied)"
                ", "
                f"added AS (INSERT INTO {table} ({columns_sql}) SELECT {', '.join(selected)} FROM {_STAGE} s "
                f"WHERE NOT ({may_empty}) AND NOT EXISTS (SELECT 1 FROM found u WHERE {found})) "
                f"SELECT found_id{with_groups} FROM found s WHERE emptied",
                set_params + insert_params,
            )
            gone = cursor.fetchall()
            if gone:
                cursor.execute(f"DELETE FROM {table} WHERE {pk} = ANY(%s)", [[row[0] for row in gone]])
        else:
            cursor.execute(f"UPDATE {table} SET {sets_sql} FROM {_STAGE} s WHERE {match}", set_params)
            cursor.execute(
                f"INSERT INTO {table} ({columns_sql}) SELECT {', '.join(selected)} FROM {_STAGE} s "
                f"WHERE NOT ({may_empty}) AND NOT EXISTS (SELECT 1 FROM {table} WHERE {match})",
                insert_params,
            )
            # Only a touched row none of whose `emptied` values grew may have become empty: looked up by the index.
            cursor.execute(
                f"SELECT {table}.{pk}{with_groups} FROM {_STAGE} s "
                f"JOIN {table} ON {match} WHERE {may_empty} AND {empty}"
            )
            gone = cursor.fetchall()
            for chunk in range(0, len(gone), _KEYS_PER_QUERY):
                ids = [row[0] for row in gone[chunk : chunk + _KEYS_PER_QUERY]]
                cursor.execute(f"DELETE FROM {table} WHERE {pk} IN ({', '.join(['%s'] * len(ids))})", ids)
        if stamp is not None and gone:
            _restamp(cursor, meta, stamp, {row[1:] for row in gone}, now)
        cursor.execute(f"DROP TABLE {_STAGE}")


def _restamp(cursor, meta, stamp: tuple[str, list[str]], groups: set[tuple], now) -> None:
    """Stamp one remaining row of each of these groups, which lost rows: the rows that carried the stamp may be gone
    (rare: a unit's period whose figures move only to none)."""
    quote = connection.ops.quote_name
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    columns = [quote(meta.get_field(g).column) for g in stamp[1]]
    one = "(" + " AND ".join(f"{c} = %s" for c in columns) + ")"
    ordered = sorted(groups)
    for start in range(0, len(ordered), _KEYS_PER_QUERY):
        chunk = ordered[start : start + _KEYS_PER_QUERY]
        cursor.execute(
            f"UPDATE {table} SET {quote(meta.get_field(stamp[0]).column)} = %s WHERE {pk} IN "
            f"(SELECT MIN({pk}) FROM {table} WHERE {' OR '.join([one] * len(chunk))} GROUP BY {', '.join(columns)})",
            [now, *(value for group in chunk for value in group)],
        )


# -- the refresh ------------------------------------------------------------------------------------------------------


def refresh_by_delta(marked: dict[int, set[int]], progress=None) -> tuple[list, dict[int, set[int]]]:
    """Refresh by delta every marked year that has a base (and every other year with one, to keep them current).

    Returns (results, the marked years it did not refresh: to recompute)."""
    if not marked:
        return [], marked
    report = progress or (lambda done, total, message: None)
    limit = getattr(settings, "CCHC_DELTA_MAX_ROWS", DEFAULT_MAX_ROWS)
    with locks.exclusive("dossier-import"):
        bases = dict(DeltaBase.objects.values_list("year", "batch"))
        years = sorted(y for y in set(bases) | set(marked) if y in bases)
        if not years:
            return [], marked
        top = max_batch()
        low = min(bases[y] for y in years)
        if count_changes(low) > limit:
            log.info("delta refresh: more than %s dossier versions changed, recomputing instead", limit)
            return [], marked
        with contextlib.ExitStack() as stack:
            for year in years:
                stack.enter_context(locks.exclusive(f"indicators-{year}"))
            return _refresh_years(years, bases, top, marked, report)


class _Laps:
    """Wall and CPU seconds (this process, every thread) of the phases of a refresh: `name` and `name_cpu`."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._start()

    def _start(self) -> None:
        self._wall, self._cpu = time.perf_counter(), time.process_time()

    def lap(self, name: str) -> None:
        self.seconds[name] = round(self.seconds.get(name, 0) + time.perf_counter() - self._wall, 3)
        cpu = f"{name}_cpu"
        self.seconds[cpu] = round(self.seconds.get(cpu, 0) + time.process_time() - self._cpu, 3)
        self._start()


def _refresh_years(years, bases, top, marked, report):
    results = []
    remaining = {y: u for y, u in marked.items() if y not in years}
    laps = _Laps()  # the first year's "load" also counts the catalogue and the units
    marks = list(RefreshMark.objects.filter(year__in=years).values_list("pk", flat=True))
    procedures, units = compute.load_procedures(), compute.load_units()
    ancestors = engine.ancestors_frame(units)
    versions: dict[int, tuple[pl.DataFrame, pl.DataFrame]] = {}
    with transaction.atomic():
        for number, year in enumerate(years):
            report(number, len(years), f"delta {year}")
            base = bases[year]
            if base not in versions:
                versions[base] = load_versions(base)
            previous, current = versions[base]
            laps.lap("load")
            if previous.height or current.height:
                periods = periods_of_year(year)
                leaf, use = year_difference(previous, current, procedures, year, calendar_for([year]))
                rolled = engine.roll_up(leaf, ancestors).select(list(engine.RESULT_SCHEMA)) if leaf.height else None
                catalogue = catalogue_difference(use, procedures, ancestors, periods)
                figures = pl.concat([f for f in (rolled, catalogue) if f is not None]).cast(engine.RESULT_SCHEMA)
                laps.lap("compute")
                _apply(
                    LeafValue,
                    leaf.rename({"unit_id": "unit"}),
                    ["unit", "period", "metric"],
                    ["numerator", "denominator"],
                    ["numerator", "denominator"],
                    {},
                    None,
                )
                _apply(
                    ProcedureUsage,
                    use.rename({"unit_id": "unit", "procedure_id": "procedure"}),
                    ["unit", "period", "procedure"],
                    USAGE_COUNTS,
                    USAGE_COUNTS,
                    {flag: f"({{{count}}} > 0)" for count, flag in USAGE_FLAGS.items()},
                    None,
                )
                _apply(
                    IndicatorValue,
                    figures.rename({"unit_id": "unit"}),
                    ["unit", "period", "level", "metric"],
                    ["numerator", "denominator"],
                    ["denominator"],  # a zero denominator reads as no row: it is not stored
                    {},
                    ("computed_at", ["unit", "period"]),
                )
                units_touched = leaf["unit_id"].n_unique() if leaf.height else 0
                values = figures.height
            else:
                laps.lap("compute")
                units_touched, values = 0, 0
            DeltaBase.objects.update_or_create(year=year, defaults={"batch": top})
            laps.lap("store")
            rows = previous.height + current.height
            if year in marked:
                results.append(compute.RecomputeResult(year, units_touched, rows, values, laps.seconds, delta=True))
            laps = _Laps()
        RefreshMark.objects.filter(pk__in=marks).delete()
        _forget_taken_batches()
    report(len(years), len(years), "done")
    return results, remaining
