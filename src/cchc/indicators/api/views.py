from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from cchc.indicators.api.serializers import EnteredValueSerializer, IndicatorQuerySerializer
from cchc.indicators.models import EnteredValue
from cchc.indicators.queries import indicators_document, unit_for_period
from cchc.units.models import Unit


class IndicatorsView(APIView):
    """One unit's (with its children) area-2 targets, 766 sub-indicators and 766 index for a period —
    the same document as `cchc indicators`."""

    @extend_schema(
        parameters=[OpenApiParameter("unit", str, required=True), OpenApiParameter("period", str, required=True)],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        query = IndicatorQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            unit = unit_for_period(query.validated_data["unit"], query.validated_data["period"])
        except Unit.DoesNotExist as exc:
            raise NotFound(exc.args[0]) from None
        return Response(indicators_document(unit, query.validated_data["period"]))


class EnteredValueViewSet(viewsets.ModelViewSet):
    """766 sub-indicators entered per unit and period; writing is for province administrators."""

    queryset = EnteredValue.objects.select_related("unit", "entered_by").order_by("period", "unit__code", "metric")
    serializer_class = EnteredValueSerializer
    write_action = "manage_reference_data"
    filterset_fields = {"period": ["exact"], "metric": ["exact"], "unit__code": ["exact"]}

    def perform_create(self, serializer):
        serializer.save(entered_by=self.request.user)

    def perform_update(self, serializer):
        serializer.save(entered_by=self.request.user)


def register(router) -> None:
    """Add this app's API routes to the project's router."""
    router.register("entered-values", EnteredValueViewSet)
