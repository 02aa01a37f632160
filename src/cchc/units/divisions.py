"""The 2023 units of the province as plain records, from the vietnam-provinces package and our data file.

No Django here: the loader in `loading.py` writes these records to the database.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from importlib import resources

import vietnam_provinces
import yaml

PROVINCE = "province"
DEPARTMENT = "department"
DISTRICT = "district"
COMMUNE = "commune"

# Statistics-office codes have a fixed width per level (tỉnh 2, huyện 3, xã 5 digits).
CODE_WIDTH = {PROVINCE: 2, DISTRICT: 3, COMMUNE: 5}


def package_data_version() -> str:
    """Which release of the administrative-division data the territorial units come from."""
    from importlib.metadata import version

    return f"vietnam-provinces {version('vietnam-provinces')} (data {vietnam_provinces.__data_version__})"


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
    divisions = json.loads(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH.read_text("utf-8"))
    matches = [p for p in divisions if gso_code(PROVINCE, p["code"]) == province_code]
    if not matches:
        raise ValueError(f"province {province_code} is not in {package_data_version()}")
    province = matches[0]
    source = package_data_version()
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
        district_code = gso_code(DISTRICT, district["code"])
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
        for w_order, ward in enumerate(district["wards"], start=1):
            records.append(
                UnitRecord(
                    code=gso_code(COMMUNE, ward["code"]),
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
