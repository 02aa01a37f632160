"""The export contracts across the reorganisation, and every old commune of Bình Thuận leads to its new units."""

import datetime as dt
import json
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from cchc.units.divisions import province_records
from cchc.units.lineage import successors
from cchc.units.models import Unit
from cchc.units.reorganisation import converter_map, current_divisions, legacy_communes, name_key

TODAY_2023 = Path(__file__).parent / "data"


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_2023_export_of_binh_thuan_is_byte_for_byte_as_before_the_reorganisation(plan_2023, load_units_2026):
    expected_json = (TODAY_2023 / "export-units-2023-06-30.json").read_text("utf-8")
    expected_csv = (TODAY_2023 / "export-units-2023-06-30.csv").read_text("utf-8")
    assert run("export_units", "--date", "2023-06-30", "--format", "json") == expected_json
    load_units_2026()
    args = ("export_units", "--date", "2023-06-30")
    assert run(*args, "--province", "60", "--format", "json") == expected_json
    assert run(*args, "--province", "60", "--format", "csv") == expected_csv
    # Without --province: the installation's province (Lâm Đồng, 68), which on that day was Bình Thuận.
    assert run(*args, "--format", "json") == expected_json
    assert run(*args, "--province", "68", "--format", "json") == expected_json


def test_events_export_lists_every_change_with_its_basis(units_2026):
    rows = json.loads(run("export_unit_events", "--province", "68", "--format", "json"))
    assert all(set(row) == {"date", "kind", "from", "to", "basis"} for row in rows)
    assert all(row["basis"] for row in rows)
    assert {"date": "2024-12-01", "kind": "merge", "from": ["22942", "22945", "22948"], "to": ["22945"]}.items() <= {
        **rows[0]
    }.items()
    province = next(row for row in rows if row["to"] == ["68"])
    assert province["from"] == ["60", "67", "68"] and province["date"] == "2025-07-01"
    dissolved = [row["from"][0] for row in rows if row["kind"] == "dissolved"]
    assert sorted(dissolved) == [str(code) for code in range(593, 603)]
    splits = [row for row in rows if row["kind"] == "split"]
    assert {row["from"][0] for row in splits} == {"22978", "23053"}
    # Commune codes are the statistics office's: every successor is a current unit of vietnam-provinces.
    current = {c["code"] for c in current_divisions()["68"]["communes"]}
    commune_events = [row for row in rows if row["to"] and row["to"][0].isdigit() and len(row["to"][0]) == 5]
    commune_events = [row for row in commune_events if row["date"] == "2025-07-01"]
    assert {code for row in commune_events for code in row["to"]} == current


def expected_successors() -> dict[str, set[str]]:
    """From the packages alone: each 2023 commune → the 2025 communes the conversion map names."""
    legacy = {c.code: c for c in legacy_communes().values() if c.province_code == "60"}
    by_name = {name_key(c["name"]): c["code"] for c in current_divisions()["68"]["communes"]}
    converter = converter_map()
    new_of: dict[str, set[str]] = {}
    for new_key, olds in converter["DICT_PROVINCE_WARD_NO_DIVIDED"]["tinhlamdong"].items():
        for key in olds:
            new_of.setdefault(key, set()).add(by_name[new_key])
    for key, parts in converter["DICT_PROVINCE_WARD_DIVIDED"]["tinhlamdong"].items():
        new_of.setdefault(key, set()).update(by_name[p["newWardKey"]] for p in parts)
    result = {}
    for record in province_records("60"):
        if record.kind != "commune":
            continue
        holder = legacy.get(record.code) or next(
            c for c in legacy.values() if c.district_code == record.parent_code and name_key(record.name) in c.keywords
        )
        result[record.code] = new_of[holder.key]
    return result


def test_every_2023_commune_of_binh_thuan_leads_to_the_new_units_the_conversion_map_names(units_2026):
    expected = expected_successors()
    assert len(expected) == 124
    on = dt.date(2026, 1, 1)
    codes = dict(Unit.objects.values_list("pk", "code"))
    for code, new_codes in expected.items():
        old = Unit.objects.get(code=code, valid_from=dt.date(2021, 1, 1))
        reached = successors(old, on, weighted=False)
        assert {codes[pk] for pk in reached} == new_codes, code
        # Figures go whole to one unit, or on a split to the declared default successor only.
        weighted = successors(old, on)
        assert sum(weighted.values()) == 1 and len(weighted) == 1
