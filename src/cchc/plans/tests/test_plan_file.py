"""The plan file validator names the entry and the field of every problem (no database here)."""

import copy

import pytest
import yaml

from cchc.plans.loading import shipped_plan_path
from cchc.plans.plan_file import PlanFileError, read_plan_file, validate_plan
from cchc.units.divisions import province_records

UNITS = {r.code for r in province_records("60")}


@pytest.fixture
def shipped() -> dict:
    return yaml.safe_load(shipped_plan_path(2023).read_text("utf-8"))


def errors_of(data: dict) -> list[str]:
    with pytest.raises(PlanFileError) as info:
        validate_plan(data, UNITS)
    return info.value.errors


def test_the_shipped_plan_is_valid_and_complete(shipped):
    spec = validate_plan(shipped, UNITS)
    assert spec.year == 2023 and spec.province == "60"
    assert [a.number for a in spec.areas] == [1, 2, 3, 4, 5, 6, 7]
    assert len(spec.targets) == 27
    assert len(spec.tasks) == 48
    assert len(spec.legal_bases) == 5


def test_unknown_area_is_named(shipped):
    shipped["targets"][2]["area"] = 9
    assert errors_of(shipped) == ['targets[2] (code "2.1").area: unknown area 9 (areas: [1, 2, 3, 4, 5, 6, 7])']


def test_threshold_out_of_range_is_named(shipped):
    shipped["targets"][2]["thresholds"][1]["value"] = 170
    assert errors_of(shipped) == [
        'targets[2] (code "2.1").thresholds[1].value: 170 is out of range 0–100 for unit percent'
    ]


def test_unknown_agency_code_is_named(shipped):
    shipped["tasks"][0]["agencies"] = ["@departments", "SXYZ"]
    shipped["areas"][0]["monitor"] = "NOPE"
    errors = errors_of(shipped)
    assert "areas[0] (code \"1\").monitor: unknown agency code 'NOPE'" in errors
    assert "tasks[0] (code \"T1.1\").agencies[1]: unknown agency code 'SXYZ'" in errors


def test_duplicate_codes_are_named(shipped):
    shipped["targets"][3]["code"] = "2.1"
    shipped["tasks"][5]["code"] = "T1.1"
    errors = errors_of(shipped)
    assert "targets[3] (code \"2.1\").code: duplicate target code '2.1'" in errors
    assert "tasks[5] (code \"T1.1\").code: duplicate code 'T1.1'" in errors


def test_bad_dates_levels_and_operators_are_named(shipped):
    shipped["targets"][0]["deadline"] = "31/12/2023"
    shipped["targets"][0]["thresholds"][0]["level"] = "X"
    shipped["targets"][1]["thresholds"][0]["op"] = ">>"
    errors = errors_of(shipped)
    assert "targets[0] (code \"1.1\").deadline: '31/12/2023' is not a date in the form YYYY-MM-DD" in errors
    assert "targets[0] (code \"1.1\").thresholds[0].level: 'X' is not one of P, D, C, province" in errors
    assert "targets[1] (code \"1.2\").thresholds[0].op: '>>' is not one of >=, <=, =" in errors


def test_every_problem_is_reported_at_once(shipped):
    broken = copy.deepcopy(shipped)
    broken["targets"][0]["area"] = 0
    broken["tasks"][1]["area"] = 0
    broken["tasks"][2].pop("text")
    assert len(errors_of(broken)) == 3


def test_unreadable_yaml_names_line_and_column():
    with pytest.raises(PlanFileError) as info:
        read_plan_file("plan:\n  year: [2023\n", UNITS)
    assert info.value.errors[0].startswith("line 3, column 1: not valid YAML/JSON")


def test_a_file_that_is_not_a_plan_is_refused():
    with pytest.raises(PlanFileError, match="format: must be 'cchc-plan'"):
        read_plan_file("format: something-else\nformat_version: 1\nplan: {year: 2023}\n", UNITS)
