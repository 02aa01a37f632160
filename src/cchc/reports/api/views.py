"""API of the periodic reports: scoped like the pages, validated and moved on by the same workflow."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from cchc.accounts import access
from cchc.reports import services
from cchc.reports.api import serializers
from cchc.reports.models import Report, ReportPeriod
from cchc.review.states import Action, TransitionError


class ReportPeriodViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = ReportPeriod.objects.all()
    serializer_class = serializers.ReportPeriodSerializer
    filterset_fields = ["year", "kind"]


class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Reports the account may see (another unit's draft is a 404). PATCH writes the sections and figures while the
    report is with its unit (draft or returned) and only by that unit's editing accounts; the figures are checked
    as on the page (400 with messages by field)."""

    serializer_class = serializers.ReportSerializer
    filterset_fields = {
        "period__year": ["exact"],
        "period__kind": ["exact"],
        "status": ["exact"],
        "unit__code": ["exact"],
    }
    http_method_names = ["get", "patch", "post", "head", "options"]

    def get_queryset(self):
        return self.base_queryset().order_by("period", "unit__kind", "unit__sort_order")

    @staticmethod
    def base_queryset():
        return Report.objects.select_related(
            "unit", "period", "submitted_by", "reviewed_by", "prepared_by"
        ).prefetch_related("figures")

    def fresh(self, report):
        return Response(self.get_serializer(self.base_queryset().get(pk=report.pk)).data)

    def partial_update(self, request, *args, **kwargs):
        report = self.get_object()
        if not services.may_edit(request.user, report):
            raise PermissionDenied("This report cannot be changed by you in its present state.")
        serializer = self.get_serializer(report, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        narrative = {name: data[name] for name in services.NARRATIVE_FIELDS if name in data}
        figures = None
        if "figures" in data:
            # A PATCH sends the figures it changes; the others stay as they are.
            figures = dict(services.figure_values(report))
            figures.update(data["figures"])
        try:
            services.save(request.user, report, narrative, figures)
        except services.ReportInvalid as exc:
            return Response({"figures": exc.errors}, status=status.HTTP_400_BAD_REQUEST)
        response = self.fresh(report)
        # Saved as a draft; the cross-checks still failing stop the hand-over and the submission.
        response.data["checks"] = services.check_warnings(report)
        return response

    def update(self, request, *args, **kwargs):
        if not kwargs.get("partial"):
            return Response(status=status.HTTP_405_METHOD_NOT_ALLOWED)
        return super().update(request, *args, **kwargs)

    def act(self, request, name: str):
        report = self.get_object()
        comment = serializers.CommentSerializer(data=request.data)
        comment.is_valid(raise_exception=True)
        text = comment.validated_data["comment"].strip()
        if name == Action.RETURN and not text and access.may(request.user, "review", report.unit):
            return Response({"comment": [_("Say what must be corrected: a return needs a comment.")]}, status=400)
        try:
            if name == "send":
                services.send_to_head(request.user, report)
            else:
                services.act(request.user, report, name, text)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from None
        except services.ReportInvalid as exc:
            return Response({"figures": exc.errors}, status=status.HTTP_400_BAD_REQUEST)
        except TransitionError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        return self.fresh(report)

    @extend_schema(request=None, responses=serializers.ReportSerializer)
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        """The editor hands the complete report over to the head."""
        return self.act(request, "send")

    @extend_schema(request=None, responses=serializers.ReportSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """The unit's head submits (records on time against the level's internal deadline)."""
        return self.act(request, Action.SUBMIT)

    @extend_schema(request=serializers.CommentSerializer, responses=serializers.ReportSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """The reviewer accepts: the report is locked."""
        return self.act(request, Action.ACCEPT)

    @extend_schema(request=serializers.CommentSerializer, responses=serializers.ReportSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        """The reviewer returns the report with a comment (required)."""
        return self.act(request, Action.RETURN)


def register(router) -> None:
    """Add this app's API routes to the project's router."""
    router.register("reports", ReportViewSet, basename="report")
    router.register("report-periods", ReportPeriodViewSet, basename="report-period")
