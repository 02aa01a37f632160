import django_filters
from django.utils.translation import gettext_lazy as _

from cchc.plans.models import TASK_STATUS_CHOICES, Area, Target, Task
from cchc.units.models import Unit, UnitKind
from cchc.units.picker import UnitChoiceField


def plan_areas(request):
    plan = getattr(request, "plan", None)
    return Area.objects.filter(plan=plan) if plan else Area.objects.all()


def task_agencies(request):
    """The departments and districts that existed during the plan's year (dated: not every version ever)."""
    plan = getattr(request, "plan", None)
    units = Unit.objects.in_year(plan.year) if plan else Unit.objects.all()
    units = units.filter(kind__in=[UnitKind.DEPARTMENT, UnitKind.DISTRICT])
    return units.order_by("kind", "sort_order")


class UnitFilter(django_filters.ModelChoiceFilter):
    field_class = UnitChoiceField


class TaskFilterSet(django_filters.FilterSet):
    area = django_filters.ModelChoiceFilter(queryset=plan_areas, label=_("Area"), empty_label=_("All areas"))
    agency = UnitFilter(field_name="agencies", queryset=task_agencies, label=_("Agency"), empty_label=_("All agencies"))
    status = django_filters.ChoiceFilter(
        choices=TASK_STATUS_CHOICES, method="filter_status", label=_("Status"), empty_label=_("All statuses")
    )
    q = django_filters.CharFilter(field_name="text", lookup_expr="icontains", label=_("Text contains"))

    class Meta:
        model = Task
        fields = ["area", "agency", "status", "q"]

    def filter_status(self, queryset, name, value):
        return queryset.with_status(value)


class TargetFilterSet(django_filters.FilterSet):
    area = django_filters.NumberFilter(field_name="area__number", label=_("Area number"))
    level = django_filters.CharFilter(field_name="thresholds__level", label=_("Level"), distinct=True)
    year = django_filters.NumberFilter(field_name="plan__year", label=_("Plan year"))

    class Meta:
        model = Target
        fields = ["area", "level", "kind", "year"]
