"""Who sees which ranking of the PAR index: one function for the ranking page and the API."""

from __future__ import annotations

from cchc.accounts import access, scope
from cchc.core import pagecache
from cchc.scoring import criteria, index, publication
from cchc.scoring.models import CriteriaSet, SetKind


def ranking_rows(criteria_set: CriteriaSet) -> tuple[list[dict], list]:
    """The ranked final results of a set (publication.results) and its scored areas (the columns)."""
    areas = list(
        criteria_set.criteria.filter(parent__isnull=True).exclude(method__in=criteria.ADJUSTMENTS).order_by("order")
    )
    rows = publication.results(criteria_set)
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
