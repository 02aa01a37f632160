"""Check a batch of read rows and convert it to typed rows named as the model fields: no Django here.

`validate_dossiers` and `validate_procedures` turn a batch (`readers.RawBatch.frame`) into typed rows plus the
errors of the rows they reject, with vectorised polars expressions: Python only touches the rows that are
rejected. `importing.py` writes the result to the database; `write_error_report` writes the errors as CSV.

Messages (row-error reasons) are translated with Django's gettext when they are made, so in the language active
then: the rules of `validate_*` are built at each call, and a reason that quotes a row's value is assembled from
a translated template (`_reason`). Nothing here needs a request.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

import polars as pl
from django.utils.translation import gettext as _

from cchc.core.text import csv_cell
from cchc.dossiers.columns import (
    CATALOGUE_COLUMNS,
    CATALOGUE_FLAGS,
    DOSSIER_COLUMNS,
    DOSSIER_DATE_COLUMNS,
    DOSSIER_DATES,
    DOSSIER_FIELDS,
    DOSSIER_FLAGS,
    DOSSIER_NULLABLE_FLAGS,
    LEVEL_TOKENS,
    LINE,
    MAX_CODE_LENGTH,
    MAX_LENGTHS,
    MAX_SMALLINT,
    ONLINE_LEVELS,
    PROCEDURE_FIELDS,
    RATINGS,
    STATUSES_ENDED,
    STATUSES_FINISHED,
    STATUSES_NOT_ACCEPTED,
    TIME_UNITS,
    YEAR_FROM,
    YEAR_TO,
)
from cchc.dossiers.dates import DATE_FORMATS, MAX_YEAR, MIN_YEAR, local_date, parse_datetimes
from cchc.dossiers.readers import RowError


def _reason(template: str, **values: pl.Expr) -> pl.Expr:
    """A per-row reason from a translated `%(name)s` template, each placeholder filled by an expression."""
    parts = re.split(r"%\((\w+)\)s", template)
    pieces = [
        values[part].cast(pl.String) if i % 2 else pl.lit(part.replace("%%", "%"))
        for i, part in enumerate(parts)
        if i % 2 or part
    ]
    return pl.concat_str(pieces)


@dataclass
class Rule:
    field: str  # the file column named in the error
    bad: pl.Expr  # true for the rows this rule rejects
    reason: pl.Expr | str
    value: pl.Expr | None = None  # default: the raw column `field`


def _flag_ok(column: str) -> pl.Expr:
    return pl.col(column).is_null() | pl.col(column).is_in(["0", "1"])


def _clean(columns: Iterable[str]) -> list[pl.Expr]:
    # `replace`, not `when(stripped == "")`: the same nulls for 0.05 instead of 0.45 µs a row over the 25 columns.
    return [pl.col(c).str.strip_chars().replace("", None).alias(c) for c in columns]


def _too_long(n: int) -> str:
    return _("longer than %(n)s characters") % {"n": n}


def _int(column: str) -> pl.Expr:
    return pl.col(column).cast(pl.Int64, strict=False)


def _collect_errors(frame: pl.DataFrame, rules: list[Rule], masks: list[str]) -> list[RowError]:
    """The errors of the rejected rows, in line order (each row can break several rules)."""
    parts = []
    for rule, mask in zip(rules, masks, strict=True):
        hit = frame.filter(pl.col(mask))
        if not hit.height:
            continue
        reason = pl.lit(rule.reason) if isinstance(rule.reason, str) else rule.reason
        value = rule.value if rule.value is not None else pl.col(rule.field)
        parts.append(
            hit.select(
                pl.col(LINE).alias("line"),
                pl.lit(rule.field).alias("field"),
                value.cast(pl.String).fill_null("").alias("value"),
                reason.cast(pl.String).alias("reason"),
            )
        )
    if not parts:
        return []
    table = pl.concat(parts).sort("line", maintain_order=True)
    return [RowError(*row) for row in table.iter_rows()]


def _apply_rules(frame: pl.DataFrame, rules: list[Rule]) -> tuple[pl.DataFrame, list[RowError], int]:
    masks = [f"_bad{i}" for i in range(len(rules))]
    frame = frame.with_columns(r.bad.fill_null(False).alias(m) for r, m in zip(rules, masks, strict=True))
    any_bad = pl.any_horizontal(pl.col(m) for m in masks) if masks else pl.lit(False)
    frame = frame.with_columns(any_bad.alias("_bad"))
    rejected = frame.filter(pl.col("_bad"))
    errors = _collect_errors(rejected, rules, masks) if rejected.height else []
    valid = frame.filter(~pl.col("_bad")).drop([*masks, "_bad"])
    return valid, errors, rejected.height


@dataclass
class Checked:
    """A batch after validation."""

    rows: pl.DataFrame  # valid rows, typed, named as the model fields; one per code (the file's last)
    errors: list[RowError]
    rejected: int
    superseded: int  # valid rows replaced by a later row of the batch with the same code


def validate_dossiers(raw: pl.DataFrame, procedures: pl.DataFrame, units: pl.DataFrame, today: dt.date) -> Checked:
    """Check and convert a batch of dossier rows.

    procedures: code (str), id (int). units: code (str), id (int), valid_from (date), valid_to (date|null).
    The unit is the version of DonViXuLy valid on the local acceptance date (else submission date, else today).
    """
    df = raw.with_columns(_clean(DOSSIER_COLUMNS))
    # Dates
    parsed = {c: parse_datetimes(df[c]) for c in DOSSIER_DATE_COLUMNS}
    df = df.with_columns(
        [p.utc.alias(f"_dt_{c}") for c, p in parsed.items()]
        + [p.has_time.alias(f"_t_{c}") for c, p in parsed.items()]
        + [p.bad.alias(f"_bad_dt_{c}") for c, p in parsed.items()]
        + [p.out_of_range.alias(f"_range_{c}") for c, p in parsed.items()]
    )
    status = _int("TrangThaiHoSo")
    df = df.with_columns(
        status.alias("status"),
        pl.when(pl.col("KenhThucHien").is_null()).then(1).otherwise(_int("KenhThucHien")).alias("channel"),
        pl.when(pl.col("SoLanYeuCauBoSung").is_null()).then(0).otherwise(_int("SoLanYeuCauBoSung")).alias("_count"),
        pl.when(pl.col("DuocThanhToanTrucTuyen").is_null())
        .then(0)
        .otherwise(_int("DuocThanhToanTrucTuyen"))
        .alias("_paid"),
        pl.col("DanhGiaHaiLong")
        .str.to_lowercase()
        .replace_strict(RATINGS, default=None, return_dtype=pl.Int16)
        .alias("rating"),
        pl.int_range(pl.len(), dtype=pl.Int64).alias("_row"),
    )
    # The day the unit must be valid on: acceptance, else submission, else today (local dates).
    df = df.with_columns(
        pl.coalesce(local_date(pl.col("_dt_NgayTiepNhan")), local_date(pl.col("_dt_NgayNopHoSo")), pl.lit(today)).alias(
            "_on"
        )
    )
    # Lookups: MaTTHC → procedure, DonViXuLy (+ date) → unit version.
    df = df.join(
        procedures.select(pl.col("code").alias("MaTTHC"), pl.col("id").alias("procedure_id")),
        on="MaTTHC",
        how="left",
        maintain_order="left",
    )
    candidates = (
        df.select("_row", "DonViXuLy", "_on")
        .filter(pl.col("DonViXuLy").is_not_null())
        .join(units.rename({"code": "DonViXuLy", "id": "unit_id"}), on="DonViXuLy", how="inner")
        .filter(
            (pl.col("valid_from") <= pl.col("_on"))
            & (pl.col("valid_to").is_null() | (pl.col("_on") <= pl.col("valid_to")))
        )
        .sort("valid_from")
        .unique("_row", keep="last")
        .select("_row", "unit_id")
    )
    df = df.join(candidates, on="_row", how="left", maintain_order="left")
    unit_known = pl.col("DonViXuLy").is_in(units["code"].implode())

    def before(later: str, earlier: str) -> pl.Expr:
        """`later` is before `earlier`: by the instant when both have a time, else by the local date."""
        a, b = pl.col(f"_dt_{later}"), pl.col(f"_dt_{earlier}")
        both_timed = pl.col(f"_t_{later}") & pl.col(f"_t_{earlier}")
        return pl.when(both_timed).then(a < b).otherwise(local_date(a) < local_date(b))

    def missing(c: str) -> Rule:
        return Rule(c, pl.col(c).is_null(), _("missing required field"))

    # Built at each call, so that the reasons are in the language active now.
    rules = [
        missing("MaHoSo"),
        Rule("MaHoSo", pl.col("MaHoSo").str.len_chars() > MAX_CODE_LENGTH, _too_long(MAX_CODE_LENGTH)),
        missing("MaTTHC"),
        Rule(
            "MaTTHC",
            pl.col("MaTTHC").is_not_null() & pl.col("procedure_id").is_null(),
            _("unknown MaTTHC (not in the catalogue)"),
        ),
        missing("DonViXuLy"),
        Rule("DonViXuLy", pl.col("DonViXuLy").is_not_null() & ~unit_known, _("unknown unit code")),
        Rule(
            "DonViXuLy",
            pl.col("DonViXuLy").is_not_null() & unit_known & pl.col("unit_id").is_null(),
            _reason(_("unit not valid on the acceptance date %(date)s"), date=pl.col("_on").dt.to_string("%Y-%m-%d")),
        ),
        missing("TrangThaiHoSo"),
        Rule(
            "TrangThaiHoSo",
            pl.col("TrangThaiHoSo").is_not_null() & ~pl.col("status").is_between(1, 10).fill_null(False),
            _("status not in 1–10"),
        ),
        Rule("KenhThucHien", ~pl.col("channel").is_in([1, 2, 3]).fill_null(False), _("channel not 1, 2 or 3")),
        Rule("DuocThanhToanTrucTuyen", ~(pl.col("_paid") >= 0).fill_null(False), _("not a whole number (1, 2 or 0)")),
        Rule(
            "SoLanYeuCauBoSung",
            ~pl.col("_count").is_between(0, MAX_SMALLINT).fill_null(False),
            _("not a whole number of requests"),
        ),
        Rule(
            "DanhGiaHaiLong",
            pl.col("DanhGiaHaiLong").is_not_null() & pl.col("rating").is_null(),
            _("rating not rat_hai_long, hai_long or khong_hai_long"),
        ),
    ]
    not_a_flag = _("flag not 0 or 1")
    for c in (*DOSSIER_FLAGS, *DOSSIER_NULLABLE_FLAGS):
        rules.append(Rule(c, ~_flag_ok(c), not_a_flag))
    not_a_date = _("not a date (expected %(iso)s or %(local)s)") % {"iso": DATE_FORMATS[0], "local": DATE_FORMATS[1]}
    out_of_range = _("year outside %(min)s–%(max)s") % {"min": MIN_YEAR, "max": MAX_YEAR}
    for c in DOSSIER_DATE_COLUMNS:
        rules.append(Rule(c, pl.col(f"_bad_dt_{c}"), not_a_date))
        rules.append(Rule(c, pl.col(f"_range_{c}"), out_of_range))
    rules += [
        Rule(
            "NgayTiepNhan",
            pl.col("NgayTiepNhan").is_null()
            & pl.col("status").is_between(1, 10)
            & ~pl.col("status").is_in(STATUSES_NOT_ACCEPTED),
            _reason(_("missing for status %(status)s (only statuses 1 and 3 may lack it)"), status=pl.col("status")),
        ),
        Rule(
            "NgayKetThucXuLy",
            pl.col("NgayKetThucXuLy").is_null() & pl.col("status").is_in(STATUSES_FINISHED),
            _reason(_("missing for status %(status)s (processing finished)"), status=pl.col("status")),
        ),
        Rule("NgayKetThucXuLy", before("NgayKetThucXuLy", "NgayTiepNhan"), _("finished before accepted")),
        Rule(
            "NgayHoanThanhBoSung",
            pl.col("NgayHoanThanhBoSung").is_not_null() & pl.col("NgayYeuCauBoSung").is_null(),
            _("supplied without a supplement request (NgayYeuCauBoSung)"),
        ),
        Rule("NgayHoanThanhBoSung", before("NgayHoanThanhBoSung", "NgayYeuCauBoSung"), _("supplied before requested")),
    ]
    valid, errors, rejected = _apply_rules(df, rules)

    # Convert the valid rows; the last row of a code wins.
    before_dedup = valid.height
    # A mask on the code alone, applied only when a code repeats (rarely): `unique` on the whole frame gathered every
    # column of every row.
    last = valid.select(pl.col("MaHoSo").is_last_distinct()).to_series()
    if not last.all():
        valid = valid.filter(last)
    superseded = before_dedup - valid.height
    acc, sub, fin = pl.col("_dt_NgayTiepNhan"), pl.col("_dt_NgayNopHoSo"), pl.col("_dt_NgayKetThucXuLy")
    year_from = pl.coalesce(local_date(acc).dt.year(), local_date(sub).dt.year()).cast(pl.Int32)
    ended = pl.col("status").is_in(STATUSES_ENDED) & fin.is_not_null()
    year_to = pl.when(ended).then(local_date(fin).dt.year()).otherwise(pl.lit(today.year)).cast(pl.Int32)
    # A finished dossier's result stays in the stock of target 2.3 until it expires (or until today).
    expires = local_date(pl.col("_dt_NgayHetHieuLucKetQua")).dt.year().cast(pl.Int32)
    holds_result = pl.col("status").is_in(STATUSES_FINISHED) & fin.is_not_null()
    year_to = pl.when(holds_result).then(pl.min_horizontal(pl.lit(today.year), expires)).otherwise(year_to)
    year_to = pl.max_horizontal(year_to, local_date(fin).dt.year().cast(pl.Int32))
    requested = pl.col("_dt_NgayYeuCauBoSung").is_not_null()
    rows = valid.select(
        pl.col("MaHoSo").alias("code"),
        pl.col("procedure_id").cast(pl.Int64),
        pl.col("unit_id").cast(pl.Int64),
        pl.col("channel").cast(pl.Int16),
        pl.col("status").cast(pl.Int16),
        pl.when(pl.col("_paid").is_in([1, 2])).then(pl.col("_paid")).otherwise(0).cast(pl.Int16).alias("paid_online"),
        # A request date with no count is one request.
        pl.when(requested & (pl.col("_count") == 0))
        .then(1)
        .otherwise(pl.col("_count"))
        .cast(pl.Int16)
        .alias("supplement_count"),
        pl.col("rating").cast(pl.Int16),
        *(pl.col(f"_dt_{c}").alias(f) for c, f in DOSSIER_DATES.items()),
        *((pl.col(c) == "1").fill_null(False).alias(f) for c, f in DOSSIER_FLAGS.items()),
        *((pl.col(c) == "1").alias(f) for c, f in DOSSIER_NULLABLE_FLAGS.items()),
        pl.when(year_from.is_not_null()).then(year_from).alias(YEAR_FROM),
        pl.when(year_from.is_not_null()).then(pl.max_horizontal(year_to, year_from)).alias(YEAR_TO),
    ).select(*DOSSIER_FIELDS, YEAR_FROM, YEAR_TO)
    return Checked(rows, errors, rejected, superseded)


def validate_procedures(raw: pl.DataFrame, owners: pl.DataFrame | None = None) -> Checked:
    """Check and convert a batch of catalogue rows (the last row of a MaTTHC wins).

    owners: the agencies a procedure may belong to (CoQuanThucHien), as `key` (a code or a name, lower case)
    and `id`; without it, any owning agency is an unknown one."""
    df = raw.with_columns(_clean(CATALOGUE_COLUMNS))
    owners = owners if owners is not None else pl.DataFrame(schema={"key": pl.String, "id": pl.Int64})
    df = df.with_columns(pl.col("CoQuanThucHien").str.to_lowercase().alias("_owner_key")).join(
        owners.select(pl.col("key").alias("_owner_key"), pl.col("id").alias("_owner_id")),
        on="_owner_key",
        how="left",
        maintain_order="left",
    )
    tokens = (
        pl.col("CapThucHien")
        .str.to_lowercase()
        .str.replace_all(r"[;|/]", ",")
        .str.split(",")
        .list.eval(pl.element().str.strip_chars())
        .list.eval(pl.element().filter(pl.element() != ""))
    )
    limit_text = pl.col("ThoiHanGiaiQuyet").str.replace(",", ".", literal=True)
    df = df.with_columns(
        tokens.alias("_levels"),
        pl.col("MucDoDVCTT").str.to_lowercase().alias("_online"),
        limit_text.cast(pl.Float64, strict=False).alias("_limit"),
        pl.col("DonViTinh").str.to_lowercase().alias("_unit"),
    )
    df = df.with_columns(
        pl.col("_levels")
        .list.eval(pl.element().filter(~pl.element().is_in(list(LEVEL_TOKENS))))
        .list.join(", ")
        .alias("_unknown_levels")
    )
    # Built at each call, so that the reasons are in the language active now.
    missing, not_a_flag = _("missing required field"), _("flag not 0 or 1")
    rules = [
        Rule("MaTTHC", pl.col("MaTTHC").is_null(), missing),
        Rule("TenTTHC", pl.col("TenTTHC").is_null(), missing),
        *(Rule(c, pl.col(c).str.len_chars() > n, _too_long(n)) for c, n in MAX_LENGTHS.items()),
        Rule(
            "CapThucHien",
            pl.col("_unknown_levels").fill_null("") != "",
            _reason(_("unknown level %(levels)s (expected tinh, huyen, xa)"), levels=pl.col("_unknown_levels")),
        ),
        Rule(
            "MucDoDVCTT",
            pl.col("_online").is_not_null() & ~pl.col("_online").is_in(list(ONLINE_LEVELS)),
            _("online level not toan_trinh, mot_phan or empty"),
        ),
        *(Rule(c, ~_flag_ok(c), not_a_flag) for c in CATALOGUE_FLAGS),
        Rule(
            "ThoiHanGiaiQuyet",
            pl.col("ThoiHanGiaiQuyet").is_not_null() & pl.col("_limit").is_null(),
            _("time limit not a number"),
        ),
        Rule("ThoiHanGiaiQuyet", pl.col("_limit") < 0, _("negative time limit")),
        Rule(
            "DonViTinh",
            pl.col("_unit").is_not_null() & ~pl.col("_unit").is_in(list(TIME_UNITS)),
            _("unknown time unit (expected %(units)s)") % {"units": ", ".join(TIME_UNITS)},
        ),
        Rule(
            "DonViTinh",
            pl.col("_unit").is_null() & pl.col("_limit").is_not_null(),
            _("missing: a time limit needs its unit"),
        ),
        Rule("DuDieuKienDVCTT", ~_flag_ok("DuDieuKienDVCTT"), not_a_flag),
        Rule(
            "CoQuanThucHien",
            pl.col("CoQuanThucHien").is_not_null() & pl.col("_owner_id").is_null(),
            _("unknown agency (expected the code or the name of a department)"),
        ),
    ]
    valid, errors, rejected = _apply_rules(df, rules)
    before_dedup = valid.height
    valid = valid.unique("MaTTHC", keep="last", maintain_order=True)
    rows = valid.select(
        pl.col("MaTTHC").alias("code"),
        pl.col("TenTTHC").alias("name"),
        pl.col("MaLinhVuc").fill_null("").alias("sector_code"),
        pl.col("TenLinhVuc").fill_null("").alias("sector_name"),
        *(pl.col("_levels").list.contains(token).fill_null(False).alias(f) for token, f in LEVEL_TOKENS.items()),
        pl.col("_online").replace_strict(ONLINE_LEVELS, default="").fill_null("").alias("online_level"),
        *((pl.col(c) == "1").fill_null(False).alias(f) for c, f in CATALOGUE_FLAGS.items() if f != "internal"),
        pl.col("_limit").alias("time_limit"),
        pl.col("_unit").fill_null("").alias("time_unit"),
        (pl.col("NoiBo") == "1").fill_null(False).alias("internal"),
        (pl.col("DuDieuKienDVCTT") != "0").fill_null(True).alias("eligible_online"),
        pl.col("_owner_id").cast(pl.Int64).alias("owner_id"),
    ).select(PROCEDURE_FIELDS)
    return Checked(rows, errors, rejected, before_dedup - valid.height)


# -- the error report -----------------------------------------------------------------------------------

ERROR_REPORT_HEADER = ("line", "field", "value", "reason")


def write_error_report(errors: Iterable[RowError], destination: str | os.PathLike | IO[bytes]) -> int:
    """Write `line,field,value,reason` as UTF-8 with a BOM (so Excel shows Vietnamese right); returns rows."""
    if isinstance(destination, (str, os.PathLike)):
        with open(destination, "wb") as f:
            return write_error_report(errors, f)
    text = io.TextIOWrapper(destination, encoding="utf-8-sig", newline="")
    try:
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(ERROR_REPORT_HEADER)
        count = 0
        for error in errors:
            writer.writerow([csv_cell(value) for value in error])
            count += 1
        text.flush()
        return count
    finally:
        text.detach()
