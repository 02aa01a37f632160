"""Criteria sets as data: validation with errors that name the place and field; the shipped defaults; XLSX."""

import io
from decimal import Decimal

import pytest
import yaml
from openpyxl import load_workbook

from cchc.scoring import criteria
from cchc.scoring.criteria import CriteriaError
from cchc.scoring.tests.core_helpers import small_data


def errors_of(data) -> list[str]:
    with pytest.raises(CriteriaError) as caught:
        criteria.parse(data)
    return caught.value.errors


def test_small_set_is_valid_and_keeps_its_tree():
    spec = criteria.parse(small_data())
    assert [n.code for n in spec.roots()] == ["A", "B", "TH", "TR"]
    by_code = {n.code: n for n in spec.nodes}
    assert by_code["TR.1"].method == "deduction"  # parts of a deduction inherit its method
    assert by_code["TR"].cap == Decimal("1.5")
    assert by_code["B.2"].parent_code == "B" and by_code["B.2"].depth == 1


def test_children_must_add_up_to_the_parent():
    data = small_data()
    data["criteria"][0]["children"][1]["maximum"] = 5
    assert errors_of(data) == ["criteria[1] (A): maximum: 10 but its parts add up to 9"]


def test_bonus_and_deduction_stay_out_of_the_sum():
    data = small_data()
    data["criteria"][0]["children"].append(
        {"code": "A.9", "title": "Thưởng", "maximum": 3, "method": "bonus", "cap": 1}
    )
    criteria.parse(data)


def test_duplicate_codes_unknown_methods_and_missing_cap_are_all_reported():
    data = small_data()
    data["criteria"][1]["children"][0]["code"] = "A.1"
    data["criteria"][0]["children"][0]["method"] = "guess"
    del data["criteria"][3]["cap"]
    found = errors_of(data)
    assert any("code: 'A.1' is used twice" in e and e.startswith("criteria[2].children[1]") for e in found)
    assert any("criteria[1].children[1]" in e and "method: unknown 'guess'" in e for e in found)
    assert any(e.startswith("criteria[4] (TR): cap: a deduction needs a cap") for e in found)


def test_computed_leaf_needs_known_source_and_well_formed_mapping():
    data = small_data()
    leaf = data["criteria"][1]["children"][1]
    leaf["source"] = "dossiers.nothing"
    leaf["mapping"] = {"type": "thresholds", "steps": [{"at_least": 95, "points": 7}]}
    found = errors_of(data)
    assert any("(B.2): source: unknown 'dossiers.nothing'" in e for e in found)
    assert any("(B.2): mapping.steps[1].points: 7 is above the maximum 2" in e for e in found)
    leaf["source"] = "dossiers.on_time_rate"
    leaf["mapping"] = {"type": "linear", "from": 80, "to": 80}
    assert errors_of(data) == ["criteria[2].children[2] (B.2): mapping: linear 'from' and 'to' must differ"]


def test_a_leaf_needs_a_method_and_bands_must_descend():
    data = small_data()
    del data["criteria"][0]["children"][0]["method"]
    data["bands"] = [{"label": "Khá", "lower": 70}, {"label": "Tốt", "lower": 80}]
    found = errors_of(data)
    assert any("(A.1): method: a sub-criterion needs a method" in e for e in found)
    assert "bands[2]: lower: 80 must be below the band before it (70)" in found


@pytest.mark.parametrize("kind", ["department", "district", "commune"])
def test_shipped_default_sets_are_valid_and_shaped_like_the_national_index(kind):
    from importlib import resources

    text = (resources.files("cchc.scoring") / "data" / f"{kind}-2023.yaml").read_text(encoding="utf-8")
    spec = criteria.parse(yaml.safe_load(text))
    assert spec.year == 2023 and spec.kind == kind
    assert "sẽ được thay bằng quyết định của UBND tỉnh" in spec.source_note  # labelled as defaults
    assert len([n for n in spec.roots() if n.method == ""]) == 8  # the eight national areas
    leaves = criteria.leaves(spec)
    assert 30 <= len(leaves) <= 55
    totals = criteria.totals(spec)
    assert sum(totals.values()) == 100
    assert 20 <= totals["survey"] <= 30
    sources = {n.source_key for n in leaves if n.source_key}
    assert {"dossiers.on_time_rate", "dossiers.index766", "reports.on_time_share", "progress.done_share"} <= sources
    assert {n.method for n in spec.roots()} >= {"bonus", "deduction"}


def test_yaml_round_trip_gives_the_same_set():
    spec = criteria.parse(small_data())
    again = criteria.parse(yaml.safe_load(yaml.safe_dump(criteria.to_data(spec), allow_unicode=True)))
    assert criteria.to_data(again) == criteria.to_data(spec)


def test_xlsx_round_trip_and_row_numbers_in_errors():
    spec = criteria.parse(small_data())
    content = criteria.write_xlsx(spec)
    again = criteria.parse(criteria.read_xlsx(io.BytesIO(content)))
    assert criteria.to_data(again) == criteria.to_data(spec)

    book = load_workbook(io.BytesIO(content))
    sheet = book["criteria"]
    sheet["D3"] = 5  # A.1's maximum (row 3: A is row 2)
    sheet["E5"] = "magic"  # B's first leaf? row 5 is B; B.1 is row 6
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(CriteriaError) as caught:
        criteria.parse(criteria.read_xlsx(io.BytesIO(out.getvalue())))
    found = caught.value.errors
    assert "sheet 'criteria', row 2: maximum: 10 but its parts add up to 11" in found
    assert any(e.startswith("sheet 'criteria', row 5: method: unknown 'magic'") for e in found)


def test_xlsx_parent_must_come_first():
    spec = criteria.parse(small_data())
    book = load_workbook(io.BytesIO(criteria.write_xlsx(spec)))
    book["criteria"]["B3"] = "Z"
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(CriteriaError) as caught:
        criteria.read_xlsx(io.BytesIO(out.getvalue()))
    assert caught.value.errors == ["sheet 'criteria', row 3: parent: 'Z' is not a code on an earlier row"]
