from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cchc.core import clock
from cchc.reminders import services
from cchc.reminders.api import serializers
from cchc.reminders.models import Notice


class NoticeViewSet(viewsets.ReadOnlyModelViewSet):
    """The requesting account's own notices (another account's notice is a 404); POST …/read/ marks one read."""

    serializer_class = serializers.NoticeSerializer
    filterset_fields = ["event", "kind"]
    queryset = Notice.objects.none()  # for the schema; the real rows come from get_queryset

    def get_queryset(self):
        return Notice.objects.for_user(self.request.user).select_related("unit").order_by("-created_at", "-pk")

    @extend_schema(request=None, responses=serializers.NoticeSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notice = self.get_object()
        if notice.read_at is None:
            notice.read_at = timezone.now()
            notice.save(update_fields=["read_at"])
        return Response(self.get_serializer(notice).data)


class OwedViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """What each unit owes today: the obligations not done, of the units the account sees, by unit then deadline."""

    serializer_class = serializers.OwedItemSerializer
    pagination_class = None
    filter_backends = []

    @extend_schema(
        parameters=[OpenApiParameter("overdue", bool, description="only the obligations past their deadline")]
    )
    def list(self, request, *args, **kwargs):
        rows = [row for _unit, rows in services.owed(request.user, clock.today()) for row in rows]
        if request.query_params.get("overdue") in ("1", "true"):
            rows = [row for row in rows if row.overdue]
        return Response(self.get_serializer(rows, many=True).data)


def register(router) -> None:
    """Add this app's API routes to the project's router."""
    router.register("notices", NoticeViewSet, basename="notice")
    router.register("owed", OwedViewSet, basename="owed")
