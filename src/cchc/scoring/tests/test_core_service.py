"""The self-assessment → appraisal → explanation → final workflow through the service layer, with permissions."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from cchc.scoring import index, services, surveys
from cchc.scoring.models import Score
from cchc.scoring.tests.core_helpers import (
    DUE,
    fill_and_submit,
    make_set,
    on_time_dossiers,
    pdf,
    run_to_final,
    survey_csv,
    unit,
)
from cchc.scoring.workflow import ScoringError, State


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked as written (the English msgids), whatever the site's default language."""
    with translation.override("en"):
        yield


@pytest.fixture
def district(plan_2023, make_account):
    return {
        "set": make_set(),
        "unit": unit("593"),
        "editor": make_account("593", "editor"),
        "head": make_account("593", "head"),
        "council": make_account("SNV", "administrator"),
    }


def test_district_sheet_goes_to_final_with_the_index_worked_by_hand(district):
    """By hand (see core_helpers.run_to_final): A.1 self 4, appraised 3.5; A.2 6; B.1 does not apply (its 5 points
    leave the maximum: 20 − 5 = 15); B.2 computed from 1.234/1.341 = 92,0% on time → 1 point (≥ 90%); B.3 survey
    2.25; deductions 1 + 1 = 2 capped at 1.5. Index = (3.5 + 6 + 1 + 2.25 − 1.5) / 15 × 100 = 11.25 / 15 × 100
    = 75.00 (band Khá); area A 9.5/10 = 95.00, area B 3.25/5 = 65.00."""
    on_time_dossiers(district["unit"], 1234, 1341)
    assessment = run_to_final(
        district["set"], district["unit"], district["editor"], district["head"], district["council"]
    )
    assert assessment.status == State.FINAL
    finals = dict(assessment.scores.values_list("criterion__code", "final_score"))
    assert finals["A.1"] == D("3.5") and finals["B.1"] is None and finals["B.2"] == D(1) and finals["B.3"] == D("2.25")
    b2 = assessment.scores.get(criterion__code="B.2")
    assert b2.source == "computed"
    assert b2.computed_figure == "Tỷ lệ hồ sơ đúng hạn 2023: 92,0% (1.234/1.341)"
    result = services.index_of(assessment, "final")
    assert index.shown(result.index) == D("75.00")
    assert index.shown(result.areas["A"].index) == D("95.00")
    assert index.shown(result.areas["B"].index) == D("65.00")
    a1 = assessment.scores.get(criterion__code="A.1")
    assert (a1.self_score, a1.appraised_score, a1.unit_explanation) == (D(4), D("3.5"), "Bổ sung kế hoạch")
    assert a1.evidence.count() == 1


def test_only_the_units_staff_fill_and_only_its_head_submits(district, make_account):
    assessment = services.open_assessment(district["set"], district["unit"])
    other_editor = make_account("594", "editor")
    with pytest.raises(PermissionDenied):
        services.save_self_scores(assessment, other_editor, [{"criterion": "A.1", "self_score": "1"}])
    with pytest.raises(PermissionDenied):
        services.add_evidence(assessment.scores.get(criterion__code="A.1"), other_editor, pdf())
    with pytest.raises(PermissionDenied):
        services.submit(assessment, district["editor"], today=DUE)
    with pytest.raises(PermissionDenied):
        services.submit(assessment, district["council"], today=DUE)


def test_scores_are_bounded_and_errors_name_the_row_and_field(district):
    assessment = services.open_assessment(district["set"], district["unit"])
    with pytest.raises(ScoringError) as caught:
        services.save_self_scores(
            assessment,
            district["editor"],
            [
                {"criterion": "A.1", "self_score": "4.5"},
                {"criterion": "A.2", "self_score": "-1"},
                {"criterion": "B.3", "self_score": "2"},
            ],
        )
    errors = caught.value.errors
    assert set(errors) == {"A.1", "A.2", "B.3"}
    assert "maximum of 4" in errors["A.1"]["self_score"]
    assert "negative" in errors["A.2"]["self_score"]
    assert "survey" in errors["B.3"]["self_score"]
    assert not Score.objects.filter(assessment=assessment, self_score__isnull=False).exists()  # nothing half-saved


def test_submission_needs_every_row_and_evidence_or_an_explanation(district):
    assessment = services.open_assessment(district["set"], district["unit"])
    services.save_self_scores(assessment, district["editor"], [{"criterion": "A.1", "self_score": "4"}])
    with pytest.raises(ScoringError) as caught:
        services.submit(assessment, district["head"], today=DUE)
    assert caught.value.errors["A.1"] == {"evidence": "Attach evidence or explain why there is none."}
    assert "self_score" in caught.value.errors["A.2"]
    assert "TR.1" not in caught.value.errors  # deductions the unit does not declare count as none


def test_submission_after_the_sets_deadline_is_refused(district):
    assessment = services.open_assessment(district["set"], district["unit"])
    with pytest.raises(ScoringError, match="due on 10/12/2023"):
        services.submit(assessment, district["head"], today=DUE + dt.timedelta(days=1))
    assessment.refresh_from_db()
    assert assessment.status == State.DRAFT


def test_appraisal_change_needs_a_note_and_the_unit_explains_once(district):
    on_time_dossiers(district["unit"], 90, 100)
    assessment = services.open_assessment(district["set"], district["unit"])
    services.save_self_scores(
        assessment,
        district["editor"],
        [
            {"criterion": "A.1", "self_score": "4", "explanation_missing_evidence": "x"},
            {"criterion": "A.2", "self_score": "6", "explanation_missing_evidence": "x"},
            {"criterion": "B.1", "self_score": "5", "explanation_missing_evidence": "x"},
        ],
    )
    services.submit(assessment, district["head"], today=DUE)
    with pytest.raises(ScoringError) as caught:
        services.appraise(assessment, district["council"], [{"criterion": "A.1", "appraised_score": "3"}])
    assert "appraisal_note" in caught.value.errors["A.1"]
    services.appraise(
        assessment, district["council"], [{"criterion": "A.1", "appraised_score": "3", "appraisal_note": "Thiếu"}]
    )
    # accepted rows take the self-score
    assert assessment.scores.get(criterion__code="B.1").appraised_score == D(5)
    with pytest.raises(PermissionDenied):
        services.explain(assessment, district["council"], [{"criterion": "A.1", "unit_explanation": "?"}])
    services.explain(assessment, district["editor"], [{"criterion": "A.1", "unit_explanation": "Có kế hoạch"}])
    with pytest.raises(ScoringError, match="already explained once"):
        services.explain(assessment, district["editor"], [{"criterion": "A.2", "unit_explanation": "Lần hai"}])
    # the council may still revise after the explanation, then finalise; survey B.3 is missing
    services.appraise(
        assessment, district["council"], [{"criterion": "A.1", "appraised_score": "4", "appraisal_note": "Đã bổ sung"}]
    )
    with pytest.raises(ScoringError) as caught:
        services.finalise(assessment, district["council"])
    assert caught.value.errors == {"B.3": {"appraised_score": "The survey result is missing."}}


def test_a_district_officer_does_not_appraise_a_district(district, make_account):
    assessment = services.open_assessment(district["set"], district["unit"])
    assessment.status = State.SUBMITTED
    assessment.save()
    with pytest.raises(PermissionDenied):
        services.appraise(assessment, make_account("593", "district_officer"), [])
    with pytest.raises(PermissionDenied):
        services.appraise(assessment, make_account("SNV", "leader"), [])


def test_a_communes_sheet_is_appraised_by_its_district_not_the_province(plan_2023, make_account):
    commune_set = make_set(kind="commune", self_assessment_due="2023-12-05")
    commune = unit("22915")  # Phường Mũi Né, in Phan Thiết (593)
    editor, head = make_account("22915", "editor"), make_account("22915", "head")
    province = make_account("SNV", "administrator")
    other_district = make_account("594", "district_officer")
    own_district = make_account("593", "district_officer")
    with pytest.raises(ScoringError, match="due on 05/12/2023"):
        fill_and_submit(commune_set, commune, editor, head, today=DUE)
    assessment = fill_and_submit(commune_set, commune, editor, head, today=dt.date(2023, 12, 5))
    for outsider in (province, other_district):
        with pytest.raises(PermissionDenied):
            services.appraise(assessment, outsider, [])
        assert services.allowed(outsider, assessment) == []
        assert not services.worklist(outsider).filter(pk=assessment.pk).exists()
    assert list(services.worklist(own_district)) == [assessment]
    assert services.allowed(own_district, assessment) == ["appraise"]
    surveys.import_results(2023, survey_csv(("22915", "B.3", "3")), "khao-sat.csv")
    services.appraise(assessment, own_district, [])
    services.finalise(assessment, own_district)
    assert assessment.status == State.FINAL


def test_open_assessment_refuses_a_unit_of_another_kind_and_a_draft_set(district):
    with pytest.raises(ScoringError, match="not a"):
        services.open_assessment(district["set"], unit("STP"))
    district["set"].status = "draft"
    district["set"].save()
    with pytest.raises(ScoringError, match="still a draft"):
        services.open_assessment(district["set"], district["unit"])


def test_visible_assessments_hide_drafts_from_other_units(district, make_account):
    assessment = services.open_assessment(district["set"], district["unit"])
    assert services.visible_assessments(make_account("594", "editor")).filter(pk=assessment.pk).count() == 0
    assert services.visible_assessments(district["council"]).filter(pk=assessment.pk).count() == 0
    assert services.visible_assessments(district["editor"]).filter(pk=assessment.pk).count() == 1
