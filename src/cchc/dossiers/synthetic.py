"""A reproducible, realistic-looking synthetic year of dossiers and a synthetic procedure catalogue.

Everything here is plain numpy/polars (no Django, no database): the 2023 units come from
`province_records`, working days from `WorkCalendar` with the shipped day overrides. The output is
made for demonstrations, load tests and the importer: every procedure code starts with `SYN.` and
every procedure name with `[Mô phỏng] `, so nobody can take it for the real national catalogue.

Reproducibility: the output is a function of (year, count, seed) only. Random numbers are drawn in
fixed blocks of `BLOCK` rows, each block from its own generator seeded with (seed, block number), so the
size of the chunks a caller asks for does not change a byte. Acceptance times are laid out along the
year by the row's position (row i sits at quantile (i + u)/count of the year's intake), so the file is
in chronological order and a block never needs to know about the others.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from cchc.dossiers import columns
from cchc.units.divisions import COMMUNE, DEPARTMENT, DISTRICT, province_records
from cchc.workdays.rules import WorkCalendar, shipped_calendar

# The file contract is the importer's: the generator writes exactly the columns the issue lists.
CATALOGUE_COLUMNS = list(columns.CATALOGUE_COLUMNS)
# Every column of the contract, the optional ones too (reuse of papers for 2.7, the stock of results for 2.3).
DOSSIER_COLUMNS = list(columns.DOSSIER_COLUMNS)
DATE_COLUMNS = ["NgayNopHoSo", "NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy", "NgayTra"]
SUPPLEMENT_DATE_COLUMNS = ["NgayYeuCauBoSung", "NgayHoanThanhBoSung"]
ISO_FORMAT = "%Y-%m-%dT%H:%M:%S"
ALT_FORMAT = "%d/%m/%Y %H:%M"  # the importer's other accepted format; written for ALT_FORMAT_SHARE of rows
ALT_FORMAT_SHARE = 0.05
NAME_PREFIX = "[Mô phỏng] "
CODE_PREFIX = "SYN."
BLOCK = 50_000  # rows per random block: part of the output's definition, do not change casually
RATINGS = ["rat_hai_long", "hai_long", "khong_hai_long"]

OFFICE_OPEN = 7 * 3600 + 30 * 60  # 07:30
OFFICE_CLOSE = 17 * 3600  # 17:00
NA = -1  # missing timestamp inside the generator (epoch seconds of local wall-clock time otherwise)

# Time-limit units; codes as in the catalogue.
NO_LIMIT, HOURS, DAYS, WORKING_DAYS, MONTHS = 0, 1, 2, 3, 4
UNIT_CODES = {HOURS: "gio", DAYS: "ngay", WORKING_DAYS: "ngay_lam_viec", MONTHS: "thang"}

# The catalogue and the volumes are versioned data (a change there changes the output, as a change here would).
CATALOGUE_FILE = Path(__file__).with_name("data") / "synthetic-catalogue.yaml"


@dataclass(frozen=True)
class Sector:
    code: str
    name: str
    owner: str  # the provincial department that carries the sector's provincial procedures
    fee: float  # share of procedures with a fee
    full: float  # share offered as full online service
    partial: float  # share offered as partial online service
    limits: list  # (number, unit, weight)
    stems: str  # one procedure a line: "<levels>|<name>", levels t/h/x (tỉnh/huyện/xã); "!" = internal


def _time_limits(spec: str | list, named: dict[str, list]) -> list[tuple]:
    """A sector's time limits: a name of `time_limits`, or a list of names and [number, unit, weight]."""
    items = [spec] if isinstance(spec, str) else spec
    limits: list[tuple] = []
    for item in items:
        if isinstance(item, str):
            limits.extend(tuple(limit) for limit in named[item])
        else:
            limits.append(tuple(item))
    return limits


def load_catalogue_data(path: Path = CATALOGUE_FILE) -> dict:
    """The versioned data of the generator: sectors with their procedures, and the volumes of sectors and units."""
    import yaml

    data = yaml.safe_load(path.read_text("utf-8"))
    named = data["time_limits"]
    data["sectors"] = [
        Sector(
            s["code"],
            s["name"],
            s["owner"],
            s["fee"],
            s["full"],
            s["partial"],
            _time_limits(s["time_limits"], named),
            "\n".join(s["procedures"]),
        )
        for s in data["sectors"]
    ]
    return data


_DATA = load_catalogue_data()
# Listed most-requested first within each level: popularity decays with the rank.
SECTORS: list[Sector] = _DATA["sectors"]
SECTOR_BY_NAME = {s.name: s for s in SECTORS}
# Relative volume of each sector among the dossiers of a level (unlisted sectors: 0.5).
COMMUNE_SECTOR_WEIGHT: dict[str, float] = _DATA["commune_sector_weight"]
DISTRICT_SECTOR_WEIGHT: dict[str, float] = _DATA["district_sector_weight"]
PROVINCE_SECTOR_WEIGHT: dict[str, float] = _DATA["province_sector_weight"]
# Share of the provincial dossiers each department handles (TTHCC: the one-stop centre).
DEPARTMENT_VOLUME: dict[str, float] = _DATA["department_volume"]
# Rough 2019 population (thousands) of the districts: drives their volumes.
DISTRICT_POPULATION: dict[str, float] = _DATA["district_population"]

LAND_SECTOR = "Đất đai"
LEVEL_NAMES = {"t": "tinh", "h": "huyen", "x": "xa"}

ONE_STOP_CENTRE = "TTHCC"
LEVEL_SHARE = {DEPARTMENT: 0.18, DISTRICT: 0.30, COMMUNE: 0.52}
BUSIEST_DISTRICT = "593"  # Phan Thiết: its city hall and wards get extra volume


# --------------------------------------------------------------------------------------------------
# Calendar


def default_calendar(year: int) -> WorkCalendar:
    return shipped_calendar([year])


# --------------------------------------------------------------------------------------------------
# Catalogue


def _parse_stems(sector: Sector) -> list[tuple[str, str, bool]]:
    out = []
    for line in sector.stems.strip().splitlines():
        levels, name = line.split("|", 1)
        internal = name.startswith("!")
        out.append((levels, name.lstrip("!"), internal))
    return out


def generate_catalogue(seed: int) -> pl.DataFrame:
    """About 350 synthetic procedures across realistic sectors; deterministic in `seed`."""
    rng = np.random.default_rng([seed, 0])
    rows = []
    number = 0
    for sector in SECTORS:
        limit_weights = np.array([w for _, _, w in sector.limits], dtype=float)
        for rank, (levels, name, internal) in enumerate(_parse_stems(sector)):
            number += 1
            r = rng.random(8)
            if internal:
                online = ""
            elif r[0] < sector.full:
                online = "toan_trinh"
            elif r[0] < sector.full + sector.partial:
                online = "mot_phan"
            else:
                online = ""
            has_fee = (not internal) and r[1] < sector.fee
            pays_online = has_fee and r[2] < (0.75 if online else 0.25)
            n, unit, _ = sector.limits[rng.choice(len(sector.limits), p=limit_weights / limit_weights.sum())]
            if name in ("Tiếp công dân", "Xử lý đơn khiếu nại, tố cáo, kiến nghị, phản ánh") or (
                rank >= 3 and r[3] < 0.03
            ):
                n, unit = None, ""  # no time limit
            rows.append(
                {
                    "MaTTHC": f"{CODE_PREFIX}{number:06d}",
                    "TenTTHC": NAME_PREFIX + name,
                    "MaLinhVuc": sector.code,
                    "TenLinhVuc": sector.name,
                    "CapThucHien": ",".join(LEVEL_NAMES[c] for c in levels),
                    "MucDoDVCTT": online,
                    "DuDieuKienToanTrinh": int(online == "toan_trinh" or (not internal and r[4] < 0.3)),
                    "TichHopDVCQG": int(bool(online) and r[5] < 0.85),
                    "CoPhiLePhi": int(has_fee),
                    "ThanhToanTrucTuyen": int(pays_online),
                    "YeuCauKetQuaGiay": int(r[6] < 0.85),
                    "ThoiHanGiaiQuyet": n,
                    "DonViTinh": unit,
                    "NoiBo": int(internal),
                    # Eligible for online service (2.4a): what is offered is; of the rest, about six in ten.
                    "DuDieuKienDVCTT": int(not internal and (bool(online) or r[7] < 0.6)),
                    # The owning department of a provincial-level procedure (the sector's).
                    "CoQuanThucHien": sector.owner if "t" in levels else None,
                }
            )
    schema = {c: pl.Int8 for c in CATALOGUE_COLUMNS}
    schema.update({c: pl.String for c in ("MaTTHC", "TenTTHC", "MaLinhVuc", "TenLinhVuc", "CapThucHien", "MucDoDVCTT")})
    schema["DonViTinh"] = pl.String
    schema["CoQuanThucHien"] = pl.String
    schema["ThoiHanGiaiQuyet"] = pl.Int32
    # Empty text is written as null, so the CSV shows a bare empty field (polars quotes "" otherwise).
    return pl.DataFrame(rows, schema=schema).with_columns(pl.col("MucDoDVCTT", "DonViTinh").replace("", None))


# --------------------------------------------------------------------------------------------------
# The model: everything derived once from (year, seed, catalogue)


@dataclass
class _Model:
    year: int
    year_end: int  # last second of the year
    wd: np.ndarray  # working days of the calendar, int64 days since 1970-01-01
    calendar: WorkCalendar
    cell_cum: np.ndarray  # cumulative intake weight of (working day, minute) cells of the year
    cell_start: np.ndarray  # start of each cell, seconds
    last_days_idx: int  # working-day index from which a dossier counts as "accepted in the last days"
    unit_codes: np.ndarray
    unit_cum: np.ndarray
    unit_group: np.ndarray
    groups: list  # per group: (procedure indices, cumulative probabilities)
    group_online_mean: np.ndarray
    # per unit
    online: np.ndarray
    late: np.ndarray
    route: np.ndarray
    digitised: np.ndarray
    eresult: np.ndarray
    sync: np.ndarray
    rated: np.ndarray
    dissatisfied: np.ndarray
    supplement: np.ndarray
    # per procedure
    proc_codes: np.ndarray
    limit_n: np.ndarray
    limit_unit: np.ndarray
    omit_due: np.ndarray
    fee: np.ndarray
    pay_online: np.ndarray
    online_factor: np.ndarray
    proc_late: np.ndarray
    proc_supplement: np.ndarray


def _office_minute_weights() -> np.ndarray:
    """Relative intake per minute of the day from 07:30 to 16:59 (lunch break 11:30–13:30 is quiet)."""
    minutes = np.arange(OFFICE_OPEN // 60, OFFICE_CLOSE // 60)
    w = np.ones(len(minutes))
    hm = minutes / 60
    w[hm < 8] = 0.6
    w[(hm >= 8) & (hm < 11)] = 1.5
    w[(hm >= 11) & (hm < 11.5)] = 0.9
    w[(hm >= 11.5) & (hm < 13.5)] = 0.06
    w[(hm >= 13.5) & (hm < 16)] = 1.0
    w[hm >= 16] = 0.55
    return minutes, w


MONTH_FACTOR = np.array([1.15, 0.85, 1.05, 1.0, 0.95, 1.0, 1.0, 1.05, 0.95, 1.0, 1.05, 1.12])
WEEKDAY_FACTOR = np.array([1.15, 1.02, 1.0, 0.98, 0.9, 0.6, 0.5])


def _build_model(year: int, seed: int, catalogue: pl.DataFrame, calendar: WorkCalendar | None) -> _Model:
    rng = np.random.default_rng([seed, 2])
    calendar = calendar or default_calendar(year)
    wd = calendar.working_days.astype("datetime64[D]").astype(np.int64)
    first = np.datetime64(dt.date(year, 1, 1), "D").astype(np.int64)
    last = np.datetime64(dt.date(year, 12, 31), "D").astype(np.int64)
    year_days = wd[(wd >= first) & (wd <= last)]
    if not len(year_days):
        raise ValueError(f"no working days in {year}")

    # Intake along the year: month, weekday (the make-up Saturday is quiet) and a little noise.
    as_dates = year_days.astype("datetime64[D]")
    months = as_dates.astype("datetime64[M]").astype(int) % 12
    weekdays = (year_days + 3) % 7  # 1970-01-01 was a Thursday
    day_w = MONTH_FACTOR[months] * WEEKDAY_FACTOR[weekdays] * rng.lognormal(0, 0.08, len(year_days))
    minutes, minute_w = _office_minute_weights()
    cell_w = np.outer(day_w, minute_w).ravel()
    cell_cum = np.cumsum(cell_w)
    cell_start = (year_days[:, None] * 86400 + minutes[None, :] * 60).ravel()
    last_days_idx = int(np.searchsorted(wd, year_days[-2]))

    # Procedures.
    proc_codes = catalogue["MaTTHC"].to_numpy().astype(str)
    sectors = catalogue["TenLinhVuc"].to_list()
    unknown = {s for s in sectors if s not in SECTOR_BY_NAME}
    if unknown:
        raise ValueError(f"sectors not known to the generator: {sorted(unknown)}")
    owners = np.array([SECTOR_BY_NAME[s].owner for s in sectors])
    levels = catalogue["CapThucHien"].to_list()
    at = {lv: np.array([lv in x.split(",") for x in levels]) for lv in ("tinh", "huyen", "xa")}
    internal = catalogue["NoiBo"].to_numpy().astype(bool)
    online_level = catalogue["MucDoDVCTT"].to_list()
    online_factor = np.array([{"toan_trinh": 1.3, "mot_phan": 0.8}.get(x, 0.0) for x in online_level])
    limit_n = catalogue["ThoiHanGiaiQuyet"].fill_null(0).to_numpy().astype(np.int64)
    unit_by_name = {v: k for k, v in UNIT_CODES.items()}
    limit_unit = np.array([unit_by_name.get(x or "", NO_LIMIT) for x in catalogue["DonViTinh"].to_list()])
    limit_unit[limit_n <= 0] = NO_LIMIT
    fee = catalogue["CoPhiLePhi"].to_numpy().astype(bool)
    pay_online = catalogue["ThanhToanTrucTuyen"].to_numpy().astype(bool)
    is_land = np.array([s == LAND_SECTOR for s in sectors])
    n_proc = len(proc_codes)
    proc_late = rng.lognormal(0, 0.35, n_proc) * np.where(is_land, 2.2, 1.0)
    proc_supplement = rng.lognormal(0, 0.3, n_proc) * np.where(is_land, 1.6, 1.0)
    # Popularity: rank within (sector, level) in listed order, Zipf-like, with noise.
    popularity = np.zeros((3, n_proc))
    best_rank = np.full(n_proc, n_proc)
    for li, lv in enumerate(("tinh", "huyen", "xa")):
        rank_in: dict[str, int] = {}
        for i in range(n_proc):
            if at[lv][i]:
                r = rank_in.get(sectors[i], 0)
                rank_in[sectors[i]] = r + 1
                popularity[li, i] = (r + 1) ** -1.15
                best_rank[i] = min(best_rank[i], r)
    popularity *= rng.lognormal(0, 0.4, n_proc)[None, :]
    popularity[:, internal] *= 0.1

    # A few procedures (never a sector's three most requested) whose dossiers come without NgayHenTra:
    # the importer must compute it from the catalogue.
    candidates = np.flatnonzero((limit_unit != NO_LIMIT) & (best_rank >= 3) & ~internal)
    omit_due = np.zeros(n_proc, dtype=bool)
    omit_due[rng.choice(candidates, size=min(len(candidates), max(1, n_proc // 35)), replace=False)] = True

    def level_weights(li: int, sector_weight: dict) -> np.ndarray:
        w = popularity[li].copy()
        sums: dict[str, float] = {}
        for i in np.flatnonzero(w):
            sums[sectors[i]] = sums.get(sectors[i], 0.0) + w[i]
        for i in np.flatnonzero(w):
            w[i] *= sector_weight.get(sectors[i], 0.5) / sums[sectors[i]]
        return w

    # Units (not the province itself) and their groups.
    records = [r for r in province_records("60") if r.kind in (DEPARTMENT, DISTRICT, COMMUNE)]
    unit_codes = np.array([r.code for r in records])
    kinds = [r.kind for r in records]
    departments = [r.code for r in records if r.kind == DEPARTMENT]
    group_weights = []
    group_of_dept = {}
    province_w = level_weights(0, PROVINCE_SECTOR_WEIGHT)
    for code in departments:
        if code == ONE_STOP_CENTRE:
            continue
        w = np.where(owners == code, province_w, 0.0)
        if w.sum() == 0:
            raise ValueError(f"department {code} owns no provincial procedure")
        group_of_dept[code] = len(group_weights)
        group_weights.append(w / w.sum())
    # The one-stop centre receives for every department, land most of all.
    centre = np.zeros(n_proc)
    for code, g in group_of_dept.items():
        centre += DEPARTMENT_VOLUME.get(code, 0.5) * group_weights[g]
    centre *= np.where(is_land, 2.5, 1.0)
    centre[internal] = 0
    group_of_dept[ONE_STOP_CENTRE] = len(group_weights)
    group_weights.append(centre / centre.sum())
    district_group = len(group_weights)
    w = level_weights(1, DISTRICT_SECTOR_WEIGHT)
    group_weights.append(w / w.sum())
    commune_group = len(group_weights)
    w = level_weights(2, COMMUNE_SECTOR_WEIGHT)
    group_weights.append(w / w.sum())
    groups = []
    for gw in group_weights:
        idx = np.flatnonzero(gw > 0)
        cum = np.cumsum(gw[idx])
        groups.append((idx, cum / cum[-1]))
    group_online_mean = np.array([max(float((gw * online_factor).sum()), 0.05) for gw in group_weights])

    # Unit volumes.
    n_units = len(records)
    weight = np.zeros(n_units)
    group = np.zeros(n_units, dtype=np.int64)
    children: dict[str, int] = {}
    for r in records:
        if r.kind == COMMUNE:
            children[r.parent_code] = children.get(r.parent_code, 0) + 1
    noise = rng.lognormal(0, 1, n_units)
    for i, r in enumerate(records):
        if r.kind == DEPARTMENT:
            weight[i] = DEPARTMENT_VOLUME.get(r.code, 0.5) * noise[i] ** 0.1
            group[i] = group_of_dept[r.code]
        elif r.kind == DISTRICT:
            boost = 1.6 if r.code == BUSIEST_DISTRICT else 1.0
            weight[i] = DISTRICT_POPULATION.get(r.code, 100) * boost * noise[i] ** 0.15
            group[i] = district_group
        else:
            pop = DISTRICT_POPULATION.get(r.parent_code, 100)
            boost = (1.5 if r.parent_code == BUSIEST_DISTRICT else 1.0) * (1.2 if r.division_type == "phường" else 1.0)
            weight[i] = pop / children[r.parent_code] * boost * noise[i] ** 0.45
            group[i] = commune_group
    for kind, share in LEVEL_SHARE.items():
        mask = np.array([k == kind for k in kinds])
        weight[mask] *= share / weight[mask].sum()
    unit_cum = np.cumsum(weight)
    unit_cum /= unit_cum[-1]

    # Unit profiles: a latent "badness" z (communes inherit part of their district's) and a few laggards.
    index_of = {r.code: i for i, r in enumerate(records)}
    z = rng.normal(0, 1, n_units)
    for i, r in enumerate(records):
        if r.kind == COMMUNE:
            z[i] = 0.6 * z[index_of[r.parent_code]] + 0.8 * z[i]
    district_idx = np.array([i for i, k in enumerate(kinds) if k == DISTRICT])
    commune_idx = np.array([i for i, k in enumerate(kinds) if k == COMMUNE])
    scored_dept_idx = np.array([i for i, r in enumerate(records) if r.kind == DEPARTMENT and r.is_scored])
    laggard = np.zeros(n_units, dtype=bool)
    laggard[rng.choice(district_idx[district_idx != index_of[BUSIEST_DISTRICT]], 2, replace=False)] = True
    laggard[rng.choice(scored_dept_idx, 2, replace=False)] = True
    laggard[rng.choice(commune_idx, 10, replace=False)] = True

    online = np.zeros(n_units)
    online[district_idx] = rng.permutation(np.linspace(0.12, 0.55, len(district_idx)))
    for i in commune_idx:
        parent = index_of[records[i].parent_code]
        online[i] = np.clip(online[parent] * rng.lognormal(0, 0.3), 0.05, 0.7)
    dept_mask = np.array([k == DEPARTMENT for k in kinds])
    online[dept_mask] = rng.uniform(0.2, 0.65, dept_mask.sum())
    online[index_of[ONE_STOP_CENTRE]] = 0.45
    online = np.where(laggard, online * 0.5, online)

    def bounded(base, scale, lo, hi, bad):
        return np.where(laggard, bad, np.clip(base - scale * z, lo, hi))

    return _Model(
        year=year,
        year_end=int((last + 1) * 86400 - 1),
        wd=wd,
        calendar=calendar,
        cell_cum=cell_cum,
        cell_start=cell_start,
        last_days_idx=last_days_idx,
        unit_codes=unit_codes,
        unit_cum=unit_cum,
        unit_group=group,
        groups=groups,
        group_online_mean=group_online_mean,
        online=online,
        late=np.where(laggard, rng.uniform(0.16, 0.26, n_units), np.clip(0.035 * np.exp(0.55 * z), 0.004, 0.2)),
        route=bounded(0.82, 0.08, 0.4, 0.99, rng.uniform(0.35, 0.55, n_units)),
        digitised=bounded(0.55, 0.15, 0.1, 0.95, rng.uniform(0.1, 0.25, n_units)),
        eresult=bounded(0.62, 0.15, 0.15, 0.97, rng.uniform(0.15, 0.3, n_units)),
        sync=bounded(0.95, 0.02, 0.85, 0.999, rng.uniform(0.72, 0.82, n_units)),
        rated=rng.uniform(0.25, 0.7, n_units),
        dissatisfied=np.where(laggard, rng.uniform(0.12, 0.2, n_units), np.clip(0.03 * np.exp(0.4 * z), 0.005, 0.1)),
        supplement=np.where(laggard, 0.17, np.clip(0.09 * np.exp(0.3 * z), 0.03, 0.2)),
        proc_codes=proc_codes,
        limit_n=limit_n,
        limit_unit=limit_unit,
        omit_due=omit_due,
        fee=fee,
        pay_online=pay_online,
        online_factor=online_factor,
        proc_late=proc_late,
        proc_supplement=proc_supplement,
    )


# --------------------------------------------------------------------------------------------------
# Dossiers


def _add_months(days: np.ndarray, months: np.ndarray) -> np.ndarray:
    """Same day `months` later (clamped to the month's last day); int days in, int days out."""
    d = days.astype("datetime64[D]")
    m = d.astype("datetime64[M]")
    dom = (d - m.astype("datetime64[D]")).astype(np.int64)
    target = m + months.astype("timedelta64[M]")
    length = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(np.int64)
    return (target.astype("datetime64[D]") + np.minimum(dom, length - 1)).astype(np.int64)


def _office_tod(rng: np.random.Generator, n: int) -> np.ndarray:
    """A random time of day within office hours (seconds), busier in the morning."""
    morning = rng.random(n) < 0.58
    return np.where(
        morning,
        rng.integers(OFFICE_OPEN, 11 * 3600 + 30 * 60, n),
        rng.integers(13 * 3600 + 30 * 60, OFFICE_CLOSE, n),
    )


def _later_same_day(rng: np.random.Generator, t: np.ndarray) -> np.ndarray:
    """A moment between t and the office's closing on t's day (t itself when t is after closing)."""
    tod = t % 86400
    return t + (np.maximum(OFFICE_CLOSE - tod, 0) * rng.uniform(0.05, 1.0, len(t))).astype(np.int64)


def _block(m: _Model, start: int, n: int, count: int, seed: int) -> pl.DataFrame:
    rng = np.random.default_rng([seed, 1, start // BLOCK])
    wd = m.wd
    last_wd = len(wd) - 1
    row = np.arange(start, start + n, dtype=np.int64)

    # Where the row sits in the year (chronological order), which unit, which procedure.
    q = (row + rng.random(n)) / count
    cell = np.minimum(np.searchsorted(m.cell_cum, q * m.cell_cum[-1], side="right"), len(m.cell_cum) - 1)
    t = m.cell_start[cell] + rng.integers(0, 60, n)
    u = np.minimum(np.searchsorted(m.unit_cum, rng.random(n), side="right"), len(m.unit_cum) - 1)
    g = m.unit_group[u]
    p = np.zeros(n, dtype=np.int64)
    for gi, (procs, cum) in enumerate(m.groups):
        mask = g == gi
        k = int(mask.sum())
        if k:
            p[mask] = procs[np.minimum(np.searchsorted(cum, rng.random(k), side="right"), len(procs) - 1)]

    # Channel: online only for procedures offered online, at the unit's rate.
    p_online = np.clip(m.online[u] * m.online_factor[p] / m.group_online_mean[g], 0, 0.95)
    r = rng.random(n)
    online = r < p_online
    channel = np.where(online, 2, np.where(r > 0.975, 3, 1)).astype(np.int8)

    # Never accepted: 1 submitted online and left, 3 refused at intake.
    r = rng.random(n)
    submitted_only = online & (r < 0.032)
    refused = (online & (r >= 0.032) & (r < 0.052)) | (~online & (r < 0.003))
    accepted = ~(submitted_only | refused)

    lag = np.where(
        online,
        np.where(rng.random(n) < 0.6, rng.uniform(300, 6 * 3600, n), rng.uniform(0.5, 4, n) * 86400),
        np.where(channel == 3, rng.uniform(1, 4, n) * 86400, rng.uniform(60, 1500, n)),
    ).astype(np.int64)
    submitted = t - lag

    # Acceptance, due date.
    a = t
    day = a // 86400
    tod = a % 86400
    a_idx = np.searchsorted(wd, day)
    unit = m.limit_unit[p]
    n_lim = m.limit_n[p]
    has_due = unit != NO_LIMIT
    due_wd = m.calendar.add_working_days_array(day.astype("datetime64[D]"), np.where(unit == WORKING_DAYS, n_lim, 1))
    due = np.full(n, NA, dtype=np.int64)
    due = np.where(unit == WORKING_DAYS, due_wd.astype(np.int64) * 86400 + tod, due)
    due = np.where(unit == HOURS, a + n_lim * 3600, due)
    due = np.where(unit == DAYS, a + n_lim * 86400, due)
    due = np.where(unit == MONTHS, _add_months(day, np.where(unit == MONTHS, n_lim, 0)) * 86400 + tod, due)
    due_idx = np.where(
        has_due,
        np.searchsorted(wd, due // 86400, side="right") - 1,
        a_idx + 1 + rng.geometric(0.12, n),  # no limit: a typical duration
    )
    due_idx = np.minimum(due_idx, last_wd)

    # Processing: most finish early or on the due day; the unit's and procedure's lateness.
    late = has_due & (rng.random(n) < np.clip(m.late[u] * m.proc_late[p], 0, 0.6))
    span = due_idx - a_idx
    base_idx = a_idx + np.minimum((rng.beta(2.0, 1.4, n) * (span + 1)).astype(np.int64), span)
    late_by = rng.geometric(0.25, n) + np.where(rng.random(n) < 0.06, rng.integers(10, 60, n), 0)
    base_idx = np.minimum(np.where(late, due_idx + late_by, base_idx), last_wd)
    office = _office_tod(rng, n)
    finish0 = np.where(base_idx == a_idx, _later_same_day(rng, a), wd[base_idx] * 86400 + office)

    # Supplement requests: the clock stops between request and supply.
    supp = accepted & (rng.random(n) < m.supplement[u] * m.proc_supplement[p])
    r = rng.random(n)
    times = np.where(supp, 1 + (r > 0.9) + (r > 0.975), 0).astype(np.int16)
    req_idx = a_idx + (rng.random(n) * (base_idx - a_idx + 1)).astype(np.int64)
    req = np.clip(wd[req_idx] * 86400 + _office_tod(rng, n), a, finish0)
    pause = rng.geometric(0.3, n) + (times.astype(np.int64) - 1).clip(0) * rng.integers(2, 8, n)
    sup_idx = np.minimum(req_idx + pause, last_wd)
    supplied = wd[sup_idx] * 86400 + np.minimum(req % 86400 + rng.integers(0, 3600, n), OFFICE_CLOSE - 1)
    fin_idx = np.minimum(base_idx + pause, last_wd)
    finish_sup = np.maximum(wd[fin_idx] * 86400 + finish0 % 86400, supplied + 60)
    finish = np.where(supp, finish_sup, finish0)

    # Withdrawn (7) and stopped (8); after an unanswered supplement request, when there was one.
    r = rng.random(n)
    withdrawn = accepted & (r < 0.006)
    stopped = accepted & (r >= 0.006) & (r < 0.010)
    quit_ = withdrawn | stopped
    e_idx = a_idx + (rng.random(n) * (np.minimum(base_idx, due_idx) - a_idx + 1)).astype(np.int64)
    e_idx = np.where(supp, req_idx + rng.integers(3, 15, n), e_idx)
    e_idx = np.minimum(e_idx, last_wd)
    ended_at = np.maximum(wd[e_idx] * 86400 + _office_tod(rng, n), a)
    ended_at = np.where(supp, np.maximum(ended_at, req + 3600), ended_at)
    supplied = np.where(quit_, NA, supplied)

    ye = m.year_end
    end = np.where(quit_, ended_at, finish)
    ended = accepted & (end <= ye)
    # A request after the year's end is not seen; a supply after it is not either.
    supp = supp & (req <= ye)
    times = np.where(supp, times, 0)
    supplied = np.where(supp & (supplied <= ye), supplied, NA)
    waiting_supply = supp & (supplied == NA)

    # Return of the result.
    fin_day_idx = np.searchsorted(wd, finish // 86400)
    collect = np.where(
        online & (rng.random(n) < 0.7),
        fin_day_idx,
        np.where(rng.random(n) < 0.6, np.maximum(fin_day_idx, due_idx), fin_day_idx + rng.geometric(0.5, n) - 1),
    )
    collect = np.minimum(collect, last_wd)
    returned = np.where(
        collect <= fin_day_idx, _later_same_day(rng, finish), np.maximum(wd[collect] * 86400 + office, finish)
    )
    never_collected = rng.random(n) < 0.015

    obligation = m.fee[p] & (rng.random(n) < 0.92)
    open_ = accepted & ~ended
    r = rng.random(n)
    status = np.full(n, 4, dtype=np.int8)
    status = np.where(open_ & obligation & (r < 0.25), 6, status)
    status = np.where(open_ & (a_idx >= m.last_days_idx) & (r > 0.6), 2, status)
    status = np.where(open_ & waiting_supply, 5, status)
    finished = ended & ~quit_
    status = np.where(finished, np.where(never_collected | (returned > ye), 9, 10), status)
    status = np.where(ended & withdrawn, 7, status)
    status = np.where(ended & stopped, 8, status)
    status = np.where(refused, 3, status)
    status = np.where(submitted_only, 1, status)

    # The on-time rule (tthc-dossiers.md §4) on the finished ones, to drive ratings and complaints.
    adj_end = finish - np.where(supplied != NA, supplied - req, 0)
    late_rule = finished & has_due & ((adj_end // 86400) > (due // 86400))
    late_rule |= finished & (times >= 2)

    # Flags.
    paid = accepted & obligation & m.pay_online[p] & (rng.random(n) < np.where(online, 0.45, 0.04))
    paid_how = np.where(rng.random(n) < 0.35, 1, 2)
    paid_online = np.where(obligation, np.where(paid, paid_how, 0), -1).astype(np.int8)
    routed = accepted & (rng.random(n) < m.route[u])
    digitised = accepted & (rng.random(n) < np.clip(m.digitised[u] + 0.15 * online, 0, 0.98))
    is_done = (status == 9) | (status == 10)
    eresult = is_done & (rng.random(n) < np.clip(m.eresult[u] + 0.1 * online, 0, 0.98))
    synced = rng.random(n) < m.sync[u]
    rated = ((status == 10) & (rng.random(n) < m.rated[u])) | ((status == 9) & (rng.random(n) < 0.05))
    p_bad = np.clip(m.dissatisfied[u] + 0.3 * late_rule, 0, 0.9)
    r = rng.random(n)
    rating = np.where(r < p_bad, 2, np.where(r < p_bad + (1 - p_bad) * 0.55, 0, 1))
    rating = np.where(rated, rating, -1)
    complaint = rng.random(n) < 0.002 + 0.02 * late_rule + 0.12 * (rating == 2)
    # Drawn after everything else, so the columns above do not change with them.
    # Papers not submitted again (2.7) and papers taken from the citizen's data store.
    reused = accepted & (rng.random(n) < np.clip(0.5 * m.digitised[u] + 0.2 * online, 0.02, 0.9))
    from_store = accepted & online & (rng.random(n) < 0.3)
    # The stock of results (2.3): a paper result digitised some working days after it was issued, at the unit's
    # pace; a few results valid only for some months.
    r = rng.random(n)
    later = np.minimum(fin_day_idx + rng.geometric(0.08, n), last_wd)
    digitised_at = np.where(is_done & ~eresult & (r < m.digitised[u]), wd[later] * 86400 + _office_tod(rng, n), NA)
    digitised_at = np.where(digitised_at > ye, NA, digitised_at)
    expires = np.where(is_done & (rng.random(n) < 0.05), finish + rng.integers(30, 180, n) * 86400, NA)

    # Which timestamps each row shows.
    submitted_col = submitted
    accepted_col = np.where(accepted, a, NA)
    due_col = np.where(accepted & has_due & ~m.omit_due[p], due, NA)
    finished_col = np.where(finished | (ended & quit_), end, NA)
    returned_col = np.where(status == 10, returned, NA)
    req_col = np.where(supp & accepted, req, NA)
    sup_col = np.where(supp & accepted, supplied, NA)
    alt = rng.random(n) < ALT_FORMAT_SHARE

    width = max(7, len(str(count)))
    frame = pl.DataFrame(
        {
            "row": row + 1,
            "unit": m.unit_codes[u],
            "MaTTHC": m.proc_codes[p],
            "KenhThucHien": channel,
            "NgayNopHoSo": submitted_col,
            "NgayTiepNhan": accepted_col,
            "NgayHenTra": due_col,
            "NgayKetThucXuLy": finished_col,
            "NgayTra": returned_col,
            "TrangThaiHoSo": status,
            "DuocThanhToanTrucTuyen": paid_online,
            "CoNghiaVuTaiChinh": obligation.astype(np.int8),
            "NgayYeuCauBoSung": req_col,
            "NgayHoanThanhBoSung": sup_col,
            "SoLanYeuCauBoSung": np.where(accepted, times, 0).astype(np.int8),
            "LuanChuyenDienTu": routed.astype(np.int8),
            "CoKetQuaDienTu": eresult.astype(np.int8),
            "HoSoCoThanhPhanSoHoa": digitised.astype(np.int8),
            "DongBoDVCQG": synced.astype(np.int8),
            "rating": rating.astype(np.int8),
            "CoPAKN": complaint.astype(np.int8),
            "DuocTaiSuDung": np.where(accepted, reused, 0).astype(np.int8),
            "DuocLayTuKhoDMQG": from_store.astype(np.int8),
            "NgaySoHoaKetQua": digitised_at,
            "NgayHetHieuLucKetQua": expires,
            "alt": alt,
            "code_time": submitted,
        }
    )

    def when(column: str) -> pl.Expr:
        moment = pl.from_epoch(pl.col(column), time_unit="s")
        text = pl.when(pl.col("alt")).then(moment.dt.strftime(ALT_FORMAT)).otherwise(moment.dt.strftime(ISO_FORMAT))
        return pl.when(pl.col(column) != NA).then(text).otherwise(None).alias(column)

    rating_names = pl.Series(RATINGS)
    return frame.select(
        pl.concat_str(
            [
                pl.lit("SYN-"),
                pl.col("unit"),
                pl.lit("-"),
                pl.from_epoch(pl.col("code_time"), time_unit="s").dt.strftime("%y%m%d"),
                pl.lit("-"),
                pl.col("row").cast(pl.String).str.zfill(width),
            ]
        ).alias("MaHoSo"),
        pl.col("MaTTHC"),
        pl.col("unit").alias("DonViXuLy"),
        pl.col("KenhThucHien"),
        *[when(c) for c in DATE_COLUMNS],
        pl.col("TrangThaiHoSo"),
        pl.when(pl.col("DuocThanhToanTrucTuyen") >= 0)
        .then(pl.col("DuocThanhToanTrucTuyen"))
        .alias("DuocThanhToanTrucTuyen"),
        pl.col("CoNghiaVuTaiChinh"),
        *[when(c) for c in SUPPLEMENT_DATE_COLUMNS],
        pl.col("SoLanYeuCauBoSung"),
        pl.col("LuanChuyenDienTu"),
        pl.col("CoKetQuaDienTu"),
        pl.col("HoSoCoThanhPhanSoHoa"),
        pl.col("DongBoDVCQG"),
        pl.when(pl.col("rating") >= 0)
        .then(pl.col("rating").cast(pl.Int64).replace_strict(list(range(3)), rating_names, default=None))
        .alias("DanhGiaHaiLong"),
        pl.col("CoPAKN"),
        pl.col("DuocTaiSuDung"),
        pl.col("DuocLayTuKhoDMQG"),
        when("NgaySoHoaKetQua"),
        when("NgayHetHieuLucKetQua"),
    )


def generate_dossiers(
    year: int,
    count: int,
    seed: int,
    catalogue: pl.DataFrame,
    chunk_size: int = 200_000,
    calendar: WorkCalendar | None = None,
) -> Iterator[pl.DataFrame]:
    """Yield the dossiers in chronological order, `chunk_size` rows at a time (the last chunk may be shorter).

    The rows are a function of (year, count, seed, catalogue, calendar) only, never of `chunk_size`.
    """
    if count < 0 or chunk_size <= 0:
        raise ValueError("count must be ≥ 0 and chunk_size > 0")
    model = _build_model(year, seed, catalogue, calendar)
    pending: list[pl.DataFrame] = []
    pending_rows = 0
    for start in range(0, count, BLOCK):
        frame = _block(model, start, min(BLOCK, count - start), count, seed)
        pending.append(frame)
        pending_rows += frame.height
        while pending_rows >= chunk_size:
            merged = pl.concat(pending, rechunk=False)
            yield merged.slice(0, chunk_size)
            rest = merged.slice(chunk_size)
            pending, pending_rows = ([rest] if rest.height else []), rest.height
    if pending_rows:
        yield pl.concat(pending, rechunk=False)


def catalogue_path_for(out: str) -> str:
    """FILE's name with `-catalogue.csv` in place of its suffix (dossiers-2023.csv → dossiers-2023-catalogue.csv)."""
    path = Path(out)
    return str(path.with_name((path.stem if path.suffix else path.name) + "-catalogue.csv"))


def write_csv(frames: Iterable[pl.DataFrame], path: str, columns: list[str], progress=None) -> int:
    """Append the frames to one UTF-8 CSV file (header once, even with no rows); returns the rows written."""
    written = 0
    with open(path, "wb") as handle:
        for frame in frames:
            frame.write_csv(handle, include_header=(written == 0))
            written += frame.height
            if progress:
                progress(written)
        if not written:
            pl.DataFrame(schema={c: pl.String for c in columns}).write_csv(handle)
    return written
