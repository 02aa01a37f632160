"""What a query string selects on the dashboard (unit, period, level): one function for the page and the API."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from cchc.core import clock
from cchc.dashboard import queries
from cchc.dashboard.forms import DashboardFilterForm
from cchc.indicators.periods import parse_period
from cchc.indicators.queries import unit_for_period
from cchc.units.models import Unit, UnitKind


class BadFilter(Http404):
    """A filter of the query string is wrong (the message names it); the API answers 400, the page 404."""


def resolve(query) -> tuple[DashboardFilterForm, Unit, object, str]:
    """(form, unit, period, level) from the query string; BadFilter / Http404 naming the field when it is wrong."""
    form = DashboardFilterForm(query)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        raise BadFilter(f"{field}: {' '.join(errors)}")
    data = form.cleaned_data
    year = data.get("year")
    if not year:
        plan = queries.current_plan()
        year = plan.year if plan else clock.today().year
    period = parse_period(data.get("period") or str(year))
    code = data.get("unit") or ""
    if not code:
        province = Unit.objects.filter(kind=UnitKind.PROVINCE).valid_on(period.end).first()
        if province is None:
            raise Http404(_("No unit loaded yet"))
        code = province.code
    try:
        unit = unit_for_period(code, period.code)
    except Unit.DoesNotExist as exc:
        raise Http404(f"unit: {exc}") from None
    return form, unit, period, data.get("level") or ""
