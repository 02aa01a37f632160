"""Results of a criteria set (index per unit and area, rank, band, change on last year) and their publication.

Results are computed from the scores in a few queries for the whole set; final scores are locked, so the
published figures never change after publication.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.review import services as review
from cchc.review.states import Action
from cchc.scoring import index as arithmetic
from cchc.scoring.models import Assessment, CriteriaSet, Score
from cchc.scoring.workflow import ScoringError, State

KIND_ORDER = {"department": 0, "district": 1, "commune": 2}


def results(criteria_set: CriteriaSet, stage: str = "final", with_previous: bool = True) -> list[dict]:
    """One dict per assessed unit (excluded ones left out; with stage "final", only final sheets), ranked.

    Keys: assessment_id, unit_id, unit_code, unit_name, kind, status, points, maximum, bonus, deduction,
    index (Decimal, unrounded), shown (Decimal, 2 decimals), rank, band, areas ({area code: Decimal index or
    None}), previous_index (Decimal shown or None), delta (Decimal or None).
    """
    from cchc.scoring.service import caps_of, items_of

    assessments = Assessment.objects.filter(criteria_set=criteria_set, excluded=False).select_related("unit")
    if stage == "final":
        assessments = assessments.filter(status=State.FINAL)
    assessments = list(assessments)
    scores: dict[int, list[Score]] = {a.pk: [] for a in assessments}
    for score in Score.objects.filter(assessment__in=assessments).select_related("criterion"):
        scores[score.assessment_id].append(score)
    caps = caps_of(criteria_set)
    previous = previous_indexes(criteria_set) if with_previous else {}
    rows = []
    for assessment in assessments:
        result = arithmetic.compute(items_of(scores[assessment.pk], stage), caps)
        before = previous.get(assessment.unit.code)
        rows.append(
            {
                "assessment_id": assessment.pk,
                "unit_id": assessment.unit_id,
                "unit_code": assessment.unit.code,
                "unit_name": assessment.unit.name,
                "kind": criteria_set.kind,
                "status": assessment.status,
                "points": result.total.points,
                "maximum": result.total.maximum,
                "bonus": result.total.bonus,
                "deduction": result.total.deduction,
                "index": result.index,
                "shown": arithmetic.shown(result.index),
                "band": arithmetic.band_for(result.index, criteria_set.bands),
                "areas": {code: part.index for code, part in result.areas.items()},
                "previous_index": before,
                "delta": arithmetic.delta(arithmetic.shown(result.index), before),
            }
        )
    ranks = arithmetic.rank({row["unit_id"]: row["index"] for row in rows})
    for row in rows:
        row["rank"] = ranks.get(row["unit_id"])
    rows.sort(key=lambda row: (row["rank"] is None, row["rank"] or 0, row["unit_code"]))
    return rows


def previous_indexes(criteria_set: CriteriaSet) -> dict[str, Decimal]:
    """{unit code: shown index} of the same kind's published set of the year before (empty when none)."""
    before = CriteriaSet.objects.filter(
        year=criteria_set.year - 1, kind=criteria_set.kind, published_at__isnull=False
    ).first()
    if before is None:
        return {}
    return {row["unit_code"]: row["shown"] for row in results(before, with_previous=False)}


@transaction.atomic
def publish(criteria_set: CriteriaSet, user, excluded: dict[int, str], at: dt.datetime | None = None) -> CriteriaSet:
    """Record the publication (published_at/by on the set; a "publish" step on each of its sheets, with the reason
    on those left out). Units in `excluded` ({unit id: reason}) are left out of the ranking; every other assessment
    of the set must be final. Permission is checked by service.publish."""
    criteria_set = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
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
    return criteria_set


def published_index(year: int) -> list[dict] | None:
    """The published results of `year` for the public page, or None when nothing of that year is published.

    One dict per ranked unit, departments then districts then communes, each by rank: unit_code, unit_name,
    kind, index (float, the published value to 2 decimals), rank (within its kind), band, previous_index
    (float or None).
    """
    sets = sorted(
        CriteriaSet.objects.filter(year=year, published_at__isnull=False), key=lambda s: KIND_ORDER.get(s.kind, 9)
    )
    if not sets:
        return None
    out = []
    for criteria_set in sets:
        for row in results(criteria_set):
            out.append(
                {
                    "unit_code": row["unit_code"],
                    "unit_name": row["unit_name"],
                    "kind": row["kind"],
                    "index": float(row["shown"]) if row["shown"] is not None else None,
                    "rank": row["rank"],
                    "band": row["band"],
                    "previous_index": float(row["previous_index"]) if row["previous_index"] is not None else None,
                }
            )
    return out
