import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, parsers, status, viewsets
from rest_framework.response import Response

from cchc.core.api.serializers import JobSerializer
from cchc.core.models import Job
from cchc.dossiers.api.serializers import (
    DossierSerializer,
    ImportRequestSerializer,
    ProcedureSerializer,
)
from cchc.dossiers.jobs import start_import
from cchc.dossiers.models import Dossier, Procedure


class ProcedureViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Procedure.objects.all()
    serializer_class = ProcedureSerializer
    filterset_fields = [
        "sector_name",
        "online_level",
        "has_fee",
        "internal",
        "at_province",
        "at_district",
        "at_commune",
    ]
    lookup_field = "code"
    lookup_value_regex = "[^/]+"


class DossierFilterSet(django_filters.FilterSet):
    unit = django_filters.CharFilter(field_name="unit__code")
    procedure = django_filters.CharFilter(field_name="procedure__code")
    accepted_from = django_filters.DateFilter(field_name="accepted_at", lookup_expr="date__gte")
    accepted_to = django_filters.DateFilter(field_name="accepted_at", lookup_expr="date__lte")

    class Meta:
        model = Dossier
        fields = ["unit", "procedure", "status", "channel", "accepted_from", "accepted_to"]


class DossierViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Dossier.objects.select_related("procedure", "unit").order_by("-accepted_at", "code")
    serializer_class = DossierSerializer
    filterset_class = DossierFilterSet
    lookup_field = "code"
    lookup_value_regex = "[^/]+"


class ImportViewSet(mixins.CreateModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """POST a file to import it as a job; GET /api/imports/{id}/ for its progress and result."""

    serializer_class = JobSerializer
    required_action = "import_dossiers"
    parser_classes = [parsers.MultiPartParser]

    queryset = Job.objects.filter(kind__startswith="import_")  # the author's own (and administrators'): Job's rule

    @extend_schema(request=ImportRequestSerializer, responses={202: JobSerializer})
    def create(self, request, *args, **kwargs):
        given = ImportRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        job = start_import(given.validated_data["file"], given.validated_data["kind"], request.user)
        job.refresh_from_db()
        return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


def register(router) -> None:
    """Add this app's API routes to the project's router."""
    router.register("procedures", ProcedureViewSet)
    router.register("dossiers", DossierViewSet)
    router.register("imports", ImportViewSet, basename="import")
