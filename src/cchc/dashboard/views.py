"""The province dashboard: every target of the plan, its value per level, status, trend and year-end projection."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from cchc.accounts import access
from cchc.core import clock, pagecache
from cchc.dashboard import history, projection, queries, rules
from cchc.dashboard.filters import resolve
from cchc.indicators.periods import periods_of_year
from cchc.plans.models import Target
from cchc.targets.models import Qualitative
from cchc.units.models import Unit, UnitKind
from cchc.units.picker import grouped

UNIT_CHOICE_KINDS = [UnitKind.PROVINCE, UnitKind.DEPARTMENT, UnitKind.DISTRICT]
# The label of the entry point in base.html's navigation (the lead's file): translated in this app's catalogue.
NAV_LABEL = gettext_lazy("Dashboard")


class DashboardView(LoginRequiredMixin, TemplateView):
    template_name = "dashboard/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, unit, period, level = resolve(self.request.GET)
        today = clock.today()
        user = self.request.user
        # The board is computed from stored figures and accepted items as this viewer's scope sees them, for this
        # day (elapsed months, statuses): kept per data version under exactly those (cchc.core.pagecache).
        context["content"] = pagecache.fragment(
            "dashboard",
            (unit.pk, period.code, level, today.isoformat(), access.scope_key(user)),
            lambda: render_to_string("dashboard/_board.html", board_context(user, form, unit, period, level, today)),
        )
        return context


def board_context(user, form, unit, period, level, today) -> dict:
    """Everything the board shows (dashboard/_board.html)."""
    board = queries.build(user, unit, period, level, today=today)
    chart = {}
    for area in board.areas:
        for row in area["rows"]:
            cell = row.main_cell
            if cell and cell.trend and any(v is not None for v in cell.trend):
                chart[row.target.code] = {"values": cell.trend, "limit": cell.limit_year_end}
    year = period.start.year
    level_map = queries.LEVELS_OF_KIND.get(unit.kind, {})
    return {
        "history": history.compare(
            unit,
            year,
            [row.target for area in board.areas for row in area["rows"]],
            [level_map[lv] for lv in board.levels if lv in level_map],
        ),
        "board": board,
        "form": form,
        "unit": unit,
        "period": period,
        "level": level,
        "year": year,
        "periods": periods_of_year(year),
        "unit_groups": grouped(
            Unit.objects.valid_on(period.end).filter(kind__in=UNIT_CHOICE_KINDS), value=lambda u: u.code
        ),
        "level_choices": form.fields["level"].choices,
        "chart": chart,
        "reports_link": queries.reports_link(year, unit),
        "min_months": projection.MIN_MONTHS,
        "status_labels": status_labels(),
        "source_labels": {value: str(label) for value, label in Target.Source.choices},
        "qualitative_labels": {value: str(label) for value, label in Qualitative.choices},
        "survey_labels": {"admin": _("administrative agencies"), "health": _("health"), "education": _("education")},
    }


def status_labels() -> dict[str, str]:
    return {
        rules.MET: _("met"),
        rules.ON_TRACK: _("on track"),
        rules.AT_RISK: _("at risk"),
        rules.MISSED: _("missed"),
        rules.NO_DATA: _("no data"),
    }
