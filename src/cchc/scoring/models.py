"""The yearly PAR index of departments, districts and communes: criteria sets, assessments, scores, evidence.

Data
- CriteriaSet (year, kind ∈ department/district/commune, status draft/active, bands, self_assessment_due,
  published_at/by): the criteria of one year for one kind of unit, loaded from YAML/XLSX (`criteria.py`).
- Criterion: a tree (area → criterion → sub-criterion) with a maximum and a method on each leaf:
  self_assessed | survey | computed | bonus | deduction. Groups have method "" (their maximum is the sum of their
  children's). Bonus/deduction nodes may carry a cap (a deduction must). Computed leaves have a source_key
  (`computed.SOURCES`) and a mapping (thresholds or linear) from the figure to points.
- Assessment (set, unit): one per unit and set, a `cchc.review` Reviewable: its `status` follows `workflow.py`,
  and each step (submit, appraise, explain, finalise, publish) is a ReviewEvent with its actor and moment:
  draft → submitted (head, by set.self_assessment_due) → appraised (council; the unit sees the draft appraisal)
  → explained (the unit answers once) → final (council; locked: saving the assessment, a score or evidence raises
  workflow.LockedError). The council: administrator for departments/districts, the district's district_officer
  for its communes (`scope.can_review`). `excluded` leaves a unit out of the published ranking.
- Score (assessment, leaf criterion): self_score, self_note, not_applicable, explanation_missing_evidence,
  appraised_score, appraisal_note, unit_explanation, final_score, source (self/survey/computed), computed_figure.
- Evidence (score, file …): checked with cchc.core.uploads.validate_evidence; downloaded through a scoped view.
- SurveyResult (criterion, unit, value, imported_from): what Sở Nội vụ imported (`surveys.py`).

Service (`services.py`, each checks permission with `cchc.accounts.scope` and the workflow; raises PermissionDenied
or workflow.ScoringError with a translated message; all in a transaction):
  open_assessment(criteria_set, unit) -> Assessment            (creates Score rows for every leaf; idempotent)
  save_self_scores(assessment, user, rows) -> list[Score]       rows: [{"criterion": code, "self_score": Decimal|None,
                                                                 "self_note": str, "not_applicable": bool,
                                                                 "explanation_missing_evidence": str}]
  add_evidence(score, user, uploaded_file) -> Evidence
  submit(assessment, user, today=None) -> Assessment
  appraise(assessment, user, rows) -> list[Score]              rows: [{"criterion": code, "appraised_score": …,
                                                                 "appraisal_note": str}]
  explain(assessment, user, rows) -> list[Score]               rows: [{"criterion": code, "unit_explanation": str}]
  finalise(assessment, user) -> Assessment
  publish(criteria_set, user, excluded_unit_ids=()) -> CriteriaSet
  Reading: set_for(year, kind), sheet(assessment) -> rows, scores_of(assessment), index_of(assessment, stage) ->
  index.Result, allowed(user, assessment) -> action names, is_council(user, unit), visible_assessments(user, set),
  worklist(user, year); queries.results(set, stage="final"|"current") -> ranked rows,
  queries.published_index(year); exports.annex_docx(set) / exports.results_xlsx(set) -> bytes.

URL names the pages provide (used by get_absolute_url): "scoring:sheet" (year, unit code) and
"scoring:evidence" (evidence pk, a scoped download).
"""

from __future__ import annotations

import contextlib
from contextvars import ContextVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cchc.core import audit
from cchc.core.models import UploadedFile
from cchc.core.uploads import stored_name
from cchc.restriction import Follows, RestrictedManager, Shared, UnitOwned
from cchc.review.models import Reviewable
from cchc.scoring import criteria
from cchc.scoring.workflow import TRANSITIONS, LockedError, State

SCORED_KINDS = ("department", "district", "commune")


class SetKind(models.TextChoices):
    DEPARTMENT = "department", _("Provincial department")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")


class SetStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("criteria set", "Draft")
    ACTIVE = "active", pgettext_lazy("criteria set", "Active")


class Method(models.TextChoices):
    GROUP = criteria.GROUP, _("Group (sum of its parts)")
    SELF_ASSESSED = criteria.SELF_ASSESSED, _("Self-assessed with evidence")
    SURVEY = criteria.SURVEY, _("From a survey")
    COMPUTED = criteria.COMPUTED, _("Computed from the system's data")
    BONUS = criteria.BONUS, _("Bonus")
    DEDUCTION = criteria.DEDUCTION, _("Deduction")


class AssessmentStatus(models.TextChoices):
    DRAFT = State.DRAFT, pgettext_lazy("assessment", "Draft")
    SUBMITTED = State.SUBMITTED, pgettext_lazy("assessment", "Submitted")
    APPRAISED = State.APPRAISED, pgettext_lazy("assessment", "Appraised (draft)")
    EXPLAINED = State.EXPLAINED, pgettext_lazy("assessment", "Explained by the unit")
    FINAL = State.FINAL, pgettext_lazy("assessment", "Final")


class ScoreSource(models.TextChoices):
    SELF = "self", _("Self-assessed")
    SURVEY = "survey", _("Survey")
    COMPUTED = "computed", _("Computed")


DEFAULT_SOURCE_NOTE = "Defaults to be replaced by the province's decision"

POINTS = {"max_digits": 7, "decimal_places": 2}


class CriteriaSet(models.Model):
    access_rule = Shared()
    year = models.PositiveIntegerField(_("year"))
    kind = models.CharField(_("kind of unit"), max_length=20, choices=SetKind.choices)
    name = models.CharField(_("name"), max_length=300)
    status = models.CharField(_("status"), max_length=10, choices=SetStatus.choices, default=SetStatus.DRAFT)
    source_note = models.TextField(_("source"), blank=True, default=DEFAULT_SOURCE_NOTE)
    bands = models.JSONField(
        _("bands"), default=list, help_text=_("ordered list of {label, lower}, highest lower bound first")
    )
    self_assessment_due = models.DateField(_("self-assessment due"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")
        ordering = ["-year", "kind"]
        constraints = [models.UniqueConstraint(fields=["year", "kind"], name="scoring_set_year_kind_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Criterion(models.Model):
    access_rule = Shared()
    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("criteria set"), on_delete=models.CASCADE, related_name="criteria"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    code = models.CharField(_("code"), max_length=30)
    title = models.TextField(_("title"))
    guidance = models.TextField(_("guidance"), blank=True)
    maximum = models.DecimalField(_("maximum"), **POINTS)
    method = models.CharField(_("method"), max_length=15, choices=Method.choices, blank=True, default=criteria.GROUP)
    cap = models.DecimalField(
        _("cap"), null=True, blank=True, help_text=_("most points a bonus adds or a deduction takes"), **POINTS
    )
    source_key = models.CharField(_("computed from"), max_length=60, blank=True)
    mapping = models.JSONField(_("figure to points"), null=True, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    depth = models.PositiveSmallIntegerField(_("depth"), default=0)
    # Derived from the tree when the set is loaded (sets.py), so a sheet needs no walk up the tree.
    is_leaf = models.BooleanField(_("sub-criterion"), default=True)
    area_code = models.CharField(_("area"), max_length=30, blank=True)
    adjustment_code = models.CharField(
        _("bonus/deduction group"), max_length=30, blank=True, help_text=_("its topmost bonus or deduction node")
    )

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["criteria_set", "order"]
        constraints = [models.UniqueConstraint(fields=["criteria_set", "code"], name="scoring_criterion_code_unique")]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class Assessment(Reviewable):
    """A unit's self-assessment on a set, moved through the appraisal workflow (workflow.py) by recorded steps."""

    access_rule = UnitOwned("unit", state_field="status")
    transitions = TRANSITIONS
    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("criteria set"), on_delete=models.PROTECT, related_name="assessments"
    )
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=12, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    # Decided by the first submission (a late one is refused, so a submitted sheet is on time; the column stays
    # for sheets of sets whose deadline changes). Each step's who and when is its ReviewEvent.
    on_time = models.BooleanField(_("on time"), null=True, blank=True)
    # Its workflow steps, oldest first (ReviewEvent rows; cchc.review.services.history gives the same list).
    steps = GenericRelation("review.ReviewEvent", related_query_name="assessment")
    excluded = models.BooleanField(_("left out of the ranking"), default=False)
    exclusion_reason = models.TextField(_("why left out"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["criteria_set", "unit__sort_order", "unit__code"]
        constraints = [models.UniqueConstraint(fields=["criteria_set", "unit"], name="scoring_assessment_unique")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.criteria_set}"

    def save(self, *args, **kwargs):
        if getattr(self, "_stored_status", None) == State.FINAL:
            raise LockedError(str(_("This assessment is final and locked.")))
        super().save(*args, **kwargs)
        self._stored_status = self.status

    def get_absolute_url(self) -> str:
        return reverse("scoring:sheet", args=[self.criteria_set.year, self.unit.code])

    def delete(self, *args, **kwargs):
        if self.status == State.FINAL:
            raise LockedError(str(_("This assessment is final and locked.")))
        return super().delete(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._stored_status = instance.__dict__.get("status")
        return instance

    @property
    def is_locked(self) -> bool:
        return self.status == State.FINAL

    def due_date(self):
        return self.criteria_set.self_assessment_due


# Sheets whose row the running service holds locked for update, having seen it is not final (`held_open`).
_held_open: ContextVar[frozenset[int]] = ContextVar("held_open", default=frozenset())


@contextlib.contextmanager
def held_open(assessment: Assessment):
    """While the caller holds the sheet's row locked for update (select_for_update in its transaction) and has seen
    it is not final, its scores and evidence are saved without reading its state again for each row."""
    token = _held_open.set(_held_open.get() | {assessment.pk})
    try:
        yield
    finally:
        _held_open.reset(token)


def _refuse_if_locked(assessment: Assessment) -> None:
    if assessment.pk in _held_open.get():
        return  # locked for update and seen open by the service that saves it (held_open)
    # Read the state from the database: an in-memory object may be stale when another request finalised it.
    if Assessment.objects.filter(pk=assessment.pk, status=State.FINAL).exists():
        raise LockedError(str(_("This assessment is final and locked; its scores cannot change.")))


class Score(models.Model):
    access_rule = Follows("assessment")
    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="+")
    self_score = models.DecimalField(_("self-score"), null=True, blank=True, **POINTS)
    self_note = models.TextField(_("note"), blank=True)
    not_applicable = models.BooleanField(_("does not apply"), default=False)
    explanation_missing_evidence = models.TextField(_("explanation where there is no evidence"), blank=True)
    appraised_score = models.DecimalField(_("appraised score"), null=True, blank=True, **POINTS)
    appraisal_note = models.TextField(_("appraisal note"), blank=True)
    unit_explanation = models.TextField(_("unit's explanation"), blank=True)
    final_score = models.DecimalField(_("final score"), null=True, blank=True, **POINTS)
    source = models.CharField(_("source"), max_length=10, choices=ScoreSource.choices, default=ScoreSource.SELF)
    computed_figure = models.TextField(_("figure used"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["assessment", "criterion__order"]
        constraints = [models.UniqueConstraint(fields=["assessment", "criterion"], name="scoring_score_unique")]

    def __str__(self) -> str:
        return f"{self.criterion.code} · {self.assessment.unit}"

    def save(self, *args, **kwargs):
        if self.assessment_id:
            _refuse_if_locked(self.assessment)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _refuse_if_locked(self.assessment)
        return super().delete(*args, **kwargs)

    @property
    def current_score(self):
        """The most advanced score so far: final, else appraised, else the self-score."""
        for value in (self.final_score, self.appraised_score, self.self_score):
            if value is not None:
                return value
        return None


def evidence_path(instance: Evidence, filename: str) -> str:
    return stored_name(f"scoring/{timezone.now():%Y}", instance.kind)


class Evidence(UploadedFile):
    access_rule = Follows("score")
    score = models.ForeignKey(Score, verbose_name=_("score"), on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["uploaded_at", "pk"]

    def save(self, *args, **kwargs):
        _refuse_if_locked(self.score.assessment)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("scoring:evidence", args=[self.pk])

    def delete(self, *args, **kwargs):
        _refuse_if_locked(self.score.assessment)
        return super().delete(*args, **kwargs)


class SurveyResult(models.Model):
    access_rule = UnitOwned("unit")
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="survey_results"
    )
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("value"), **POINTS)
    imported_from = models.CharField(_("imported from"), max_length=255, blank=True)
    imported_at = models.DateTimeField(_("imported"), default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("imported by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("survey result")
        verbose_name_plural = _("survey results")
        ordering = ["criterion__order", "unit__code"]
        constraints = [models.UniqueConstraint(fields=["criterion", "unit"], name="scoring_survey_unique")]

    def __str__(self) -> str:
        return f"{self.criterion.code} · {self.unit}: {self.value}"


audit.register(CriteriaSet)
audit.register(Criterion)
audit.register(Assessment)
audit.register(Score)
audit.register(Evidence)
audit.register(SurveyResult)
