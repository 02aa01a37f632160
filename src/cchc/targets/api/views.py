"""API of the entered target values: scoped like the pages, checked and moved on by the same services."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from cchc.plans.models import Target
from cchc.reports.models import ReportPeriod
from cchc.review.states import Action, TransitionError
from cchc.targets import rules, services
from cchc.targets.api import serializers
from cchc.targets.forms import error_text
from cchc.targets.models import Baseline, Survey, TargetEntry


class TargetEntryViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """Entered target values the account may see (another unit's draft is a 404). POST /open/ creates (or finds) the
    draft of a target, period and level for the responsible unit; PATCH writes the value while it is with its unit;
    submit (head), accept and return (Sở Nội vụ) move it on."""

    serializer_class = serializers.TargetEntrySerializer
    filterset_fields = {"target__plan__year": ["exact"], "target__code": ["exact"], "status": ["exact"]}
    http_method_names = ["get", "patch", "post", "head", "options"]

    def get_queryset(self):
        queryset = TargetEntry.objects.select_related("target__plan", "unit", "period").prefetch_related("evidence")
        # Restricted to the visible rows by the API's RestrictFilterBackend (cchc.accounts.access).
        return queryset.order_by("target__order", "period__data_to", "level")

    def fresh(self, entry):
        return Response(self.get_serializer(TargetEntry.objects.get(pk=entry.pk)).data)

    @extend_schema(request=serializers.OpenEntrySerializer, responses=serializers.TargetEntrySerializer)
    @action(detail=False, methods=["post"])
    def open(self, request):
        data = serializers.OpenEntrySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        target = Target.objects.filter(plan__year=values["year"], code=values["target_code"]).first()
        period = ReportPeriod.objects.filter(year=values["year"], kind=values["period_kind"]).first()
        if target is None or period is None:
            return Response({"detail": "unknown target or report period"}, status=status.HTTP_404_NOT_FOUND)
        try:
            entry = services.open_entry(request.user, target, period, values["level"])
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from None
        return self.fresh(entry)

    def partial_update(self, request, *args, **kwargs):
        entry = self.get_object()
        if not services.may_write(request.user, entry):
            raise PermissionDenied("This value cannot be changed by you in its present state.")
        serializer = self.get_serializer(entry, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        merged = {
            name: serializer.validated_data.get(name, getattr(entry, name))
            for name in ("numerator", "denominator", "percent", "basis", "qualitative")
        }
        try:
            rules.check_entry(entry.target.kind == Target.Kind.QUALITATIVE, **merged)
        except rules.EntryError as error:
            return Response({error.field: [error_text(error.message)]}, status=status.HTTP_400_BAD_REQUEST)
        serializer.save()
        return self.fresh(entry)

    def update(self, request, *args, **kwargs):
        if not kwargs.get("partial"):
            return Response(status=status.HTTP_405_METHOD_NOT_ALLOWED)
        return super().update(request, *args, **kwargs)

    def act(self, request, name: str):
        entry = self.get_object()
        comment = serializers.CommentSerializer(data=request.data)
        comment.is_valid(raise_exception=True)
        try:
            services.act(entry, name, request.user, comment.validated_data["comment"])
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from None
        except TransitionError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        return self.fresh(entry)

    @extend_schema(request=None, responses=serializers.TargetEntrySerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """The unit's head submits (the value and at least one evidence file are needed)."""
        return self.act(request, Action.SUBMIT)

    @extend_schema(request=serializers.CommentSerializer, responses=serializers.TargetEntrySerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self.act(request, Action.ACCEPT)

    @extend_schema(request=serializers.CommentSerializer, responses=serializers.TargetEntrySerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        return self.act(request, Action.RETURN)


class BaselineViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Baseline.objects.select_related("target__plan").order_by("target__order")
    serializer_class = serializers.BaselineSerializer
    filterset_fields = {"target__plan__year": ["exact"], "target__code": ["exact"]}


class SurveyViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Survey.objects.prefetch_related("results").order_by("year", "index")
    serializer_class = serializers.SurveySerializer
    filterset_fields = ["year", "index"]


def register(router) -> None:
    """Add this app's API routes to the project's router."""
    router.register("target-entries", TargetEntryViewSet, basename="target-entry")
    router.register("baselines", BaselineViewSet, basename="baseline")
    router.register("surveys", SurveyViewSet, basename="survey")
