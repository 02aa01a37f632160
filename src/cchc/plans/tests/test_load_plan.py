"""`cchc load_plan` loads a valid file idempotently and writes nothing when it rejects one."""

from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from cchc.plans.loading import shipped_plan_path
from cchc.plans.models import Area, LegalBasis, Plan, Target, Task, Threshold


def snapshot():
    return [list(model.objects.order_by("pk").values()) for model in (Plan, LegalBasis, Area, Target, Threshold, Task)]


def write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def shipped() -> dict:
    return yaml.safe_load(shipped_plan_path(2023).read_text("utf-8"))


def test_reloading_the_shipped_plan_changes_nothing(plan_2023):
    before = snapshot()
    out = StringIO()
    call_command("load_plan", str(shipped_plan_path(2023)), stdout=out)
    assert "Updated plan 2023" in out.getvalue() and "27 targets, 48 tasks" in out.getvalue()
    after = snapshot()
    # updated_at moves; everything else, primary keys included, stays.
    for rows in (before, after):
        for row in rows[0]:
            row.pop("updated_at")
    assert after == before


def test_a_rejected_file_writes_nothing_even_over_an_existing_plan(plan_2023, tmp_path):
    data = shipped()
    data["targets"][0]["name"] = "changed"  # a valid change…
    data["tasks"][0]["agencies"] = ["NOPE"]  # …in a file that is rejected
    before = snapshot()
    err = StringIO()
    with pytest.raises(CommandError, match="rejected with 1 error"):
        call_command("load_plan", str(write(tmp_path, data)), stderr=err)
    assert "tasks[0] (code \"T1.1\").agencies[0]: unknown agency code 'NOPE'" in err.getvalue()
    assert snapshot() == before


def test_a_rejected_file_into_an_empty_plan_table_leaves_it_empty(plan_2023, tmp_path):
    Plan.objects.all().delete()
    data = shipped()
    data["targets"][5]["thresholds"][0]["value"] = -5
    with pytest.raises(CommandError):
        call_command("load_plan", str(write(tmp_path, data)), stderr=StringIO())
    assert Plan.objects.count() == Target.objects.count() == Task.objects.count() == 0


def test_a_changed_file_updates_matched_entries_and_drops_removed_ones(plan_2023, tmp_path):
    data = shipped()
    data["targets"][0]["name"] = "Tên mới"
    data["tasks"] = data["tasks"][:-1]
    target_pk = Target.objects.get(plan=plan_2023, code="1.1").pk
    call_command("load_plan", str(write(tmp_path, data)), stdout=StringIO())
    assert Target.objects.get(pk=target_pk).name == "Tên mới"
    assert not Task.objects.filter(plan=plan_2023, code="T7.6").exists()


def test_a_missing_file_is_a_clear_error(plan_2023, tmp_path):
    with pytest.raises(CommandError, match="cannot read the file"):
        call_command("load_plan", str(tmp_path / "missing.yaml"))


def test_groups_expand_to_the_scored_units(plan_2023):
    task = Task.objects.get(plan=plan_2023, code="T1.1")
    codes = set(task.agencies.values_list("code", flat=True))
    assert len(codes) == 29  # 19 scored departments + 10 districts
    assert "TTHCC" not in codes and "593" in codes
    assert set(Task.objects.get(plan=plan_2023, code="T6.8").agencies.values_list("kind", flat=True)) == {
        "department",
        "district",
    }
