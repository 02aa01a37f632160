from rest_framework import viewsets

from cchc.units.api.serializers import UnitSerializer
from cchc.units.filters import UnitFilterSet
from cchc.units.models import Unit


class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Unit.objects.select_related("parent")
    serializer_class = UnitSerializer
    filterset_class = UnitFilterSet


def register(router) -> None:
    """Add this app's API routes to the project's router."""
    router.register("units", UnitViewSet)
