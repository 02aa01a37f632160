"""What the pages and the API do with an assessment: each step checks who acts (cchc.accounts.scope) and what the
state allows (workflow.py), then changes everything or nothing.

Errors: django.core.exceptions.PermissionDenied (403) when the account may not act for the unit;
workflow.ScoringError (with `.errors` = {criterion code: {field: message}} for row problems) when the state, the
deadline or the data do not allow it; workflow.LockedError (a ScoringError) once the assessment is final;
django.core.exceptions.ValidationError from add_evidence for a refused file.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cchc.accounts import access, scope
from cchc.core import uploads
from cchc.formats import NumberError
from cchc.formats.fields import parse_localized
from cchc.review import services as review
from cchc.scoring import computed, criteria, index
from cchc.scoring.models import (
    Assessment,
    AssessmentStatus,
    CriteriaSet,
    Criterion,
    Evidence,
    Score,
    ScoreSource,
    SurveyResult,
    held_open,
)
from cchc.scoring.queries import caps_of, items_of
from cchc.scoring.workflow import Action, LockedError, ScoringError, State, next_state
from cchc.units.models import Unit, UnitKind

# The unit adds evidence while it fills its sheet, and once more with its explanation.
EVIDENCE_STATES = (State.DRAFT, State.APPRAISED)


def source_of(criterion: Criterion) -> str:
    if criterion.method == criteria.SURVEY:
        return ScoreSource.SURVEY
    if criterion.source_key:
        return ScoreSource.COMPUTED
    return ScoreSource.SELF


def _points(value, criterion: Criterion, field: str, errors: dict) -> Decimal | None:
    """A score between 0 and the criterion's maximum, or None for an empty value (errors named by field)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:  # as people write it: 0,75 (or 0.75); 1.250 is one thousand two hundred and fifty
        number = parse_localized(value)
    except (NumberError, InvalidOperation):
        errors.setdefault(criterion.code, {})[field] = _("Enter a number.")
        return None
    if not number.is_finite() or number < 0:
        errors.setdefault(criterion.code, {})[field] = _("The score cannot be negative.")
        return None
    if number > criterion.maximum:
        errors.setdefault(criterion.code, {})[field] = _("The score cannot exceed the maximum of %(maximum)s.") % {
            "maximum": criterion.maximum.normalize()
        }
        return None
    if number != number.quantize(Decimal("0.01")):
        errors.setdefault(criterion.code, {})[field] = _("Use at most two decimals.")
        return None
    return number


def _raise_if(errors: dict, message: str) -> None:
    if errors:
        details = "; ".join(f"{code}: {', '.join(fields.values())}" for code, fields in sorted(errors.items()))
        raise ScoringError(f"{message} {details}", errors)


def _locked_for_update(assessment: Assessment) -> Assessment:
    current = Assessment.objects.select_for_update().select_related("criteria_set", "unit").get(pk=assessment.pk)
    if current.status == State.FINAL:
        raise LockedError(_("This assessment is final and locked; nothing in it can change."))
    return current


def _rows_by_code(assessment: Assessment, rows: list[dict]) -> list[tuple[Score, dict]]:
    scores = {s.criterion.code: s for s in assessment.scores.select_related("criterion")}
    found, errors = [], {}
    for row in rows:
        code = str(row.get("criterion") or "")
        if code not in scores:
            errors.setdefault(code or "?", {})["criterion"] = _("This sub-criterion is not on the sheet.")
            continue
        found.append((scores[code], row))
    _raise_if(errors, _("The sheet could not be saved."))
    return found


def _sync(current: Assessment, assessment: Assessment) -> None:
    """Copy the saved state back onto the caller's object, so it does not keep a stale status."""
    for name in ("status", "on_time", "version"):
        setattr(assessment, name, getattr(current, name))
    assessment._stored_status = current.status


def _step(current: Assessment, assessment: Assessment, action: str, user, at: dt.datetime | None, **event) -> None:
    """Move the locked sheet on by `action` through the review engine (its status saved, the step recorded as a
    ReviewEvent with its actor and moment) and bring the caller's object up to date."""
    review.step(current, action, user, at=at or timezone.now(), **event)
    _sync(current, assessment)


# --- opening a sheet -----------------------------------------------------------------------------------------------


def set_for(year: int, kind: str) -> CriteriaSet | None:
    return CriteriaSet.objects.filter(year=year, kind=kind).first()


def check_open(criteria_set: CriteriaSet, unit: Unit) -> None:
    """Raise ScoringError, with the reason, when the unit's sheet on this set cannot be opened (yet)."""
    if criteria_set.status != "active":
        raise ScoringError(_("This criteria set is still a draft; units fill in their sheets once it is in force."))
    if unit.kind != criteria_set.kind:
        raise ScoringError(
            _("%(unit)s is not a %(kind)s; this criteria set is for that kind of unit.")
            % {"unit": unit, "kind": criteria_set.get_kind_display()}
        )


@transaction.atomic
def open_assessment(criteria_set: CriteriaSet, unit: Unit, at: dt.datetime | None = None) -> Assessment:
    """The unit's assessment on the set, with a score row for every sub-criterion (created the first time; later
    calls add rows for criteria added to a draft set). Survey values already imported are filled in, and computed
    sub-criteria are computed."""
    check_open(criteria_set, unit)
    assessment, _created = Assessment.objects.get_or_create(
        criteria_set=criteria_set, unit=unit, defaults={"created_at": at or timezone.now()}
    )
    if assessment.status == State.FINAL:
        return assessment
    have = set(assessment.scores.values_list("criterion_id", flat=True))
    missing = [c for c in criteria_set.criteria.filter(is_leaf=True).order_by("order") if c.pk not in have]
    if missing:
        surveys = dict(
            SurveyResult.objects.filter(unit=unit, criterion__in=missing).values_list("criterion_id", "value")
        )
        Score.objects.bulk_create(
            [
                Score(
                    assessment=assessment,
                    criterion=criterion,
                    source=source_of(criterion),
                    appraised_score=surveys.get(criterion.pk),
                )
                for criterion in missing
            ]
        )
    computed.compute_for_set(criteria_set, units=[unit], today=timezone.localdate(at) if at else None)
    return assessment


def scores_of(assessment: Assessment) -> QuerySet[Score]:
    """The sheet's rows in criteria order, with criterion and evidence loaded (three queries)."""
    return (
        assessment.scores.select_related("criterion")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.select_related("uploaded_by")))
        .order_by("criterion__order")
    )


def sheet(assessment: Assessment) -> list[dict]:
    """Every node of the set in order (areas, criteria, sub-criteria) with the unit's score on the leaves.

    Keys: criterion, depth, is_leaf, score (Score or None), evidence (list), points (current score, None when
    not applicable or unscored), maximum.
    """
    scores = {score.criterion_id: score for score in scores_of(assessment)}
    rows = []
    for criterion in assessment.criteria_set.criteria.order_by("order"):
        score = scores.get(criterion.pk)
        rows.append(
            {
                "criterion": criterion,
                "depth": criterion.depth,
                "is_leaf": criterion.is_leaf,
                "score": score,
                "evidence": list(score.evidence.all()) if score else [],
                "points": None if score is None or score.not_applicable else score.current_score,
                "maximum": criterion.maximum,
            }
        )
    return rows


def index_of(assessment: Assessment, stage: str = "current") -> index.Result:
    """The unit's index per area and overall from its current (or final) scores."""
    scores = assessment.scores.select_related("criterion")
    return index.compute(items_of(scores, stage), caps_of(assessment.criteria_set))


# --- the unit's self-assessment ------------------------------------------------------------------------------------


def _require_edit(user, assessment: Assessment) -> None:
    if not access.may(user, "change", assessment):
        raise PermissionDenied(_("Only the unit's own staff may fill in its self-assessment."))


@transaction.atomic
def save_self_scores(assessment: Assessment, user, rows: list[dict]) -> list[Score]:
    """Save self-scores, notes, not-applicable marks and explanations of missing evidence (the draft only).

    rows: [{"criterion": code, "self_score": number or None, "self_note": str, "not_applicable": bool,
    "explanation_missing_evidence": str}]; absent keys are left as they were.
    """
    _require_edit(user, assessment)
    current = _locked_for_update(assessment)
    next_state(current.status, Action.FILL)
    errors: dict = {}
    changed = []
    for score, row in _rows_by_code(current, rows):
        criterion = score.criterion
        if score.source != ScoreSource.SELF and row.get("self_score") not in (None, ""):
            errors.setdefault(criterion.code, {})["self_score"] = _(
                "This sub-criterion is scored from a survey or the system's data, not by the unit."
            )
            continue
        if "not_applicable" in row:
            score.not_applicable = bool(row["not_applicable"])
        if "self_score" in row and score.source == ScoreSource.SELF:
            score.self_score = _points(row["self_score"], criterion, "self_score", errors)
        if score.not_applicable:
            score.self_score = None
        for name in ("self_note", "explanation_missing_evidence"):
            if name in row:
                setattr(score, name, (row[name] or "").strip())
        changed.append(score)
    _raise_if(errors, _("The sheet could not be saved."))
    with held_open(current):  # locked for update above, and not final
        for score in changed:
            score.save()
    return changed


@transaction.atomic
def add_evidence(score: Score, user, uploaded, at: dt.datetime | None = None) -> Evidence:
    """Attach a file to a sub-criterion (while the sheet is a draft, or with the unit's one explanation)."""
    assessment = score.assessment
    _require_edit(user, assessment)
    current = _locked_for_update(assessment)
    if current.status not in EVIDENCE_STATES:
        raise ScoringError(
            _("Evidence is added while the sheet is a draft, or with the unit's explanation of the appraisal.")
        )
    kind = uploads.validate_evidence(uploaded)
    evidence = Evidence(score=score, uploaded_at=at or timezone.now())
    with held_open(current):  # locked for update above, and not final
        evidence.attach(uploaded, kind, user)
    return evidence


@transaction.atomic
def submit(assessment: Assessment, user, today: dt.date | None = None, at: dt.datetime | None = None) -> Assessment:
    """The head submits the sheet by the set's deadline: every self-assessed sub-criterion is scored or marked not
    applicable (bonuses and deductions left empty count as none), and every score above zero except a declared
    deduction has evidence or an explanation of why there is none."""
    if not access.may(user, "submit", assessment):
        raise PermissionDenied(_("Only the unit's head submits its self-assessment."))
    current = _locked_for_update(assessment)
    next_state(current.status, Action.SUBMIT)
    at = at or timezone.now()
    today = today or timezone.localdate(at)
    due = current.criteria_set.self_assessment_due
    if due is not None and today > due:
        raise ScoringError(
            _("The self-assessment was due on %(due)s; ask the appraisal council to extend the deadline.")
            % {"due": date_format(due, "d/m/Y")}
        )
    errors: dict = {}
    for score in scores_of(current).filter(source=ScoreSource.SELF):
        code = score.criterion.code
        if score.not_applicable:
            continue
        method = score.criterion.method
        if score.self_score is None and method not in criteria.ADJUSTMENTS:
            errors.setdefault(code, {})["self_score"] = _("Give a score or mark it as not applicable.")
        elif (
            score.self_score
            and method != criteria.DEDUCTION  # points the unit declares against itself need no proof
            and not score.evidence.all()
            and not score.explanation_missing_evidence
        ):
            errors.setdefault(code, {})["evidence"] = _("Attach evidence or explain why there is none.")
    _raise_if(errors, _("The self-assessment is not complete."))
    current.on_time = True  # a late submission is refused above
    _step(current, assessment, Action.SUBMIT, user, at, on_time=True)
    return current


# --- the council's appraisal, the unit's explanation, the final scores -------------------------------------------


def is_council(user, unit: Unit) -> bool:
    """The appraisal council of the unit: its district's officers for a commune of a district (not the province),
    the province administrator for departments, districts and communes directly under the province."""
    if unit.kind == UnitKind.COMMUNE and unit.parent is not None and unit.parent.kind == UnitKind.DISTRICT:
        return unit.pk in scope.reviewed_unit_ids(user)
    return access.may(user, "review", unit)


def _require_council(user, assessment: Assessment) -> None:
    if not is_council(user, assessment.unit):
        raise PermissionDenied(
            _("Only the appraisal council (Sở Nội vụ; the district for its communes) appraises this sheet.")
        )


@transaction.atomic
def appraise(assessment: Assessment, user, rows: list[dict], at: dt.datetime | None = None) -> list[Score]:
    """Set appraised scores with notes. The first appraisal takes every self-score not otherwise set as accepted;
    changing a score needs a note saying why.

    rows: [{"criterion": code, "appraised_score": number or None, "appraisal_note": str}]
    """
    _require_council(user, assessment)
    current = _locked_for_update(assessment)
    next_state(current.status, Action.APPRAISE)
    errors: dict = {}
    changed = []
    first = current.status == State.SUBMITTED
    given = {score.pk: row for score, row in _rows_by_code(current, rows)}
    for score in current.scores.select_related("criterion"):
        row = given.get(score.pk)
        if row is None:
            if first and score.appraised_score is None and score.source == ScoreSource.SELF:
                score.appraised_score = score.self_score
                changed.append(score)
            continue
        if "appraisal_note" in row:
            score.appraisal_note = (row["appraisal_note"] or "").strip()
        if "appraised_score" in row:
            score.appraised_score = _points(row["appraised_score"], score.criterion, "appraised_score", errors)
        elif first and score.appraised_score is None:
            score.appraised_score = score.self_score
        if score.not_applicable:
            score.appraised_score = None
        reference = score.self_score if score.source == ScoreSource.SELF else score.appraised_score
        if (
            "appraised_score" in row
            and score.source == ScoreSource.SELF
            and score.appraised_score != reference
            and not score.appraisal_note
        ):
            errors.setdefault(score.criterion.code, {})["appraisal_note"] = _(
                "Say why the appraised score differs from the self-score."
            )
        changed.append(score)
    _raise_if(errors, _("The appraisal could not be saved."))
    with held_open(current):  # locked for update above, and not final
        for score in changed:
            score.save()
    _step(current, assessment, Action.APPRAISE, user, at)
    return changed


@transaction.atomic
def explain(assessment: Assessment, user, rows: list[dict], at: dt.datetime | None = None) -> list[Score]:
    """The unit answers the draft appraisal once: an explanation on the rows it disputes (evidence may be added
    before, with add_evidence). rows: [{"criterion": code, "unit_explanation": str}]"""
    _require_edit(user, assessment)
    current = _locked_for_update(assessment)
    next_state(current.status, Action.EXPLAIN)
    changed = []
    for score, row in _rows_by_code(current, rows):
        text = (row.get("unit_explanation") or "").strip()
        if text:
            score.unit_explanation = text
            changed.append(score)
    if not changed:
        raise ScoringError(_("Write an explanation on at least one row."))
    with held_open(current):  # locked for update above, and not final
        for score in changed:
            score.save()
    _step(current, assessment, Action.EXPLAIN, user, at)
    return changed


@transaction.atomic
def finalise(assessment: Assessment, user, at: dt.datetime | None = None) -> Assessment:
    """The council fixes the final scores (the appraised ones) and locks the sheet; survey results must be in."""
    _require_council(user, assessment)
    current = _locked_for_update(assessment)
    next_state(current.status, Action.FINALISE)
    scores = list(current.scores.select_related("criterion"))
    surveys = dict(
        SurveyResult.objects.filter(
            unit_id=current.unit_id, criterion__criteria_set=current.criteria_set_id
        ).values_list("criterion_id", "value")
    )
    errors: dict = {}
    for score in scores:
        if score.not_applicable:
            score.final_score = None
            continue
        if score.source == ScoreSource.SURVEY:
            if score.criterion_id not in surveys and score.appraised_score is None:
                errors.setdefault(score.criterion.code, {})["appraised_score"] = _("The survey result is missing.")
            score.final_score = (
                score.appraised_score if score.appraised_score is not None else surveys.get(score.criterion_id)
            )
        else:
            score.final_score = score.appraised_score if score.appraised_score is not None else score.self_score
        if score.final_score is None and score.criterion.method not in criteria.ADJUSTMENTS:
            score.final_score = Decimal(0)
    _raise_if(errors, _("The sheet cannot be finalised yet."))
    Score.objects.bulk_update(scores, ["final_score"])  # before the lock: Score.save refuses once final
    _step(current, assessment, Action.FINALISE, user, at)
    return current


@transaction.atomic
def publish(
    criteria_set: CriteriaSet, user, excluded: dict[int, str] | None = None, at: dt.datetime | None = None
) -> CriteriaSet:
    """Publish the set's final results (the province administrator): published_at/by on the set and a "publish"
    step on each of its sheets, with the reason on those left out. `excluded` = {unit id: reason} leaves units out
    of the ranking; every other assessment must be final."""
    if not access.may(user, "publish_results"):
        raise PermissionDenied(_("Only the province administrator (Sở Nội vụ) publishes the results."))
    excluded = excluded or {}
    given, criteria_set = criteria_set, CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    if criteria_set.published_at is not None:
        raise ScoringError(_("The results of this set were published already."))
    for assessment in Assessment.objects.filter(criteria_set=criteria_set, unit_id__in=list(excluded)):
        if assessment.status == State.FINAL:
            raise ScoringError(
                _("%(unit)s has final scores; a final sheet cannot be left out.") % {"unit": assessment.unit}
            )
        reason = (excluded[assessment.unit_id] or "").strip()
        if not reason:
            raise ScoringError(_("Say why %(unit)s is left out of the ranking.") % {"unit": assessment.unit})
        assessment.excluded, assessment.exclusion_reason = True, reason
        assessment.save()
    waiting = list(
        Assessment.objects.filter(criteria_set=criteria_set, excluded=False)
        .exclude(status=State.FINAL)
        .select_related("unit")
        .order_by("unit__code")
    )
    if waiting:
        raise ScoringError(
            _("These units' sheets are not final yet (finalise them or leave them out): %(units)s")
            % {"units": ", ".join(str(a.unit) for a in waiting)}
        )
    if not Assessment.objects.filter(criteria_set=criteria_set, status=State.FINAL, excluded=False).exists():
        raise ScoringError(_("There are no final results to publish."))
    criteria_set.published_at = at or timezone.now()
    criteria_set.published_by = user
    criteria_set.save()
    published = Assessment.objects.filter(Q(status=State.FINAL) | Q(excluded=True), criteria_set=criteria_set)
    for assessment in published.order_by("pk"):
        review.record(
            assessment,
            Action.PUBLISH,
            user,
            assessment.status,
            assessment.status,
            at=criteria_set.published_at,
            comment=assessment.exclusion_reason if assessment.excluded else "",
        )
    given.published_at, given.published_by = criteria_set.published_at, criteria_set.published_by
    return criteria_set


# --- the steps taken ------------------------------------------------------------------------------------------------


def timeline(assessment: Assessment) -> list:
    """Every step of the sheet's workflow (ReviewEvent rows, oldest first, actor loaded)."""
    return review.history(assessment)


def submitted_at():
    """For `.annotate(submitted_at=…)` on assessments: the moment of the latest submission."""
    return review.last_step_at(Assessment, Action.SUBMIT)


# --- lists for the pages -------------------------------------------------------------------------------------------


def visible_assessments(user, criteria_set: CriteriaSet | None = None) -> QuerySet[Assessment]:
    """Assessments the account may open (drafts only by their own unit): fetch a sheet through this for a 404."""
    queryset = Assessment.objects.select_related("criteria_set", "unit")
    if criteria_set is not None:
        queryset = queryset.filter(criteria_set=criteria_set)
    return queryset.restrict(user)


def worklist(user, year: int | None = None) -> QuerySet[Assessment]:
    """The sheets waiting for this account as appraisal council (submitted, appraised or explained)."""
    waiting = (State.SUBMITTED, State.APPRAISED, State.EXPLAINED)
    queryset = Assessment.objects.filter(status__in=waiting).select_related("criteria_set", "unit")
    if year is not None:
        queryset = queryset.filter(criteria_set__year=year)
    if scope.is_administrator(user):
        return queryset.exclude(unit__kind=UnitKind.COMMUNE).order_by(
            "criteria_set__kind", "unit__sort_order", "unit__code"
        )
    communes = scope.reviewed_unit_ids(user)
    return queryset.filter(unit_id__in=communes, unit__kind=UnitKind.COMMUNE).order_by("unit__sort_order", "unit__code")


def allowed(user, assessment: Assessment) -> list[str]:
    """The workflow actions this account may take now (for buttons): fill, submit, appraise, explain, finalise."""
    actions = []
    state = assessment.status
    unit_staff = access.may(user, "change", assessment)
    if state == State.DRAFT and unit_staff:
        actions.append(Action.FILL)
    if state == State.DRAFT and access.may(user, "submit", assessment):
        actions.append(Action.SUBMIT)
    council = is_council(user, assessment.unit)
    if state in (State.SUBMITTED, State.APPRAISED, State.EXPLAINED) and council:
        actions.append(Action.APPRAISE)
    if state == State.APPRAISED and unit_staff:
        actions.append(Action.EXPLAIN)
    if state in (State.APPRAISED, State.EXPLAINED) and council:
        actions.append(Action.FINALISE)
    return [str(action) for action in actions]


__all__ = [
    "AssessmentStatus",
    "add_evidence",
    "allowed",
    "appraise",
    "explain",
    "finalise",
    "index_of",
    "is_council",
    "open_assessment",
    "publish",
    "save_self_scores",
    "set_for",
    "sheet",
    "submit",
    "visible_assessments",
    "worklist",
]
