"""Every target declares where its value comes from, in the versioned plan file, exported and audited."""

import json
from io import StringIO

import pytest
import yaml
from auditlog.models import LogEntry
from django.core.management import call_command

from cchc.plans.loading import shipped_plan_path
from cchc.plans.models import Target
from cchc.plans.plan_file import PlanFileError, validate_plan
from cchc.units.divisions import province_records

UNITS = {r.code for r in province_records("60")}
EXPECTED = {
    "entered": {"1.1", "1.2", "2.6", "3.2", "4.1", "5.1b", "6.2"},
    "baseline": {"3.1a", "3.1b"},
    "survey": {"3.3", "3.4"},
    "agency_plans": {"7.1"},
    "reports": {"4.2", "5.1a", "6.1", "6.3", "6.4"},
    "catalogue": {"2.2a", "2.4a", "2.4b"},
    "dossiers": {"2.1", "2.2b", "2.3", "2.4c", "2.5a", "2.5b", "2.7"},
}


@pytest.fixture
def shipped() -> dict:
    return yaml.safe_load(shipped_plan_path(2023).read_text("utf-8"))


def errors_of(data) -> list[str]:
    with pytest.raises(PlanFileError) as info:
        validate_plan(data, UNITS)
    return info.value.errors


def test_every_one_of_the_27_targets_has_a_source(shipped):
    spec = validate_plan(shipped, UNITS)
    by_kind = {}
    for target in spec.targets:
        by_kind.setdefault(target.source.kind, set()).add(target.code)
    assert by_kind == EXPECTED
    entered = {t.code: t.source for t in spec.targets if t.source.kind == "entered"}
    assert entered["1.1"].responsible == "STP" and entered["1.1"].due == ("H1", "Y")
    assert entered["2.6"].responsible == "VPUBND"


def test_version_2_requires_a_source_and_names_bad_ones(shipped):
    del shipped["targets"][0]["source"]
    shipped["targets"][1]["source"] = {"kind": "guess"}
    shipped["targets"][10]["source"] = {"kind": "entered", "responsible": "NOPE"}
    errors = errors_of(shipped)
    assert 'targets[0] (code "1.1").source: is required (format version 2)' in errors
    assert "targets[1] (code \"1.2\").source.kind: 'guess' is not one of " in errors[1]
    assert "targets[10] (code \"2.5b\").source.responsible: unknown agency code 'NOPE'" in errors
    assert any("2.5b\").source.due: a target whose source is 'entered' needs the periods" in e for e in errors)


def test_a_version_1_file_loads_without_sources(shipped):
    shipped["format_version"] = 1
    for target in shipped["targets"]:
        del target["source"]
    spec = validate_plan(shipped, UNITS)
    assert {t.source.kind for t in spec.targets} == {"none"}


def test_an_entered_target_defaults_to_its_area_monitor(shipped):
    shipped["targets"][0]["source"] = {"kind": "entered", "due": ["Y"]}
    assert validate_plan(shipped, UNITS).targets[0].source.responsible == "STP"  # area 1 → Sở Tư pháp


def test_export_shows_the_source_and_a_change_is_in_the_history(plan_2023, tmp_path):
    out = StringIO()
    call_command("export_plan", year=2023, format="json", stdout=out)
    exported = {t["code"]: t["source"] for t in json.loads(out.getvalue())["targets"]}
    assert exported["1.1"] == {
        "kind": "entered",
        "responsible": "STP",
        "due": ["H1", "Y"],
        "detail": exported["1.1"]["detail"],
    }
    assert exported["7.1"]["kind"] == "agency_plans" and exported["7.1"]["responsible"] is None

    data = yaml.safe_load(shipped_plan_path(2023).read_text("utf-8"))
    data["targets"][0]["source"] = {"kind": "entered", "responsible": "SNV", "due": ["Y"]}
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    call_command("load_plan", str(path), stdout=StringIO())
    target = Target.objects.get(plan=plan_2023, code="1.1")
    assert target.responsible.code == "SNV" and target.due_list == ["Y"]
    change = LogEntry.objects.get_for_object(target).filter(action=LogEntry.Action.UPDATE).latest("timestamp")
    assert "due_periods" in change.changes_dict and "responsible" in change.changes_dict


def test_the_target_page_says_where_its_value_comes_from(plan_2023, officer_client):
    from django.urls import reverse

    html = officer_client.get(reverse("plans:target", args=[2023, "1.1"])).content.decode()
    source = html.split('id="target-source">')[1].split("</dd>")[0]
    assert "Nhập kèm tài liệu kiểm chứng" in source and "Sở Tư pháp" in source and "H1, Y" in source
    assert "/targets/?year=2023#target-1.1" in source
