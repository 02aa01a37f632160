import django_filters
from rest_framework import viewsets

from cchc.plans.api import serializers
from cchc.plans.filters import TargetFilterSet
from cchc.plans.models import TASK_STATUS_CHOICES, Area, Plan, Target, Task


class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Plan.objects.select_related("province").prefetch_related("legal_bases")
    serializer_class = serializers.PlanSerializer
    filterset_fields = ["year", "status"]


class AreaViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Area.objects.select_related("plan", "monitor")
    serializer_class = serializers.AreaSerializer
    filterset_fields = {"plan__year": ["exact"], "number": ["exact"]}


class TargetViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Target.objects.select_related("plan", "area").prefetch_related("thresholds").order_by("plan", "order")
    serializer_class = serializers.TargetSerializer
    filterset_class = TargetFilterSet


class TaskApiFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(field_name="plan__year")
    area = django_filters.NumberFilter(field_name="area__number")
    agency = django_filters.CharFilter(field_name="agencies__code", distinct=True)
    status = django_filters.ChoiceFilter(choices=TASK_STATUS_CHOICES, method="filter_status")

    class Meta:
        model = Task
        fields = ["year", "area", "agency", "status", "recurring"]

    def filter_status(self, queryset, name, value):
        return queryset.with_status(value)


class TaskViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = (
        Task.objects.select_related("plan", "area", "monitor").prefetch_related("agencies").order_by("plan", "order")
    )
    serializer_class = serializers.TaskSerializer
    filterset_class = TaskApiFilterSet


def register(router) -> None:
    """Add this app's API routes to the project's router."""
    router.register("plans", PlanViewSet)
    router.register("areas", AreaViewSet)
    router.register("targets", TargetViewSet)
    router.register("tasks", TaskViewSet)
