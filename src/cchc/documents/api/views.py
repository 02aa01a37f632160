"""API of the generated documents: POST starts a generation (a job), GET follows it and gives the download link.

Only accounts that see the whole province (administrators, leaders) may use it; others get 403."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from cchc.core.api.serializers import JobSerializer
from cchc.core.models import Job
from cchc.documents import generate, queries
from cchc.reports.models import ReportPeriod


class GenerateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[k for k, _ in generate.KIND_CHOICES])
    year = serializers.IntegerField()
    period = serializers.ChoiceField(choices=["Q1", "H1", "Q3", "Y"])
    number_symbol = serializers.CharField(max_length=60, required=False)
    date = serializers.DateField(required=False)
    signer_name = serializers.CharField(max_length=120, required=False)
    signer_title = serializers.CharField(max_length=120, required=False)
    recipients = serializers.ListField(child=serializers.CharField(max_length=200), required=False)

    def validate(self, attrs):
        period = ReportPeriod.objects.filter(year=attrs["year"], kind=attrs["period"]).first()
        if period is None:
            raise serializers.ValidationError({"period": f"no {attrs['period']} report period in {attrs['year']}"})
        attrs["report_period"] = period
        return attrs


class DocumentJobSerializer(JobSerializer):
    """A job, with the links to its page and its file."""

    download = serializers.SerializerMethodField()
    page = serializers.SerializerMethodField()

    class Meta(JobSerializer.Meta):
        fields = [*JobSerializer.Meta.fields, "page", "download"]

    def get_download(self, job) -> str | None:
        if job.status != Job.Status.DONE:
            return None
        return self.context["request"].build_absolute_uri(reverse("documents:download", args=[job.pk]))

    def get_page(self, job) -> str:
        return self.context["request"].build_absolute_uri(reverse("documents:job", args=[job.pk]))


class DocumentViewSet(mixins.RetrieveModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Generation jobs of documents (newest first); POST {kind, year, period, …} starts one (202)."""

    serializer_class = DocumentJobSerializer
    required_action = "generate_documents"

    def get_queryset(self):
        return Job.objects.filter(kind__startswith=generate.JOB_KIND_PREFIX).order_by("-created_at", "-pk")

    @extend_schema(request=GenerateSerializer, responses={202: DocumentJobSerializer})
    def create(self, request):
        given = GenerateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        options = queries.Options(
            number_symbol=data.get("number_symbol") or queries.Options.number_symbol,
            date=data.get("date"),
            signer_name=data.get("signer_name"),
            signer_title=data.get("signer_title"),
            recipients=data.get("recipients"),
        )
        job = generate.start(data["kind"], data["report_period"], request.user, options)
        job.refresh_from_db()
        return Response(self.get_serializer(job).data, status=status.HTTP_202_ACCEPTED)


def register(router) -> None:
    """Add this app's API routes to the project's router."""
    router.register("documents", DocumentViewSet, basename="document")
