"""Dates of the import files, parsed vectorised with polars (tthc-dossiers.md §1): no Django here.

Accepted: ISO 8601 (`2023-01-05`, `2023-01-05T08:30[:00[.fff]]`, with `Z` or `+07:00` or not), `dd/mm/yyyy`
with an optional ` HH:MM[:SS]`, or the national sync record's `yyyymmdd[HHMMSS]`. Without an offset a date is
local Vietnam time (UTC+7, no DST). Datetimes come out naive in UTC; a date alone means local midnight.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, NamedTuple

import polars as pl

from cchc.core.clock import LOCAL_OFFSET_MINUTES

MIN_YEAR, MAX_YEAR = 1900, 2100  # a year outside this is a typing error, not a dossier
DATE_FORMATS = "yyyy-mm-dd[THH:MM[:SS]][±HH:MM]", "dd/mm/yyyy[ HH:MM[:SS]]"

_PY_DATE_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})/(\d{1,2})/(\d{4})|(\d{4})(\d{2})(\d{2})")


def date_sort_key(value: Any) -> tuple:
    """An approximate sort key for a date string (to find the first supplement request)."""
    match = _PY_DATE_RE.match(value.strip()) if isinstance(value, str) else None
    if not match:
        return (1, "")
    g = match.groups()
    y, m, d = (g[0], g[1], g[2]) if g[0] else ((g[5], g[4], g[3]) if g[3] else (g[6], g[7], g[8]))
    rest = value.strip()[match.end() :]
    return (0, f"{int(y):04d}{int(m):02d}{int(d):02d}{rest}")


# Tried first, in order, on the values not parsed yet: cheap, and between them they cover the usual exports.
_FAST_FORMATS = (
    ("%Y-%m-%d %H:%M:%S", True),
    ("%Y-%m-%dT%H:%M:%S", True),
    ("%d/%m/%Y %H:%M:%S", True),
    ("%d/%m/%Y %H:%M", True),
    ("%d/%m/%Y", False),
    ("%Y-%m-%d", False),
)
_DATE_PATTERN = (
    r"^(?:(?P<Y>\d{4})-(?P<Mo>\d{1,2})-(?P<D>\d{1,2})"
    r"|(?P<d>\d{1,2})/(?P<mo>\d{1,2})/(?P<y>\d{4})"
    r"|(?P<cY>\d{4})(?P<cMo>\d{2})(?P<cD>\d{2}))"
    r"(?:(?:[T ]\s*)?(?P<H>\d{1,2}):?(?P<Mi>\d{2})(?::?(?P<S>\d{2})(?:[.,](?P<F>\d{1,9}))?)?)?"
    r"\s*(?P<Z>Z|z|[+-]\d{2}(?::?\d{2})?)?$"
)


class ParsedDates(NamedTuple):
    utc: pl.Series  # Datetime(us), naive UTC; null when empty or bad
    has_time: pl.Series  # Boolean: the value had a time of day
    bad: pl.Series  # Boolean: not empty but not a date
    out_of_range: pl.Series  # Boolean: a date, but its year is outside MIN_YEAR..MAX_YEAR


def parse_datetimes(values: pl.Series) -> ParsedDates:
    """Parse a column of date strings (stripped, null = empty), vectorised."""
    n = values.len()
    offset = None  # minutes east of UTC of each value, when some value carries its own offset (else local time)
    formats = list(_FAST_FORMATS)
    if values.null_count() < n:  # the file's own format first: most columns then parse in one pass
        sample = values.slice(int(values.is_not_null().arg_max() or 0), 1)  # the first value (not a copy of all)
        for index, (fmt, _with_time) in enumerate(formats):
            if _strptime(sample, fmt).null_count() == 0:
                formats.insert(0, formats.pop(index))
                break
    first, with_time = formats[0]
    local = _strptime(values, first)
    has_time = pl.select(pl.repeat(with_time, n, dtype=pl.Boolean)).to_series()
    remaining = (values.is_not_null() & local.is_null()).arg_true()
    subset = values.gather(remaining) if remaining.len() else values.clear()
    for fmt, with_time in formats[1:]:
        if not remaining.len():
            break
        parsed = _strptime(subset, fmt)
        ok = parsed.is_not_null()
        if ok.any():
            local = local.scatter(remaining.filter(ok), parsed.filter(ok))
            has_time = has_time.scatter(remaining.filter(ok), with_time)
            remaining = remaining.filter(~ok)
            subset = subset.filter(~ok)
    if remaining.len():
        g = subset.str.extract_groups(_DATE_PATTERN).struct.unnest()
        digits = pl.col("Z").str.replace_all(r"[^0-9]", "")
        parts = g.select(
            pl.concat_str(
                pl.coalesce("Y", "y", "cY"),
                pl.lit("-"),
                pl.coalesce("Mo", "mo", "cMo").str.zfill(2),
                pl.lit("-"),
                pl.coalesce("D", "d", "cD").str.zfill(2),
                pl.lit(" "),
                pl.col("H").fill_null("0").str.zfill(2),
                pl.lit(":"),
                pl.col("Mi").fill_null("00"),
                pl.lit(":"),
                pl.col("S").fill_null("00"),
            )
            .str.strptime(pl.Datetime("us"), "%Y-%m-%d %H:%M:%S", strict=False)
            .alias("local"),
            pl.col("F").str.pad_end(6, "0").str.slice(0, 6).cast(pl.Int64, strict=False).fill_null(0).alias("us"),
            pl.when(pl.col("Z").is_null())
            .then(LOCAL_OFFSET_MINUTES)
            .otherwise(
                pl.when(pl.col("Z").str.starts_with("-")).then(-1).otherwise(1)
                * (
                    digits.str.slice(0, 2).cast(pl.Int32, strict=False).fill_null(0) * 60
                    + digits.str.slice(2, 2).cast(pl.Int32, strict=False).fill_null(0)
                )
            )
            .cast(pl.Int32)
            .alias("offset"),
            pl.col("H").is_not_null().alias("has_time"),
        )
        parsed = parts["local"] + parts["us"].cast(pl.Duration("us"))
        minutes = parts["offset"]
        ok = parsed.is_not_null()
        if ok.any():
            idx = remaining.filter(ok)
            local = local.scatter(idx, parsed.filter(ok))
            offset = pl.select(pl.repeat(LOCAL_OFFSET_MINUTES, n, dtype=pl.Int32)).to_series()
            offset = offset.scatter(idx, minutes.filter(ok))
            has_time = has_time.scatter(idx, parts["has_time"].filter(ok))
    frame = pl.DataFrame({"v": values, "local": local})
    if offset is None:
        shift = pl.lit(dt.timedelta(minutes=LOCAL_OFFSET_MINUTES))
    else:
        frame = frame.with_columns(offset.alias("offset"))
        shift = pl.duration(minutes=pl.col("offset"))
    in_range = pl.col("local").dt.year().is_between(MIN_YEAR, MAX_YEAR)  # null where there is no date
    out = frame.select(  # one pass
        utc=pl.when(in_range).then(pl.col("local") - shift),
        bad=pl.col("v").is_not_null() & pl.col("local").is_null(),
        out_of_range=in_range.not_().fill_null(False),
    )
    return ParsedDates(out["utc"], has_time, out["bad"], out["out_of_range"])


def _strptime(values: pl.Series, fmt: str) -> pl.Series:
    """Datetimes of `fmt` (null where a value is not one). Without polars' cache of the distinct values: instants are
    nearly all distinct, so hashing them cost more than it saved (nine columns: 0.61 → 0.35 µs of CPU a row)."""
    return values.str.strptime(pl.Datetime("us"), fmt, strict=False, cache=False)


def local_date(expr: pl.Expr) -> pl.Expr:
    """The Vietnam calendar date of a naive-UTC datetime expression."""
    return (expr + pl.duration(minutes=LOCAL_OFFSET_MINUTES)).dt.date()
