"""The peer comparison of units for a year and one unit's card. Every logged-in account sees the comparison
(aggregate figures); the links to private items (reports, agency plans, progress) are offered to those who may
open them, and those apps check again."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from cchc.accounts import access, scope
from cchc.agencyplans.models import AgencyPlan
from cchc.core import clock
from cchc.plans.models import Plan
from cchc.progress.models import EFFECTIVE_STATUS_LABELS
from cchc.scorecards import rules
from cchc.scorecards.queries import PEER_KINDS, build_cards, card_for, default_year, peers, plan_for_year, unit_in_year
from cchc.units.models import Unit, UnitKind


class PeerChoice:
    """Which peers a request compares: ?kind=department|district|commune (&district=<code> for communes)."""

    def __init__(self, params, year: int):
        self.kind = params.get("kind") or UnitKind.DEPARTMENT
        if self.kind not in PEER_KINDS:
            raise Http404(_("Unknown kind of unit: %(kind)s") % {"kind": self.kind})
        self.districts = peers(UnitKind.DISTRICT, year)
        self.district = None
        if self.kind == UnitKind.COMMUNE:
            code = params.get("district") or (self.districts[0].code if self.districts else "")
            self.district = next((d for d in self.districts if d.code == code), None)
            if self.district is None:
                raise Http404(_("Unknown district: %(code)s") % {"code": code})
        self.units = peers(self.kind, year, self.district)

    def query(self, **extra) -> str:
        params = {"kind": self.kind}
        if self.district:
            params["district"] = self.district.code
        return urlencode({**params, **extra})


class ScorecardHomeView(LoginRequiredMixin, View):
    def get(self, request):
        return redirect("scorecards:table", year=default_year())


class ScorecardTableView(LoginRequiredMixin, TemplateView):
    template_name = "scorecards/table.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = self.kwargs["year"]
        choice = PeerChoice(self.request.GET, year)
        column, descending = rules.parse_sort(self.request.GET.get("sort"))
        cards = rules.sort_cards(build_cards(choice.units, year, clock.today()), column, descending)
        headers = []
        for name, label in (
            ("rank", _("Rank")),
            ("name", _("Unit")),
            ("score", _("766 score")),
            ("targets", _("Targets met")),
            ("tasks", _("Tasks done (of those due)")),
            ("overdue", _("Overdue tasks")),
            ("on_time", _("Submitted on time")),
            ("late", _("Late")),
            ("missing", _("Not submitted")),
        ):
            # A click on the sorted column reverses it; numbers sort best first, names A to Z.
            first = "" if name in ("name", "rank", "overdue", "late", "missing") else "-"
            sort = (("" if descending else "-") + name) if name == column else first + name
            headers.append(
                {"name": name, "label": label, "url": "?" + choice.query(sort=sort), "active": name == column}
            )
        context.update(
            year=year,
            plan=plan_for_year(year),
            choice=choice,
            kinds=[(k, UnitKind(k).label) for k in PEER_KINDS],
            cards=cards,
            headers=headers,
            sort=column,
            descending=descending,
            chart={
                "labels": [c.name for c in cards],
                "score": [c.score for c in cards],
                "on_time": [None if c.on_time_share is None else round(c.on_time_share, 1) for c in cards],
            },
            years=list(Plan.objects.order_by("-year").values_list("year", flat=True)),
        )
        return context


class ScorecardUnitView(LoginRequiredMixin, TemplateView):
    template_name = "scorecards/unit.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = self.kwargs["year"]
        unit = unit_in_year(self.kwargs["code"], year)
        if unit is None:
            raise Http404(_("No such unit in %(year)s.") % {"year": year})
        on = clock.today()
        card = card_for(unit, year, on)
        user = self.request.user
        sees_unit = scope.can_see_unit(user, unit)
        own_unit = scope.own_unit_id(user) == unit.pk
        reports_index = reverse("reports:index") + "?" + urlencode({"year": year})
        progress = reverse("progress:home") + "?" + urlencode({"year": year, "unit": unit.code})
        report_rows = []
        for entry in card.reports:
            # A report never submitted is a draft: only its own unit opens it (the reports app checks too).
            submitted = entry.status in (rules.ON_TIME, rules.LATE)
            url = None
            if entry.object_id and (own_unit or (sees_unit and submitted)):
                url = reverse("reports:detail", args=[entry.object_id])
            elif sees_unit:
                url = reports_index
            report_rows.append({"entry": entry, "url": url})
        plan_url = None
        # Linked only where it opens: a plan the account may see, or its own unit's (whose editors open the draft).
        if card.agency_plan and (
            AgencyPlan.objects.restrict(user).filter(pk=card.agency_plan.object_id).exists()
            or access.may(user, "change", unit)
        ):
            plan_url = reverse("agencyplans:detail", args=[year, unit.code])
        peer_query = {"kind": unit.kind}
        if unit.kind == UnitKind.COMMUNE and unit.parent_id:
            peer_query["district"] = Unit.objects.filter(pk=unit.parent_id).values_list("code", flat=True).first()
        context.update(
            year=year,
            unit=unit,
            card=card,
            plan=plan_for_year(year),
            today=on,
            sees_unit=sees_unit,
            report_rows=report_rows,
            task_rows=[
                (status, EFFECTIVE_STATUS_LABELS[status], getattr(card.tasks, status))
                for status in ("done", "in_progress", "overdue", "not_started")
            ],
            plan_url=plan_url,
            progress_url=progress if sees_unit else None,
            indicators_url=reverse("indicators:unit", args=[unit.code, str(year)]),
            peers_url=reverse("scorecards:table", args=[year]) + "?" + urlencode(peer_query),
        )
        return context
