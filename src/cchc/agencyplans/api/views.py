import django_filters
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cchc.agencyplans import services
from cchc.agencyplans.api.serializers import AgencyPlanSerializer, ReviewActionSerializer
from cchc.agencyplans.models import AgencyPlan
from cchc.review.states import Action, TransitionError


class AgencyPlanFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(field_name="plan__year")
    unit = django_filters.CharFilter(field_name="unit__code")
    kind = django_filters.ChoiceFilter(field_name="unit__kind", choices=[(k, k.label) for k in services.ISSUING_KINDS])

    class Meta:
        model = AgencyPlan
        fields = ["year", "unit", "kind", "status"]


class AgencyPlanViewSet(viewsets.ReadOnlyModelViewSet):
    """Departments' and districts' implementation plans the account may see (drafts only for their own unit)."""

    serializer_class = AgencyPlanSerializer
    queryset = AgencyPlan.objects.none()
    filterset_class = AgencyPlanFilterSet

    def get_queryset(self):
        queryset = AgencyPlan.objects.select_related("plan", "unit").prefetch_related("lines__task")
        return queryset.order_by("plan__year", "unit__kind", "unit__sort_order")

    def act(self, request, action_name: str):
        item = self.get_object()
        data = ReviewActionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.act(item, action_name, request.user, data.validated_data["comment"])
        except DjangoPermissionDenied as error:
            raise exceptions.PermissionDenied(str(error)) from None
        except TransitionError as error:
            raise exceptions.ValidationError({"detail": str(error)}) from None
        return Response(self.get_serializer(item).data)

    @extend_schema(request=ReviewActionSerializer, responses=AgencyPlanSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit the unit's plan to the province (the unit's head)."""
        return self.act(request, Action.SUBMIT)

    @extend_schema(request=ReviewActionSerializer, responses=AgencyPlanSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Accept a submitted plan (the province administrator); it is then locked."""
        return self.act(request, Action.ACCEPT)

    @extend_schema(request=ReviewActionSerializer, responses=AgencyPlanSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        """Return a submitted plan for correction, with a comment saying what to correct."""
        return self.act(request, Action.RETURN)


def register(router) -> None:
    """Add this app's API routes to the project's router."""
    router.register("agency-plans", AgencyPlanViewSet, basename="agencyplan")
