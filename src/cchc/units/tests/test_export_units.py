import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def export(*args) -> str:
    out = StringIO()
    call_command("export_units", *args, stdout=out)
    return out.getvalue()


def test_export_units_prints_the_contract_for_a_2023_date(plan_2023):
    rows = json.loads(export("--date", "2023-06-30", "--format", "json"))
    assert len(rows) == 155
    assert all(set(row) == {"code", "name", "kind", "parent"} for row in rows)
    by_code = {row["code"]: row for row in rows}
    assert by_code["60"] == {"code": "60", "name": "Tỉnh Bình Thuận", "kind": "province", "parent": None}
    assert by_code["593"] == {"code": "593", "name": "Thành phố Phan Thiết", "kind": "district", "parent": "60"}
    assert by_code["22915"] == {"code": "22915", "name": "Phường Mũi Né", "kind": "commune", "parent": "593"}
    assert by_code["SNV"]["kind"] == "department" and by_code["SNV"]["parent"] == "60"
    assert sum(row["kind"] == "commune" for row in rows) == 124


def test_before_the_data_set_starts_there_is_nothing_to_export(plan_2023):
    assert json.loads(export("--date", "2020-06-30")) == []


def test_a_malformed_date_is_refused_with_the_option_named(plan_2023):
    with pytest.raises(CommandError, match="--date: '30/06/2023' is not a date"):
        export("--date", "30/06/2023")


def test_csv_export_has_a_header_and_one_row_per_unit(plan_2023):
    lines = export("--date", "2023-06-30", "--format", "csv").splitlines()
    assert lines[0] == "code,name,kind,parent"
    assert len(lines) == 156
