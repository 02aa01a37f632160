#!/usr/bin/env python3
"""Generate src/cchc/units/data/units-2023.json: the 2023 territorial units, once, from vietnam-provinces 0.5.0.

The project now installs vietnam-provinces 2025.10.1 (the 34 provinces of the two-level government); the 0.5.0
release (63 provinces with districts, data of 2023-05-07) cannot be installed beside it, so the 2023 units the
system was built for are kept as this shipped file. To regenerate it (the result is byte-identical):

    python3 -m venv /tmp/vp050 && /tmp/vp050/bin/pip install vietnam-provinces==0.5.0 PyYAML
    /tmp/vp050/bin/python scripts/generate_units_2023.py --province 60

The file records its source (package, version, data date, file) so every unit loaded from it can say where it
comes from. Only the provinces asked for are kept (the installation's own history).
"""

from __future__ import annotations

import argparse
import json
from importlib.metadata import version
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "cchc" / "units" / "data" / "units-2023.json"


def main() -> None:
    import vietnam_provinces

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--province", action="append", required=True, help="statistics-office code, e.g. 60")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    package_version = version("vietnam-provinces")
    if package_version != "0.5.0":
        raise SystemExit(f"needs vietnam-provinces 0.5.0 (the 2023 units), found {package_version}")
    nested = json.loads(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH.read_text("utf-8"))
    wanted = {int(code) for code in args.province}
    provinces = []
    for province in nested:
        if province["code"] not in wanted:
            continue
        provinces.append(
            {
                "code": str(province["code"]).zfill(2),
                "name": province["name"],
                "division_type": province["division_type"],
                "districts": [
                    {
                        "code": str(district["code"]).zfill(3),
                        "name": district["name"],
                        "division_type": district["division_type"],
                        "communes": [
                            {
                                "code": str(ward["code"]).zfill(5),
                                "name": ward["name"],
                                "division_type": ward["division_type"],
                            }
                            for ward in district["wards"]
                        ],
                    }
                    for district in province["districts"]
                ],
            }
        )
    missing = wanted - {int(p["code"]) for p in provinces}
    if missing:
        raise SystemExit(f"provinces not in the package: {sorted(missing)}")
    document = {
        "format": "cchc-units",
        "version": 1,
        "provenance": {
            "package": "vietnam-provinces",
            "package_version": package_version,
            "data_version": vietnam_provinces.__data_version__,
            "file": "vietnam_provinces/data/nested-divisions.json",
            "generated_by": "scripts/generate_units_2023.py",
            "note": "statistics-office (GSO) codes; names and division types as in the package",
        },
        "provinces": provinces,
    }
    args.out.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{args.out}: {sum(len(d['communes']) for p in provinces for d in p['districts'])} communes")


if __name__ == "__main__":
    main()
