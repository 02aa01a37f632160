import django_filters
from django.db.models import Count
from rest_framework import mixins, viewsets

from cchc.core import clock
from cchc.progress.api.serializers import EvidenceSerializer, TaskProgressSerializer
from cchc.progress.models import EFFECTIVE_STATUS_CHOICES, Evidence, TaskProgress


class TaskProgressFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(field_name="task__plan__year")
    task = django_filters.CharFilter(field_name="task__code")
    unit = django_filters.CharFilter(field_name="unit__code")
    status = django_filters.ChoiceFilter(
        choices=EFFECTIVE_STATUS_CHOICES, field_name="effective_status", help_text="effective status, incl. overdue"
    )

    class Meta:
        model = TaskProgress
        fields = ["year", "task", "unit", "status"]


class TaskProgressViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """Units' progress on their tasks (rows exist once the unit has opened the task); editors of the unit PATCH
    status and completed_on. `status` filters on the effective status, overdue included."""

    serializer_class = TaskProgressSerializer
    filterset_class = TaskProgressFilterSet
    queryset = TaskProgress.objects.none()
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        queryset = (
            TaskProgress.objects.select_related("task__plan", "unit", "updated_by")
            .with_effective_status(clock.today())
            .annotate(evidence_count=Count("evidence"))
            .order_by("task__plan__year", "task__order", "unit__kind", "unit__sort_order")
        )
        return queryset  # restricted to the visible rows by the API's RestrictFilterBackend; writes by May

    def perform_update(self, serializer):
        serializer.save(updated_by=self.request.user)

    def update(self, request, *args, **kwargs):
        response = super().update(request, *args, **kwargs)
        # the annotations (effective status) are recomputed from the saved row
        response.data = self.get_serializer(self.get_queryset().get(pk=kwargs["pk"])).data
        return response


class EvidenceViewSet(viewsets.ReadOnlyModelViewSet):
    """Evidence files' metadata; the file itself is fetched from download_url (checked like the page)."""

    serializer_class = EvidenceSerializer
    queryset = Evidence.objects.none()
    filterset_fields = {"progress": ["exact"], "progress__task__code": ["exact"], "progress__unit__code": ["exact"]}

    def get_queryset(self):
        queryset = Evidence.objects.select_related("progress__task__plan", "progress__unit", "uploaded_by")
        return queryset


def register(router) -> None:
    """Add this app's API routes to the project's router."""
    router.register("task-progress", TaskProgressViewSet, basename="taskprogress")
    router.register("evidence", EvidenceViewSet, basename="evidence")
