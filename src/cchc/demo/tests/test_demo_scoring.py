"""The demo's PAR index of 2023 (cchc.demo.scoring): sheets appraised by the right council, final scores, the
published ranking the public page shows, dates in 2023–2024, and a second run that does nothing.

Seeding the agencies' work and the scoring takes several seconds, so they are those of the package's one run of
`cchc demo` (conftest.py), inside a transaction rolled back at the end. The seeders' durations are printed (run with
-s to see them).
"""

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone

from cchc.accounts.models import Membership, Role
from cchc.core.uploads import detect_type
from cchc.demo import scoring
from cchc.public import published
from cchc.scoring import index, queries
from cchc.scoring.criteria import ADJUSTMENTS, DEDUCTION
from cchc.scoring.models import Assessment, CriteriaSet, Evidence, Score, ScoreSource, SurveyResult
from cchc.scoring.workflow import State
from cchc.units.models import Unit, UnitKind


@pytest.fixture(scope="module")
def seeded(demo_run):
    """The 2023 round as seed_demo_scoring reported it (seeded once for the package by `cchc demo`, after the
    agencies' work of 2023 it reads: conftest.py)."""
    return demo_run.scoring


@pytest.fixture
def sets(seeded, db):
    return {s.kind: s for s in CriteriaSet.objects.filter(year=2023)}


def local(moment: dt.datetime) -> dt.date:
    return timezone.localdate(moment)


def last_step(assessment, action: str):
    """The latest step `action` of the sheet's workflow (a ReviewEvent), or None."""
    found = [step for step in assessment.steps.select_related("actor").order_by("at", "pk") if step.action == action]
    return found[-1] if found else None


def test_every_sheet_of_the_published_sets_is_final_or_left_out_with_a_reason(sets):
    for kind in (UnitKind.DEPARTMENT, UnitKind.DISTRICT):
        criteria_set = sets[kind]
        assert criteria_set.is_published and local(criteria_set.published_at).strftime("%Y-%m") == "2024-03"
        assert Membership.objects.get(user=criteria_set.published_by).role == Role.ADMINISTRATOR
        scored = Unit.objects.valid_on(dt.date(2023, 12, 31)).filter(kind=kind, is_scored=True)
        assessments = Assessment.objects.filter(criteria_set=criteria_set)
        assert assessments.count() == scored.count()
        for assessment in assessments:
            if assessment.excluded:
                assert assessment.status == State.DRAFT and assessment.exclusion_reason == scoring.EXCLUSION_REASON
            else:
                assert assessment.status == State.FINAL
    excluded = Assessment.objects.filter(criteria_set__year=2023, excluded=True)
    assert excluded.count() == scoring.NOT_SUBMITTED[UnitKind.DEPARTMENT]


def test_the_public_index_ranks_departments_and_districts(sets):
    rows = queries.published_index(2023)
    assert rows
    kinds = [row["kind"] for row in rows]
    assert kinds == sorted(kinds, key=queries.KIND_ORDER.get)
    assert set(kinds) == {UnitKind.DEPARTMENT, UnitKind.DISTRICT}  # the commune set stays unpublished
    for kind in set(kinds):
        ranked = [row for row in rows if row["kind"] == kind]
        final = Assessment.objects.filter(criteria_set=sets[kind], status=State.FINAL, excluded=False).count()
        assert len(ranked) == final
        labels = {band["label"] for band in sets[kind].bands}
        for row in ranked:
            assert 0 <= row["index"] <= 100
            assert row["rank"] == 1 + sum(other["index"] > row["index"] for other in ranked)
            assert row["band"] in labels and row["band"] == index.band_for(row["index"], sets[kind].bands)
        assert ranked[0]["rank"] == 1 and [r["rank"] for r in ranked] == sorted(r["rank"] for r in ranked)
        assert len({row["index"] for row in ranked}) > 1


def test_the_communes_of_593_were_appraised_and_finalised_by_its_district_officer(sets):
    communes = Assessment.objects.filter(criteria_set=sets[UnitKind.COMMUNE]).select_related("unit__parent")
    assert (
        communes.count()
        == Unit.objects.valid_on(dt.date(2023, 12, 31))
        .filter(kind=UnitKind.COMMUNE, parent__code=scoring.COMMUNE_DISTRICT, is_scored=True)
        .count()
    )
    assert not sets[UnitKind.COMMUNE].is_published
    assert communes.filter(status=State.DRAFT).count() == scoring.NOT_SUBMITTED[UnitKind.COMMUNE]
    for assessment in communes.exclude(status=State.DRAFT):
        assert assessment.unit.parent.code == scoring.COMMUNE_DISTRICT
        assert assessment.status == State.FINAL
        for who in (last_step(assessment, "appraise").actor, last_step(assessment, "finalise").actor):
            membership = Membership.objects.get(user=who)
            assert (membership.role, membership.unit.code) == (Role.DISTRICT_OFFICER, scoring.COMMUNE_DISTRICT)
    mui_ne = communes.get(unit__code="22915")
    assert last_step(mui_ne, "appraise").actor.username == "phanthiet.huyen"


def test_departments_and_districts_were_appraised_by_the_administrator(sets):
    for assessment in Assessment.objects.filter(criteria_set__year=2023, status=State.FINAL).exclude(
        unit__kind=UnitKind.COMMUNE
    ):
        membership = Membership.objects.get(user=last_step(assessment, "appraise").actor)
        assert (membership.role, membership.unit.code) == (Role.ADMINISTRATOR, "SNV")
        assert Membership.objects.get(user=last_step(assessment, "submit").actor).role == Role.HEAD
        if assessment.criteria_set.is_published:  # publication is a step of each published sheet
            published = last_step(assessment, "publish")
            assert published.at == assessment.criteria_set.published_at
            assert Membership.objects.get(user=published.actor).role == Role.ADMINISTRATOR


def test_dates_follow_the_round(sets):
    for assessment in Assessment.objects.filter(criteria_set__year=2023).select_related("criteria_set"):
        assert local(assessment.created_at).year == 2023
        if assessment.status == State.DRAFT:
            assert last_step(assessment, "submit") is None
            continue
        submitted_at, appraised_at, finalised_at = (
            last_step(assessment, action).at for action in ("submit", "appraise", "finalise")
        )
        submitted = local(submitted_at)
        assert submitted.year == 2023 and submitted <= assessment.criteria_set.self_assessment_due
        assert assessment.on_time and submitted.month in (11, 12)
        assert last_step(assessment, "submit").on_time
        assert submitted_at < appraised_at < finalised_at
        assert local(appraised_at).year == 2024 and local(finalised_at).month == 2
    assert not Evidence.objects.exclude(uploaded_at__year=2023).exclude(uploaded_at__year=2024).exists()
    assert not SurveyResult.objects.exclude(imported_at__year=2024).exists()
    types = ContentType.objects.filter(app_label="scoring", model__in=("assessment", "score", "evidence"))
    entries = LogEntry.objects.filter(content_type__in=types)
    assert entries.exists()
    assert not entries.exclude(timestamp__year__in=(2023, 2024)).exists()
    assert not entries.filter(actor=None).exists()


def test_self_scores_are_plausible_and_complete(sets):
    scores = Score.objects.filter(assessment__criteria_set__year=2023, source=ScoreSource.SELF).select_related(
        "criterion", "assessment"
    )
    ordinary = [s for s in scores if s.criterion.method not in ADJUSTMENTS and not s.not_applicable]
    assert all(s.self_score is not None and s.self_note for s in ordinary)
    shares = [s.self_score / s.criterion.maximum for s in ordinary]
    assert sum(Decimal("0.7") <= share <= 1 for share in shares) > len(shares) * 0.8
    assert 0 < sum(s.not_applicable for s in scores) <= scoring.NOT_APPLICABLE_UNITS
    declared = {s.assessment_id for s in scores if s.criterion.method == DEDUCTION and s.self_score}
    assert len(declared) == scoring.DECLARED_DEDUCTIONS
    for score in scores:
        if score.self_score and score.criterion.method != DEDUCTION:
            assert score.explanation_missing_evidence or score.evidence.exists(), score
    assert scores.exclude(explanation_missing_evidence="").exists()


def test_evidence_is_a_small_valid_pdf(seeded, db, settings):
    settings.MEDIA_ROOT = seeded.media
    evidence = list(Evidence.objects.filter(score__assessment__criteria_set__year=2023))
    assert len(evidence) == seeded.summary["evidence"] > 50
    for item in evidence[:20]:
        with item.file.open("rb") as handle:
            assert detect_type(handle) == "pdf"
            content = handle.read()
        assert content.startswith(b"%PDF-1.4") and item.kind == "pdf" and item.size == len(content)
        assert item.original_name.endswith(".pdf") and len(item.sha256) == 64


def test_the_council_lowered_some_rows_with_notes_and_accepted_one_explanation(sets):
    scores = Score.objects.filter(assessment__criteria_set__year=2023, source=ScoreSource.SELF)
    lowered = scores.filter(final_score__isnull=False, self_score__isnull=False).exclude(appraisal_note="")
    changed = [s for s in lowered if s.final_score < s.self_score]
    assert changed and all(s.appraisal_note for s in changed)
    assert all(
        s.final_score == (s.self_score if s.self_score is not None else 0)
        for s in scores.filter(assessment__status=State.FINAL, appraisal_note="", not_applicable=False).exclude(
            criterion__method__in=ADJUSTMENTS
        )
    )
    explained = Assessment.objects.get(criteria_set__year=2023, status=State.FINAL, steps__action="explain")
    assert explained.unit.code == scoring.EXPLAINING_UNIT
    row = explained.scores.exclude(unit_explanation="").get()
    assert row.final_score == row.self_score and row.appraisal_note == scoring.EXPLANATION_ACCEPTED
    assert row.evidence.filter(uploaded_at__year=2024).exists()
    explained_at, appraised_at, finalised_at = (
        last_step(explained, action).at for action in ("explain", "appraise", "finalise")
    )
    assert explained_at < appraised_at < finalised_at  # the council weighed it


def test_surveys_and_computed_rows_are_filled(sets):
    surveyed = Unit.objects.valid_on(dt.date(2023, 12, 31)).filter(is_scored=True, kind__in=list(sets)).count()
    assert SurveyResult.objects.values("unit").distinct().count() == surveyed
    final = Score.objects.filter(assessment__status=State.FINAL)
    assert not final.filter(source=ScoreSource.SURVEY, final_score__isnull=True).exists()
    plan_row = final.get(assessment__unit__code="STP", criterion__source_key="agencyplan.on_time")
    assert plan_row.computed_figure.startswith("Kế hoạch CCHC năm 2023")


def test_a_second_run_changes_nothing(seeded, db):
    models = (Assessment, Score, Evidence, SurveyResult, LogEntry, CriteriaSet)
    before = [model.objects.count() for model in models] + [get_user_model().objects.count()]
    published = list(CriteriaSet.objects.values_list("published_at", flat=True))
    output = StringIO()
    assert scoring.seed_demo_scoring(stdout=output) is None
    call_command("seed_demo_scoring", "--seed", "7", stdout=output)
    after = [model.objects.count() for model in models] + [get_user_model().objects.count()]
    assert after == before and list(CriteriaSet.objects.values_list("published_at", flat=True)) == published
    assert "already present" in output.getvalue()


def test_the_run_reports_its_progress_and_the_top_three(seeded):
    assert "PAR index 2023, departments:" in seeded.output and "Survey results 2023" in seeded.output
    assert "Top 3 departments (published):" in seeded.output and "Top 3 districts (published):" in seeded.output
    assert len(seeded.summary["top"][UnitKind.DEPARTMENT]) == 3
    assert seeded.summary["published"] == [UnitKind.DEPARTMENT, UnitKind.DISTRICT]
    print(f"seed_demo_scoring took {seeded.seconds:.1f} s")


def test_the_public_page_has_a_par_table(sets):
    rows = published.par_index(2023)
    assert rows and {row["kind"] for row in rows} == {UnitKind.DEPARTMENT, UnitKind.DISTRICT}
