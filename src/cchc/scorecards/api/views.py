"""GET /api/scorecards/?year=&kind=[&district=]: the peer comparison of the scorecard page, ranked."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from cchc.core import clock
from cchc.scorecards.api.serializers import card_data
from cchc.scorecards.queries import PEER_KINDS, build_cards, default_year, peers
from cchc.units.models import UnitKind


class ScorecardViewSet(viewsets.ViewSet):
    """Scorecards of the departments, the districts or one district's communes for a year (any logged-in
    account: aggregate figures only)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("year", int, description="plan year (default: the current plan's)"),
            OpenApiParameter("kind", str, enum=list(PEER_KINDS), description="peers compared (default: department)"),
            OpenApiParameter("district", str, description="district code, required with kind=commune"),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def list(self, request):
        params = request.query_params
        year = params.get("year") or str(default_year())
        if not year.isdigit() or not 2000 <= int(year) <= 2100:
            raise ValidationError({"year": f"not a year: {year!r}"})
        year = int(year)
        kind = params.get("kind") or UnitKind.DEPARTMENT
        if kind not in PEER_KINDS:
            raise ValidationError({"kind": f"must be one of {', '.join(PEER_KINDS)}"})
        district = None
        if kind == UnitKind.COMMUNE:
            code = params.get("district", "")
            district = next((d for d in peers(UnitKind.DISTRICT, year) if d.code == code), None)
            if district is None:
                raise ValidationError({"district": f"the communes of which district? unknown code {code!r}"})
        cards = build_cards(peers(kind, year, district), year, clock.today())
        cards.sort(key=lambda c: (c.rank is None, c.rank or 0, c.code))
        return Response({"year": year, "kind": kind, "results": [card_data(c) for c in cards]})


def register(router) -> None:
    """Add this app's API routes to the project's router."""
    router.register("scorecards", ScorecardViewSet, basename="scorecard")
