"""Criteria sets in the database and the commands: load the defaults, import, export, copy as draft."""

from io import StringIO

import pytest
import yaml
from django.core.management import CommandError, call_command

from cchc.scoring import criteria, services, sets
from cchc.scoring.models import CriteriaSet, Criterion
from cchc.scoring.tests.core_helpers import make_set, small_data, unit
from cchc.scoring.workflow import ScoringError


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_load_criteria_defaults_is_idempotent(db):
    output = run("load_criteria_defaults")
    assert output.count("Loaded") == 3
    assert set(CriteriaSet.objects.values_list("kind", flat=True)) == {"department", "district", "commune"}
    count = Criterion.objects.count()
    assert "already loaded" in run("load_criteria_defaults")
    assert Criterion.objects.count() == count
    district = CriteriaSet.objects.get(kind="district")
    assert district.status == "active" and str(district.self_assessment_due) == "2023-12-10"
    assert str(CriteriaSet.objects.get(kind="commune").self_assessment_due) == "2023-12-05"
    deduction = district.criteria.get(code="TR")
    assert deduction.cap is not None and not deduction.is_leaf
    assert district.criteria.get(code="TR.1").adjustment_code == "TR"
    assert district.criteria.get(code="3.2.1").area_code == "3"


def test_import_reports_every_error_with_its_place(db, tmp_path):
    data = small_data()
    data["criteria"][0]["maximum"] = 12
    path = tmp_path / "bo-tieu-chi.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CommandError, match=r"criteria\[1\] \(A\): maximum: 12 but its parts add up to 10"):
        run("import_criteria", str(path))
    assert not CriteriaSet.objects.exists()


def test_export_then_import_xlsx_gives_the_same_set(db, tmp_path):
    make_set()
    target = tmp_path / "set.xlsx"
    run("export_criteria", "--year", "2023", "--kind", "district", "--format", "xlsx", "--output", str(target))
    before = criteria.to_data(sets.spec_of(CriteriaSet.objects.get()))
    with pytest.raises(CommandError, match="exists already"):
        run("import_criteria", str(target))
    run("import_criteria", str(target), "--replace")
    assert criteria.to_data(sets.spec_of(CriteriaSet.objects.get())) == before


def test_a_set_in_use_is_not_replaced(plan_2023):
    criteria_set = make_set()
    services.open_assessment(criteria_set, unit("593"))
    with pytest.raises(ScoringError, match="in use"):
        sets.load(criteria.parse(small_data()), replace=True)


def test_copy_makes_next_years_sets_as_drafts(db):
    run("load_criteria_defaults")
    output = run("copy_criteria", "--from", "2023", "--to", "2024")
    assert output.count("Copied as draft") == 3
    copies = CriteriaSet.objects.filter(year=2024)
    assert {c.status for c in copies} == {"draft"}
    assert str(copies.get(kind="commune").self_assessment_due) == "2024-12-05"
    assert (
        copies.get(kind="district").criteria.count()
        == CriteriaSet.objects.get(year=2023, kind="district").criteria.count()
    )
    with pytest.raises(CommandError, match="2024 already has sets"):
        run("copy_criteria", "--from", "2023", "--to", "2024")


def test_yaml_export_to_stdout(db, capsys):
    make_set()
    call_command("export_criteria", "--year", "2023", "--kind", "district")
    data = yaml.safe_load(capsys.readouterr().out)
    assert data["criteria"][3]["code"] == "TR" and data["criteria"][3]["cap"] == 1.5
