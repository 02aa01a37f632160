import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.accounts.models import Membership, Role
from cchc.units.models import UnitKind


class MembershipFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    role = django_filters.ChoiceFilter(choices=Role.choices, label=_("Role"), empty_label=_("All roles"))
    kind = django_filters.ChoiceFilter(
        field_name="unit__kind", choices=UnitKind.choices, label=_("Kind of unit"), empty_label=_("All kinds")
    )
    active = django_filters.BooleanFilter(field_name="user__is_active", label=_("Active"))

    class Meta:
        model = Membership
        fields = ["q", "role", "kind", "active"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(user__username__icontains=value)
            | Q(user__email__icontains=value)
            | Q(unit__name__icontains=value)
            | Q(unit__code__iexact=value)
        )
