import datetime as dt

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.formats import DATE_INPUT_FORMATS
from cchc.formats.fields import DateInput
from cchc.units.models import Unit, UnitKind


class UnitFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    kind = django_filters.ChoiceFilter(choices=UnitKind.choices, label=_("Kind"))
    parent = django_filters.CharFilter(field_name="parent__code", label=_("Parent code"))
    date = django_filters.DateFilter(
        method="valid_on", label=_("Valid on"), widget=DateInput(), input_formats=DATE_INPUT_FORMATS
    )

    class Meta:
        model = Unit
        fields = ["q", "kind", "parent", "date"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__iexact=value))

    def valid_on(self, queryset, name, value: dt.date):
        return queryset.valid_on(value)
