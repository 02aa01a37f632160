"""Nobody can change a final sheet: not through the service, not through the models."""

from decimal import Decimal as D

import pytest
from django.utils import translation

from cchc.scoring import services
from cchc.scoring.models import Evidence
from cchc.scoring.tests.core_helpers import make_set, on_time_dossiers, pdf, run_to_final, unit
from cchc.scoring.workflow import LockedError


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked as written (the English msgids), whatever the site's default language."""
    with translation.override("en"):
        yield


@pytest.fixture
def final(plan_2023, make_account):
    district = unit("593")
    on_time_dossiers(district, 92, 100)
    people = {
        "editor": make_account("593", "editor"),
        "head": make_account("593", "head"),
        "council": make_account("SNV", "administrator"),
    }
    assessment = run_to_final(make_set(), district, people["editor"], people["head"], people["council"])
    return assessment, people


def test_the_service_refuses_every_step_on_a_final_sheet(final):
    assessment, people = final
    score = assessment.scores.get(criterion__code="A.2")
    with pytest.raises(LockedError):
        services.save_self_scores(assessment, people["editor"], [{"criterion": "A.2", "self_score": "1"}])
    with pytest.raises(LockedError):
        services.add_evidence(score, people["editor"], pdf())
    with pytest.raises(LockedError):
        services.appraise(
            assessment, people["council"], [{"criterion": "A.2", "appraised_score": "1", "appraisal_note": "x"}]
        )
    with pytest.raises(LockedError):
        services.explain(assessment, people["editor"], [{"criterion": "A.2", "unit_explanation": "x"}])
    with pytest.raises(LockedError):
        services.finalise(assessment, people["council"])
    assert assessment.scores.get(criterion__code="A.2").final_score == D(6)


def test_the_models_refuse_to_save_or_delete_a_locked_score_evidence_or_sheet(final):
    assessment, _people = final
    score = assessment.scores.get(criterion__code="A.1")
    score.final_score = D(4)
    with pytest.raises(LockedError):
        score.save()
    with pytest.raises(LockedError):
        score.delete()
    evidence = Evidence.objects.get(score=score)
    with pytest.raises(LockedError):
        evidence.delete()
    with pytest.raises(LockedError):
        evidence.save()
    assessment.refresh_from_db()
    assessment.excluded = True
    with pytest.raises(LockedError):
        assessment.save()
    with pytest.raises(LockedError):
        assessment.delete()
    score.refresh_from_db()
    assert score.final_score == D("3.5")
