"""What the PAR-index pages, the API, the exports and the public page read: the ranked results of a set (index per
unit and area, rank, band, change on last year), who sees which ranking, and the published index of a year.

Results are computed from the scores in a few queries for the whole set; final scores are locked, so the published
figures never change after publication.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import F, Max

from cchc.accounts import access, scope
from cchc.core import pagecache
from cchc.scoring import criteria, index
from cchc.scoring.models import Assessment, CriteriaSet, Score, SetKind
from cchc.scoring.workflow import State

KIND_ORDER = {"department": 0, "district": 1, "commune": 2}


def items_of(scores, stage: str = "current") -> list[index.Item]:
    """Index items from score rows (with criterion loaded); stage "final" or "current" (final, appraised, self)."""
    return [
        index.Item(
            code=score.criterion.code,
            area=score.criterion.area_code,
            method=score.criterion.method,
            maximum=score.criterion.maximum,
            points=score.final_score if stage == "final" else score.current_score,
            not_applicable=score.not_applicable,
            group=score.criterion.adjustment_code or None,
        )
        for score in scores
    ]


def caps_of(criteria_set: CriteriaSet) -> dict[str, Decimal | None]:
    """Caps of the bonus and deduction groups, by the code of each group's topmost node."""
    return dict(criteria_set.criteria.filter(code=F("adjustment_code")).values_list("code", "cap"))


def results(criteria_set: CriteriaSet, stage: str = "final", with_previous: bool = True) -> list[dict]:
    """One dict per assessed unit (excluded ones left out; with stage "final", only final sheets), ranked.

    Keys: assessment_id, unit_id, unit_code, unit_name, kind, status, points, maximum, bonus, deduction,
    index (Decimal, unrounded), shown (Decimal, 2 decimals), rank, band, areas ({area code: Decimal index or
    None}), previous_index (Decimal shown or None), delta (Decimal or None).
    """
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
        result = index.compute(items_of(scores[assessment.pk], stage), caps)
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
                "shown": index.shown(result.index),
                "band": index.band_for(result.index, criteria_set.bands),
                "areas": {code: part.index for code, part in result.areas.items()},
                "previous_index": before,
                "delta": index.delta(index.shown(result.index), before),
            }
        )
    ranks = index.rank({row["unit_id"]: row["index"] for row in rows})
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


def published_at(year: int) -> dt.datetime | None:
    """When the PAR index of `year` was last published (the latest publication of its sets), None before: the
    public page's data version follows it."""
    return CriteriaSet.objects.filter(year=year, published_at__isnull=False).aggregate(at=Max("published_at"))["at"]


def ranking_rows(criteria_set: CriteriaSet) -> tuple[list[dict], list]:
    """The ranked final results of a set (`results`) and its scored areas (the columns)."""
    areas = list(
        criteria_set.criteria.filter(parent__isnull=True).exclude(method__in=criteria.ADJUSTMENTS).order_by("order")
    )
    rows = results(criteria_set)
    for row in rows:
        row["area_indexes"] = [index.shown(row["areas"].get(area.code)) for area in areas]
    return rows, areas


def may_see_ranking(user, criteria_set: CriteriaSet) -> bool:
    """Published results are for every account; before publication only the province (administrator, leaders)
    and, for communes, the district that appraises them see the provisional table."""
    if criteria_set.is_published or access.may(user, "see_whole_province"):
        return True
    return criteria_set.kind == SetKind.COMMUNE and bool(scope.reviewed_unit_ids(user))


def visible_ranking(user, criteria_set: CriteriaSet) -> tuple[list[dict], list] | None:
    """The rows and areas this account may see, or None before publication for those who may not."""
    if not may_see_ranking(user, criteria_set):
        return None
    # The same for every account that may see it: computed once per data version (cchc.core.pagecache); each
    # caller gets its own copy to sort or filter.
    rows, areas = pagecache.cached("scoring:ranking", (criteria_set.pk,), lambda: ranking_rows(criteria_set))
    if not criteria_set.is_published and not access.may(user, "see_whole_province"):
        own = scope.reviewed_unit_ids(user)  # a district sees its own communes' provisional results
        rows = [row for row in rows if row["unit_id"] in own]
    return rows, areas
