"""The 2023 units of the province as plain records, from the shipped 2023 unit file and our department file.

The 2023 territorial units come from `data/units-2023.json`, generated once from the vietnam-provinces 0.5.0
package by `scripts/generate_units_2023.py` (the installed vietnam-provinces is the 2025 release); the file
carries its provenance, which every unit records as its source. No Django here: the loader in `loading.py` writes
these records to the database.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from importlib import resources

import yaml

PROVINCE = "province"
DEPARTMENT = "department"
DISTRICT = "district"
COMMUNE = "commune"

# Statistics-office codes have a fixed width per level (tỉnh 2, huyện 3, xã 5 digits).
CODE_WIDTH = {PROVINCE: 2, DISTRICT: 3, COMMUNE: 5}


def load_units_2023() -> dict:
    """The shipped 2023 unit file (format cchc-units 1) with its provenance."""
    text = resources.files("cchc.units").joinpath("data/units-2023.json").read_text("utf-8")
    document = json.loads(text)
    if document.get("format") != "cchc-units" or document.get("version") != 1:
        raise ValueError("units-2023.json: not a cchc-units version 1 file")
    return document


def package_data_version() -> str:
    """Which release of the administrative-division data the 2023 territorial units come from."""
    source = load_units_2023()["provenance"]
    return f"{source['package']} {source['package_version']} (data {source['data_version']})"


@dataclass(frozen=True)
class UnitRecord:
    code: str
    name: str
    kind: str
    division_type: str
    parent_code: str | None
    valid_from: dt.date
    is_scored: bool
    source: str
    sort_order: int


def gso_code(kind: str, number: int) -> str:
    return str(number).zfill(CODE_WIDTH[kind])


def load_department_file() -> dict:
    text = resources.files("cchc.units").joinpath("data/departments-binh-thuan.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def province_records(province_code: str = "60") -> list[UnitRecord]:
    """Province, its departments, districts and communes as valid from the data set's start date."""
    departments = load_department_file()
    if departments["province"] != province_code:
        raise ValueError(f"no department list for province {province_code}")
    valid_from = departments["valid_from"]
    document = load_units_2023()
    matches = [p for p in document["provinces"] if p["code"] == province_code]
    source = package_data_version()
    if not matches:
        raise ValueError(f"province {province_code} is not in the shipped 2023 units ({source})")
    province = matches[0]
    records = [
        UnitRecord(
            code=province_code,
            name=province["name"],
            kind=PROVINCE,
            division_type=province["division_type"],
            parent_code=None,
            valid_from=valid_from,
            is_scored=False,
            source=source,
            sort_order=0,
        )
    ]
    for order, dept in enumerate(departments["departments"], start=1):
        records.append(
            UnitRecord(
                code=dept["code"],
                name=dept["name"],
                kind=DEPARTMENT,
                division_type=dept["type"],
                parent_code=province_code,
                valid_from=valid_from,
                is_scored=bool(dept["scored"]),
                source="cchc departments-binh-thuan.yaml",
                sort_order=order,
            )
        )
    for d_order, district in enumerate(province["districts"], start=1):
        district_code = district["code"]
        records.append(
            UnitRecord(
                code=district_code,
                name=district["name"],
                kind=DISTRICT,
                division_type=district["division_type"],
                parent_code=province_code,
                valid_from=valid_from,
                is_scored=True,
                source=source,
                sort_order=d_order,
            )
        )
        for w_order, ward in enumerate(district["communes"], start=1):
            records.append(
                UnitRecord(
                    code=ward["code"],
                    name=ward["name"],
                    kind=COMMUNE,
                    division_type=ward["division_type"],
                    parent_code=district_code,
                    valid_from=valid_from,
                    is_scored=True,
                    source=source,
                    sort_order=w_order,
                )
            )
    return records
