"""`cchc export_plan` prints the contract, and what it prints matches the seed plan row by row."""

import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

ALL_LEVELS = ["P", "D", "C", "province"]


def export_2023() -> dict:
    out = StringIO()
    call_command("export_plan", "--year", "2023", "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def table_rows(plan_md: str) -> list[list[str]]:
    """Rows of the 'Every quantitative target' table of plan-2023.md."""
    rows = []
    for line in plan_md.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 6 and re.fullmatch(r"\d\.\d[a-z]?", cells[0]):
            rows.append(cells)
    return rows


def expected_thresholds(code: str, threshold: str, levels: str) -> dict[str, tuple[str, float, str]]:
    level_list = {"province": ["province"], "all": ALL_LEVELS}.get(levels) or [x.strip() for x in levels.split(",")]
    if code == "7.1":  # "before 31/01/2023": every department and district, i.e. 100% of them
        return {level: (">=", 100.0, "percent") for level in level_list}
    if threshold.startswith("qualitative"):
        return {level: ("=", 1.0, "boolean") for level in level_list}
    unit = "percent_reduction" if "fewer" in threshold else "percent"
    parts = re.findall(r"(\d+)%((?:\s*(?:and\s*)?[PDC]\b)*)", threshold)
    result = {}
    for value, named in parts:
        for level in re.findall(r"[PDC]", named) or level_list:
            result[level] = (">=", float(value), unit)
    return result


def expected_deadline(text: str) -> str:
    if m := re.search(r"(\d\d)/(\d\d)/(\d{4})", text):
        return f"{m[3]}-{m[2]}-{m[1]}"
    final = text.split("by")[1] if "by" in text else text
    return re.search(r"20\d\d", final)[0] + "-12-31"


def test_export_has_the_contract_shape(plan_2023):
    data = export_2023()
    assert data["plan"]["year"] == 2023 and data["plan"]["province"] == "60"
    assert [a["number"] for a in data["areas"]] == [1, 2, 3, 4, 5, 6, 7]
    target = next(t for t in data["targets"] if t["code"] == "2.1")
    assert {"code", "area", "name", "thresholds", "deadline", "baseline_year"} <= set(target)
    assert target["thresholds"] == [
        {"level": "P", "op": ">=", "value": 70.0, "unit": "percent"},
        {"level": "D", "op": ">=", "value": 70.0, "unit": "percent"},
        {"level": "C", "op": ">=", "value": 60.0, "unit": "percent"},
    ]
    task = data["tasks"][0]
    assert {"code", "area", "text", "agencies", "monitor", "due", "recurring"} <= set(task)
    assert task["monitor"] == "STP" and task["due"] == "2023-12-31" and isinstance(task["recurring"], bool)


def test_every_target_and_threshold_of_plan_2023_md_is_exported(plan_2023, shared_dir):
    rows = table_rows((shared_dir / "domain" / "plan-2023.md").read_text("utf-8"))
    assert len(rows) == 27
    exported = {t["code"]: t for t in export_2023()["targets"]}
    assert set(exported) == {row[0] for row in rows}
    for code, area, _name, threshold, levels, deadline in rows:
        target = exported[code]
        assert target["area"] == int(area), code
        got = {t["level"]: (t["op"], t["value"], t["unit"]) for t in target["thresholds"]}
        assert got == expected_thresholds(code, threshold, levels), code
        assert target["deadline"] == expected_deadline(deadline), code
        assert target["baseline_year"] == (2021 if "baseline 2021" in deadline else None), code


def test_every_task_is_the_seed_text(plan_2023, shared_dir):
    seed = next((shared_dir / "seed").glob("*.txt")).read_text("utf-8")
    flat_seed = " ".join(seed.split())
    tasks = export_2023()["tasks"]
    assert len(tasks) == 48
    for task in tasks:
        assert " ".join(task["text"].split()) in flat_seed, task["code"]
    per_area = [sum(t["area"] == n for t in tasks) for n in range(1, 8)]
    assert per_area == [4, 14, 7, 6, 3, 8, 6]


def test_unknown_year_is_a_clear_error(plan_2023):
    with pytest.raises(CommandError, match="--year: no plan for 2031"):
        call_command("export_plan", "--year", "2031")
