"""`cchc load_units` brings the 2023 units and the dated events from the maintained packages, idempotently."""

import datetime as dt
import json
from collections import Counter
from io import StringIO

from django.core.management import call_command

from cchc.units.models import Unit, UnitEvent, UnitEventLink


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_lam_dong_on_1_january_2026_has_its_departments_and_124_communes_under_the_province(units_2026):
    rows = json.loads(run("export_units", "--date", "2026-01-01", "--province", "68", "--format", "json"))
    assert all(set(row) == {"code", "name", "kind", "parent"} for row in rows)
    assert rows[0] == {"code": "68", "name": "Tỉnh Lâm Đồng", "kind": "province", "parent": None}
    kinds = Counter(row["kind"] for row in rows)
    assert kinds == {"province": 1, "department": 15, "commune": 124}
    assert {row["parent"] for row in rows if row["kind"] != "province"} == {"68"}
    types = Counter(
        Unit.objects.valid_on(dt.date(2026, 1, 1)).filter(kind="commune").values_list("division_type", flat=True)
    )
    assert types == {"xã": 103, "phường": 20, "đặc khu": 1}
    names = {row["code"]: row["name"] for row in rows}
    assert names["SNNMT"] == "Sở Nông nghiệp và Môi trường" and "SKHDT" not in names and "STTTT" not in names


def test_loading_twice_changes_nothing(units_2026):
    count, events, links = Unit.objects.count(), UnitEvent.objects.count(), UnitEventLink.objects.count()
    output = run("load_units", "--as-of", "2026-01-01")
    assert "0 recorded, 160 already present; units: 0 opened, 0 closed" in output
    assert (Unit.objects.count(), UnitEvent.objects.count(), UnitEventLink.objects.count()) == (count, events, links)


def test_as_of_a_date_loads_only_the_events_until_then(db):
    run("load_units", "--as-of", "2025-01-01")
    assert set(UnitEvent.objects.values_list("date", flat=True)) == {dt.date(2024, 12, 1)}
    on = dt.date(2025, 1, 1)
    assert Unit.objects.valid_on(on).filter(kind="commune").count() == 121
    assert Unit.objects.valid_on(on).get(code="22951").name == "Phường Bình Hưng"
    assert not Unit.objects.valid_on(on).filter(code__in=["22939", "22942", "22948"]).exists()
    run("load_units", "--as-of", "2026-01-01")
    assert UnitEvent.objects.count() == 160


def test_the_march_2025_department_mergers_follow_decree_45(units_2026):
    on = dt.date(2025, 4, 1)
    departments = dict(Unit.objects.valid_on(on).filter(kind="department").values_list("code", "name"))
    assert len(departments) == 15
    for gone in ["SLDTBXH", "SKHDT", "SGTVT", "SNNPTNT", "STNMT", "STTTT", "BDT"]:
        assert gone not in departments
    assert departments["SDTTG"] == "Sở Dân tộc và Tôn giáo"
    event = UnitEvent.objects.get(key="2025-03-01:merge:SNV")
    assert event.codes("from") == ["SNV", "SLDTBXH"] and event.codes("to") == ["SNV"]
    assert "45/2025/NĐ-CP" in event.basis
    # The merged Sở Nội vụ is a new version of the code: 2023 work keeps pointing at the 2023 agency.
    assert Unit.objects.filter(code="SNV").count() == 3


def test_every_unit_records_where_it_comes_from(units_2026):
    communes = Unit.objects.filter(kind="commune", valid_from=dt.date(2025, 7, 1))
    assert {u.source for u in communes} == {
        "vietnam-provinces 2025.10.1 (data 2025-10-18); vietnamadminunits 1.0.4 (converter_2025.json, dataset.db)"
    }
    assert Unit.objects.get(code="22915", valid_from=dt.date(2021, 1, 1)).source.startswith("vietnam-provinces 0.5.0")
