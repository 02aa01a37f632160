"""API of the PAR index: sheets scoped like the pages and moved on by the same service; ranking; criteria sets.

A forbidden step is a 403 (so is any write to a final sheet); row problems are a 400 naming the row and field
({"scores": {"1.1": {"self_score": "…"}}}); a step the state does not allow is a 409.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from cchc.review.models import ReviewEvent
from cchc.scoring import services
from cchc.scoring.api import serializers
from cchc.scoring.models import Assessment, CriteriaSet, Criterion, Evidence, Score, SetKind
from cchc.scoring.queries import visible_ranking
from cchc.scoring.workflow import LockedError, ScoringError

SELF_FIELDS = {"self_score", "self_note", "not_applicable", "explanation_missing_evidence"}
APPRAISAL_FIELDS = {"appraised_score", "appraisal_note"}


class AssessmentFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(field_name="criteria_set__year")
    kind = django_filters.ChoiceFilter(field_name="criteria_set__kind", choices=SetKind.choices)
    unit = django_filters.CharFilter(field_name="unit__code")

    class Meta:
        model = Assessment
        fields = ["year", "kind", "unit", "status"]


def row_errors(error: ScoringError) -> dict | None:
    return getattr(error, "errors", None) or None


class AssessmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Units' PAR index sheets the account may see (another unit's draft is a 404), with every row's self,
    appraised and final score and its evidence."""

    serializer_class = serializers.AssessmentSerializer
    queryset = Assessment.objects.none()
    filterset_class = AssessmentFilterSet

    def get_queryset(self):
        scores = Score.objects.select_related("criterion").prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at", "pk"))
        )
        return (
            services.visible_assessments(self.request.user)
            .prefetch_related(
                Prefetch("scores", queryset=scores.order_by("criterion__order")),
                Prefetch("steps", queryset=ReviewEvent.objects.select_related("actor").order_by("at", "pk")),
            )
            .order_by("criteria_set__year", "criteria_set__kind", "unit__sort_order", "unit__code")
        )

    def get_object(self):
        assessment = super().get_object()
        if self.action != "retrieve" and assessment.is_locked:
            raise exceptions.PermissionDenied("This assessment is final and locked.")
        return assessment

    def fresh(self, assessment):
        return Response(self.get_serializer(self.get_queryset().get(pk=assessment.pk)).data)

    def run(self, assessment, step):
        try:
            step()
        except (DjangoPermissionDenied, LockedError) as error:
            raise exceptions.PermissionDenied(str(error)) from None
        except ScoringError as error:
            rows = row_errors(error)
            if rows:
                return Response({"detail": str(error), "scores": rows}, status=status.HTTP_400_BAD_REQUEST)
            return Response({"detail": str(error)}, status=status.HTTP_409_CONFLICT)
        return self.fresh(assessment)

    def rows(self, request, required=True) -> list[dict]:
        """The posted rows (checked only once the sheet is known not to be locked: a final sheet answers 403)."""
        kind = serializers.ScoreRowsSerializer if required else serializers.OptionalScoreRowsSerializer
        data = kind(data=request.data)
        data.is_valid(raise_exception=True)
        return [dict(row) for row in data.validated_data.get("scores", [])]

    @extend_schema(request=serializers.ScoreRowsSerializer, responses=serializers.AssessmentSerializer)
    @action(detail=True, methods=["patch"])
    def scores(self, request, pk=None):
        """Write rows: self-assessment fields (the unit's staff, while a draft) or appraisal fields (the council,
        once submitted: this saves the appraisal and shows it to the unit). Not both in one request."""
        assessment = self.get_object()
        rows = self.rows(request)
        fields = {key for row in rows for key in row if key != "criterion"}
        if fields & SELF_FIELDS and fields & APPRAISAL_FIELDS:
            raise exceptions.ValidationError({"scores": "Send self-assessment fields or appraisal fields, not both."})
        if fields - SELF_FIELDS - APPRAISAL_FIELDS:
            raise exceptions.ValidationError({"scores": "The unit's explanation is sent with the explain action."})
        if fields & APPRAISAL_FIELDS:
            return self.run(assessment, lambda: services.appraise(assessment, request.user, rows))
        return self.run(assessment, lambda: services.save_self_scores(assessment, request.user, rows))

    @extend_schema(request=serializers.EvidenceUploadSerializer, responses=serializers.AssessmentSerializer)
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def evidence(self, request, pk=None):
        """Attach an evidence file to a row (the unit's staff, while a draft or with its one explanation)."""
        assessment = self.get_object()
        upload = serializers.EvidenceUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        code = upload.validated_data["criterion"]
        score = assessment.scores.filter(criterion__code=code).first()
        if score is None:
            raise exceptions.ValidationError({"criterion": f"{code} is not a sub-criterion of this sheet."})

        def attach():
            try:
                services.add_evidence(score, request.user, upload.validated_data["file"])
            except DjangoValidationError as error:
                raise exceptions.ValidationError({"file": error.messages}) from None

        return self.run(assessment, attach)

    @extend_schema(request=None, responses=serializers.AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """The unit's head submits the self-assessment to the appraisal council (by the set's deadline)."""
        assessment = self.get_object()
        return self.run(assessment, lambda: services.submit(assessment, request.user))

    @extend_schema(request=serializers.OptionalScoreRowsSerializer, responses=serializers.AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def appraise(self, request, pk=None):
        """The council saves its appraisal (rows with appraised_score and appraisal_note; unchanged self-scores
        are accepted as they are); the unit then sees it."""
        assessment = self.get_object()
        rows = self.rows(request, required=False)
        return self.run(assessment, lambda: services.appraise(assessment, request.user, rows))

    @extend_schema(request=serializers.ScoreRowsSerializer, responses=serializers.AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def explain(self, request, pk=None):
        """The unit answers the appraisal once (rows with unit_explanation)."""
        assessment = self.get_object()
        rows = self.rows(request)
        return self.run(assessment, lambda: services.explain(assessment, request.user, rows))

    @extend_schema(request=None, responses=serializers.AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def finalise(self, request, pk=None):
        """The council fixes the final scores; the sheet is then locked."""
        assessment = self.get_object()
        return self.run(assessment, lambda: services.finalise(assessment, request.user))


class RankingViewSet(viewsets.ViewSet):
    """The ranking of a year and kind of unit: published results for every account; before publication the
    provisional table (final sheets) for the province and, for communes, their district."""

    @extend_schema(
        parameters=[
            OpenApiParameter("year", OpenApiTypes.INT, required=True),
            OpenApiParameter("kind", OpenApiTypes.STR, required=True, enum=SetKind.values),
        ],
        responses=serializers.RankingSerializer,
    )
    def list(self, request):
        year, kind = request.query_params.get("year", ""), request.query_params.get("kind", "")
        if not year.isdigit() or kind not in SetKind.values:
            raise exceptions.ValidationError(
                {"detail": "Give year (e.g. 2023) and kind (department, district, commune)."}
            )
        criteria_set = services.set_for(int(year), kind)
        found = visible_ranking(request.user, criteria_set) if criteria_set else None
        if found is None:
            raise Http404
        rows, _areas = found
        data = {
            "year": criteria_set.year,
            "kind": kind,
            "published": criteria_set.is_published,
            "published_at": criteria_set.published_at,
            "results": rows,
        }
        return Response(serializers.RankingSerializer(data).data)


class CriteriaSetViewSet(viewsets.ReadOnlyModelViewSet):
    """Criteria sets with their tree (parents before children, each with its parent's code)."""

    serializer_class = serializers.CriteriaSetSerializer
    queryset = CriteriaSet.objects.prefetch_related(
        Prefetch("criteria", queryset=Criterion.objects.select_related("parent").order_by("order"))
    ).order_by("-year", "kind")
    filterset_fields = ["year", "kind", "status"]


def register(router) -> None:
    """Add this app's API routes to the project's router."""
    router.register("scoring/assessments", AssessmentViewSet, basename="scoring-assessment")
    router.register("scoring/ranking", RankingViewSet, basename="scoring-ranking")
    router.register("scoring/sets", CriteriaSetViewSet, basename="scoring-set")
