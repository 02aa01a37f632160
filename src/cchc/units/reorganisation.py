"""The dated reorganisation events of the province, built from the maintained packages and our data file.

Sources, in order of authority for what each gives:
- `data/units-2023.json` (vietnam-provinces 0.5.0): the 2023 units the system was built for;
- vietnamadminunits 1.0.4: the legacy units of early 2025 (a legacy commune's former names are its aliases, which
  tell which 2023 communes it absorbed) and the conversion map from legacy communes to the 2025 ones
  (`converter_2025.json`: whole communes, and communes divided between several new ones with a default successor);
- vietnam-provinces 2025.10.1 (installed): the current units with their statistics-office codes and names;
- `data/reorganisation-lam-dong.yaml`: what the packages do not carry (dates, legal bases, departments).

No Django here: `events.py` writes the records to the database.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import sqlite3
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from importlib import resources
from importlib.metadata import version
from pathlib import Path

import yaml

from cchc.units.divisions import COMMUNE, DEPARTMENT, DISTRICT, PROVINCE, UnitRecord, province_records

MERGE = "merge"
SPLIT = "split"
RENAME = "rename"
TRANSFER = "transfer"
NEW = "new"
DISSOLVED = "dissolved"
KINDS = (MERGE, SPLIT, RENAME, TRANSFER, NEW, DISSOLVED)

REORGANISATION_FILE = "data/reorganisation-lam-dong.yaml"


@dataclass(frozen=True)
class Link:
    """One predecessor or successor of an event: a code (statistics-office or the project's own) and its name.

    On a split, `share` is the successor's part of the predecessor's figures where the source gives one; otherwise
    the declared default successor (`is_default`) takes the whole.
    """

    code: str
    name: str = ""
    share: Decimal | None = None
    is_default: bool = False


@dataclass(frozen=True)
class EventRecord:
    key: str
    date: dt.date
    kind: str
    predecessors: tuple[Link, ...]
    successors: tuple[Link, ...]
    basis: str
    note: str = ""
    source: str = ""


@dataclass
class Reorganisation:
    province: str
    history: list[str]
    units: list[UnitRecord] = field(default_factory=list)  # units opened by the events (valid_from = event date)
    events: list[EventRecord] = field(default_factory=list)

    def dates(self) -> list[dt.date]:
        return sorted({e.date for e in self.events} | {u.valid_from for u in self.units})


def name_key(name: str) -> str:
    """'Phường Lạc Đạo' → 'phuonglacdao' (the key form vietnamadminunits uses)."""
    text = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in text.lower() if c.isalnum() and not unicodedata.combining(c))


def _package_dir(package: str) -> Path:
    """A package's folder, found without importing it (vietnamadminunits imports geodata tools on import)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ValueError(f"the package {package} is not installed")
    return Path(list(spec.submodule_search_locations)[0])


@cache
def current_divisions() -> dict:
    """vietnam-provinces (2025 release): {province code: {"name", "division_type", "communes": [...]}}."""
    path = _package_dir("vietnam_provinces") / "data" / "nested-divisions.json"
    nested = json.loads(path.read_text("utf-8"))
    if "districts" in nested[0]:
        raise ValueError(f"vietnam-provinces {version('vietnam-provinces')} has districts: it is not the 2025 release")
    return {
        str(p["code"]).zfill(2): {
            "name": p["name"],
            "division_type": p["division_type"],
            "communes": [
                {"code": str(w["code"]).zfill(5), "name": w["name"], "division_type": w["division_type"]}
                for w in p["wards"]
            ],
        }
        for p in nested
    }


def current_source() -> str:
    path = _package_dir("vietnam_provinces") / "__init__.py"
    data_version = next(
        (
            line.split("=")[1].strip().strip("'\"")
            for line in path.read_text("utf-8").splitlines()
            if "__data_version__ =" in line
        ),
        "?",
    )
    return f"vietnam-provinces {version('vietnam-provinces')} (data {data_version})"


def converter_source() -> str:
    return f"vietnamadminunits {version('vietnamadminunits')} (converter_2025.json, dataset.db)"


@dataclass(frozen=True)
class LegacyCommune:
    key: str
    code: str
    name: str
    division_type: str
    province_code: str
    district_code: str
    keywords: tuple[str, ...]


def _dataset_rows(query: str) -> list[tuple]:
    db = _package_dir("vietnamadminunits") / "data" / "dataset.db"
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return connection.execute(query).fetchall()
    finally:
        connection.close()


@cache
def legacy_communes() -> dict[str, LegacyCommune]:
    """vietnamadminunits' legacy (pre-July-2025) communes by their converter key province_district_ward."""
    rows = _dataset_rows(
        "SELECT provinceKey, districtKey, wardKey, wardCode, ward, wardType, provinceCode, districtCode,"
        " wardKeywords FROM admin_units_legacy WHERE wardCode IS NOT NULL"
    )
    communes = {}
    for p_key, d_key, w_key, code, name, w_type, p_code, d_code, keywords in rows:
        communes[f"{p_key}_{d_key}_{w_key}"] = LegacyCommune(
            key=f"{p_key}_{d_key}_{w_key}",
            code=code,
            name=name,
            division_type=(w_type or "").lower(),
            province_code=p_code,
            district_code=d_code,
            keywords=tuple(json.loads(keywords or "[]")),
        )
    return communes


@cache
def legacy_province_names() -> dict[str, str]:
    return dict(_dataset_rows("SELECT DISTINCT provinceCode, province FROM admin_units_legacy"))


@cache
def converter_map() -> dict:
    path = _package_dir("vietnamadminunits") / "data" / "converter_2025.json"
    return json.loads(path.read_text("utf-8"))


def load_reorganisation_file() -> dict:
    return yaml.safe_load(resources.files("cchc.units").joinpath(REORGANISATION_FILE).read_text("utf-8"))


def reorganisation(data: dict | None = None) -> Reorganisation:
    """Every unit opened and every event of the installation's province, oldest first."""
    data = data or load_reorganisation_file()
    result = Reorganisation(province=str(data["province"]), history=[str(c) for c in data["history"]])
    records_2023 = {r.code: r for code in result.history for r in province_records(code)}
    for round_ in data.get("commune_rounds", []):
        _commune_round(result, round_, records_2023)
    departments = {r.code: r for r in records_2023.values() if r.kind == DEPARTMENT}
    for entry in data.get("department_events", []):
        _department_event(result, entry, departments)
    _two_level(result, data["two_level"], records_2023, departments)
    result.events.sort(key=lambda e: (e.date, e.key))
    return result


def _commune_round(result: Reorganisation, round_: dict, records_2023: dict[str, UnitRecord]) -> None:
    """Communes of the 2023 list that are gone from the legacy list, each matched to the commune that absorbed it."""
    province, date = str(round_["province"]), round_["date"]
    legacy = {c.code: c for c in legacy_communes().values() if c.province_code == province}
    communes_2023 = {code: r for code, r in records_2023.items() if r.kind == COMMUNE}
    gone = {code: r for code, r in communes_2023.items() if code not in legacy}
    absorbed_by: dict[str, list[str]] = {}
    for code, commune in sorted(legacy.items()):
        if code not in communes_2023:
            raise ValueError(f"legacy commune {code} {commune.name} is not in the 2023 units: no rule for a new one")
        for gone_code, record in gone.items():
            if record.parent_code == commune.district_code and name_key(record.name) in commune.keywords:
                absorbed_by.setdefault(code, []).append(gone_code)
    matched = {c for codes in absorbed_by.values() for c in codes}
    if matched != set(gone) or len(matched) != sum(map(len, absorbed_by.values())):
        raise ValueError(f"2023 communes of {province} without a single successor: {sorted(set(gone) - matched)}")
    for code, absorbed in sorted(absorbed_by.items()):
        before = communes_2023[code]
        after = legacy[code]
        result.units.append(
            UnitRecord(
                code=code,
                name=after.name,
                kind=COMMUNE,
                division_type=after.division_type or before.division_type,
                parent_code=before.parent_code,
                valid_from=date,
                is_scored=True,
                source=converter_source(),
                sort_order=before.sort_order,
            )
        )
        predecessors = tuple(Link(c, communes_2023[c].name) for c in sorted([code, *absorbed]))
        result.events.append(
            EventRecord(
                key=f"{date}:{MERGE}:{code}",
                date=date,
                kind=MERGE,
                predecessors=predecessors,
                successors=(Link(code, after.name),),
                basis=round_["basis"],
                note=round_.get("note", ""),
                source=converter_source(),
            )
        )


def _department_event(result: Reorganisation, entry: dict, departments: dict[str, UnitRecord]) -> None:
    date, target = entry["date"], entry["to"]
    if entry["kind"] not in KINDS:
        raise ValueError(f"department event to {target['code']}: unknown kind {entry['kind']!r}")
    unknown = [c for c in entry["from"] if c not in departments]
    if unknown:
        raise ValueError(f"department event to {target['code']}: unknown predecessors {unknown}")
    known = departments.get(target["code"])
    record = UnitRecord(
        code=target["code"],
        name=target["name"],
        kind=DEPARTMENT,
        division_type=target["type"],
        parent_code=departments[entry["from"][0]].parent_code,
        valid_from=date,
        is_scored=bool(target.get("scored", True)),
        source="cchc reorganisation-lam-dong.yaml",
        sort_order=known.sort_order if known else departments[entry["from"][0]].sort_order,
    )
    result.units.append(record)
    for code in entry["from"]:
        departments.pop(code, None)
    departments[record.code] = record
    result.events.append(
        EventRecord(
            key=f"{date}:{entry['kind']}:{target['code']}",
            date=date,
            kind=entry["kind"],
            predecessors=tuple(Link(c, _dept_name(c, result, date)) for c in entry["from"]),
            successors=(Link(record.code, record.name),),
            basis=entry["basis"],
            note=entry.get("note", ""),
            source="cchc reorganisation-lam-dong.yaml",
        )
    )


def _dept_name(code: str, result: Reorganisation, before: dt.date) -> str:
    earlier = [u for u in result.units if u.code == code and u.valid_from < before]
    if earlier:
        return earlier[-1].name
    return next((r.name for r in province_records(result.history[0]) if r.code == code), code)


def _two_level(
    result: Reorganisation, spec: dict, records_2023: dict[str, UnitRecord], departments: dict[str, UnitRecord]
) -> None:
    """1 July 2025: the merged province, its departments, no districts, communes from the conversion map."""
    date, code = spec["date"], result.province
    current = current_divisions().get(code)
    if current is None:
        raise ValueError(f"province {code} is not in {current_source()}")
    names = legacy_province_names()
    result.units.append(
        UnitRecord(
            code, spec["province"]["name"], PROVINCE, current["division_type"], None, date, False, current_source(), 0
        )
    )
    result.events.append(
        EventRecord(
            key=f"{date}:{MERGE}:{code}",
            date=date,
            kind=MERGE,
            predecessors=tuple(Link(c, names.get(c, c)) for c in spec["province"]["from"]),
            successors=(Link(code, spec["province"]["name"]),),
            basis=spec["province"]["basis"],
            source=current_source(),
        )
    )
    # Departments: each new agency succeeds the agency of the same code, if the installation had one.
    dept_spec = spec["departments"]
    for order, dept in enumerate(dept_spec["units"], start=1):
        record = UnitRecord(
            dept["code"],
            dept["name"],
            DEPARTMENT,
            dept["type"],
            code,
            date,
            bool(dept["scored"]),
            "cchc reorganisation-lam-dong.yaml",
            order,
        )
        result.units.append(record)
        before = departments.pop(dept["code"], None)
        result.events.append(
            EventRecord(
                key=f"{date}:department:{dept['code']}",
                date=date,
                kind=MERGE if before else NEW,
                predecessors=(Link(before.code, before.name),) if before else (),
                successors=(Link(record.code, record.name),),
                basis=dept_spec["basis"],
                note=dept_spec.get("note", ""),
                source="cchc reorganisation-lam-dong.yaml",
            )
        )
    for left in sorted(departments):
        result.events.append(
            EventRecord(
                key=f"{date}:{DISSOLVED}:{left}",
                date=date,
                kind=DISSOLVED,
                predecessors=(Link(left, departments[left].name),),
                successors=(),
                basis=dept_spec["basis"],
                source="cchc reorganisation-lam-dong.yaml",
            )
        )
    for district in sorted((r for r in records_2023.values() if r.kind == DISTRICT), key=lambda r: r.code):
        result.events.append(
            EventRecord(
                key=f"{date}:{DISSOLVED}:{district.code}",
                date=date,
                kind=DISSOLVED,
                predecessors=(Link(district.code, district.name),),
                successors=(),
                basis=spec["districts"]["basis"],
                source=current_source(),
            )
        )
    _communes_2025(result, spec["communes"], current, date)


def _communes_2025(result: Reorganisation, spec: dict, current: dict, date: dt.date) -> None:
    converter = converter_map()
    province_key = next(
        (k for k, olds in converter["DICT_PROVINCE"].items() if name_key(k) == name_key("tinh" + current["name"])),
        None,
    )
    if province_key is None:
        raise ValueError(f"{converter_source()}: no conversion map for {current['name']}")
    whole = converter["DICT_PROVINCE_WARD_NO_DIVIDED"][province_key]
    divided = converter["DICT_PROVINCE_WARD_DIVIDED"].get(province_key, {})
    legacy = legacy_communes()
    by_key = {name_key(c["name"]): c for c in current["communes"]}
    if len(by_key) != len(current["communes"]):
        raise ValueError(f"{current_source()}: two communes of {current['name']} share a name")
    new_keys = set(whole) | {w["newWardKey"] for parts in divided.values() for w in parts}
    unmatched = sorted(k for k in new_keys if k not in by_key)
    if unmatched or len(new_keys) != len(by_key):
        raise ValueError(f"{converter_source()} and {current_source()} disagree on the communes: {unmatched}")
    source = f"{current_source()}; {converter_source()}"
    for order, commune in enumerate(current["communes"], start=1):
        result.units.append(
            UnitRecord(
                commune["code"],
                commune["name"],
                COMMUNE,
                commune["division_type"],
                result.province,
                date,
                True,
                source,
                order,
            )
        )
    for new_key, old_keys in sorted(whole.items(), key=lambda kv: by_key[kv[0]]["code"]):
        new = by_key[new_key]
        olds = sorted((legacy[k] for k in old_keys), key=lambda c: c.code)
        if not olds:
            continue
        kind = MERGE if len(olds) > 1 else RENAME if name_key(olds[0].name) != name_key(new["name"]) else TRANSFER
        result.events.append(
            EventRecord(
                key=f"{date}:commune:{new['code']}",
                date=date,
                kind=kind,
                predecessors=tuple(Link(c.code, c.name) for c in olds),
                successors=(Link(new["code"], new["name"]),),
                basis=spec["basis"],
                source=source,
            )
        )
    for old_key, parts in sorted(divided.items(), key=lambda kv: legacy[kv[0]].code):
        old = legacy[old_key]
        successors = tuple(
            sorted(
                (
                    Link(
                        by_key[p["newWardKey"]]["code"],
                        by_key[p["newWardKey"]]["name"],
                        None,
                        bool(p["isDefaultNewWard"]),
                    )
                    for p in parts
                ),
                key=lambda link: link.code,
            )
        )
        if sum(link.is_default for link in successors) != 1:
            raise ValueError(f"{converter_source()}: {old.name} is divided without one default successor")
        result.events.append(
            EventRecord(
                key=f"{date}:{SPLIT}:{old.code}",
                date=date,
                kind=SPLIT,
                predecessors=(Link(old.code, old.name),),
                successors=successors,
                basis=spec["basis"],
                note="the conversion map gives no shares: the declared default successor takes the figures",
                source=source,
            )
        )
