from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from cchc.accounts import access
from cchc.core import clock, jobs, pagecache
from cchc.core.models import Job
from cchc.dossiers.models import Dossier, Procedure
from cchc.indicators import drilldown, engine, exports, overview
from cchc.indicators.index766 import default_catalogue
from cchc.indicators.periods import parse_period, periods_of_year
from cchc.indicators.queries import latest_year, unit_for_period
from cchc.plans.models import Target
from cchc.units.models import Unit, UnitKind

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def engine_metric_codes() -> list[str]:
    """Metrics counted over dossiers (the others count procedures of the catalogue)."""
    return [m.code for m in engine.METRICS if m.population != "catalogue"]


class IndicatorHomeView(LoginRequiredMixin, View):
    def get(self, request):
        province = Unit.objects.filter(kind=UnitKind.PROVINCE).order_by("-valid_from").first()
        if province is None:
            raise Http404(_("No unit loaded yet"))
        return redirect("indicators:unit", code=province.code, period=str(latest_year()))


HISTORY_LABELS = {
    "PROCESSING_ON_TIME": gettext_lazy("Dossiers processed on time"),
    "ONLINE_SUBMISSION": gettext_lazy("Dossiers filed online"),
    "ROUTED_ELECTRONICALLY": gettext_lazy("Dossiers routed electronically"),
    "PAYMENT_DOSSIER_ONLINE": gettext_lazy("Dossiers paid online"),
    "DOSSIER_RECEIVING_SATISFACTION": gettext_lazy("Satisfaction (Decision 766 measure)"),
    "SATISFACTION_SURVEY": gettext_lazy("Satisfaction (survey measure)"),
}
HISTORY_METRICS = list(HISTORY_LABELS)


def metric_label(code: str, year: int | None = None) -> str:
    """A stored metric's name for people (codes such as PUBLISH_ON_TIME are for machines): the plan target it
    measures, else the Decision 766 sub-indicator, else the code."""
    if code in HISTORY_LABELS:
        return str(HISTORY_LABELS[code])
    targets = Target.objects.filter(source_detail=code, value_source__in=["dossiers", "catalogue"])
    if year:
        targets = targets.filter(plan__year=year)
    target = targets.order_by("-plan__year", "code").first()
    if target is not None:
        return f"{target.code}. {target.name}"
    spec = default_catalogue().by_code.get(code)
    return spec.name if spec is not None else code


class UnitHistoryView(LoginRequiredMixin, TemplateView):
    """A unit's yearly series across the reorganisation: its own figures, and for the years before it existed its
    predecessors' figures re-based onto it (marked as reconstructed, with their sources)."""

    template_name = "indicators/history.html"

    def get_context_data(self, **kwargs):

        from cchc.indicators.rebase import series

        context = super().get_context_data(**kwargs)
        versions = Unit.objects.filter(code=self.kwargs["code"]).order_by("-valid_from")
        if "from" in self.request.GET:
            versions = versions.filter(valid_from=self.request.GET["from"])
        unit = versions.first()
        if unit is None:
            raise Http404(_("No unit with this code"))
        last = max(latest_year(), clock.today().year)
        years = [parse_period(str(y)) for y in range(min(2023, unit.valid_from.year), last + 1)]
        points = series(unit, HISTORY_METRICS, years)
        rows = []
        for metric in HISTORY_METRICS:
            by_period = {p.period: p for p in points[metric]}
            cells = [by_period.get(y.code) for y in years]
            rows.append({"metric": metric, "label": HISTORY_LABELS[metric], "cells": cells})
        sources = {}
        for metric_points in points.values():
            for point in metric_points:
                if point.reconstructed:
                    sources.setdefault(point.period, {}).update({u.pk: (u, w) for u, w in point.sources})
        context.update(
            unit=unit,
            years=[y.code for y in years],
            rows=rows,
            sources=[(period, list(found.values())) for period, found in sorted(sources.items())],
        )
        return context


class UnitPeriodMixin(LoginRequiredMixin):
    def get_unit(self):
        try:
            parse_period(self.kwargs["period"])
            return unit_for_period(self.kwargs["code"], self.kwargs["period"])
        except (ValueError, Unit.DoesNotExist) as exc:
            raise Http404(str(exc)) from None


class UnitIndicatorsView(UnitPeriodMixin, TemplateView):
    """A unit's dossier metrics for a period: plan targets of area 2, the 766 index, the units below."""

    template_name = "indicators/unit.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        unit = self.get_unit()
        period = self.kwargs["period"]
        # The figures are aggregates everyone reads; the dossiers behind them are their units' (and the
        # province's readers'): the numbers link to them only for those who may open them — the one thing of the
        # viewer the page shows, hence in the key of the kept page (cchc.core.pagecache).
        may_see_dossiers = access.may(self.request.user, "view", Dossier(unit=unit))
        context.update(
            unit=unit,
            period=period,
            content=pagecache.fragment(
                "indicators:unit",
                (unit.pk, period, may_see_dossiers),
                lambda: render_to_string("indicators/_unit.html", self.content(unit, period, may_see_dossiers)),
            ),
        )
        return context

    def content(self, unit, period: str, may_see_dossiers: bool) -> dict:
        view = overview.build(unit, period)
        year = parse_period(period).start.year
        return {
            "view": view,
            "unit": unit,
            "period": period,
            "periods": periods_of_year(year),
            "years": range(year - 2, year + 2),
            "year": year,
            "chart": {
                "labels": [g["name"] for g in view.groups],
                "score": [g.get("score") for g in view.groups],
                "max": [g.get("max") for g in view.groups],
            },
            "catalogue": default_catalogue(),
            "dossier_metrics": set(engine_metric_codes()),
            "may_see_dossiers": may_see_dossiers,
            "ancestors": self._ancestors(unit),
            "LANGUAGE_CODE": get_language(),
        }

    @staticmethod
    def _ancestors(unit):
        chain, node = [], unit.parent
        while node is not None:
            chain.insert(0, node)
            node = node.parent
        return chain


class UnitIndicatorsExportView(UnitPeriodMixin, View):
    def get(self, request, code, period):
        data = exports.overview_xlsx(overview.build(self.get_unit(), period))
        response = HttpResponse(data, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="chi-so-{code}-{period}.xlsx"'
        return response


class DossiersBehindView(UnitPeriodMixin, TemplateView):
    """The dossiers counted in one figure, e.g. the late ones behind the on-time rate: for accounts whose dossier
    scope covers the unit (its own accounts and those of the units above it; the province; leaders), else 404."""

    template_name = "indicators/dossiers.html"
    page_size = 100

    def resolve(self, query) -> None:
        """The unit, the figure (metric, part, level from `query`) and the dossiers behind it; 404 when not allowed."""
        self.unit = self.get_unit()
        if not access.may(self.request.user, "view", Dossier(unit=self.unit)):
            raise Http404(_("No dossiers of this unit for your account"))
        self.metric = query.get("metric", "PROCESSING_ON_TIME")
        self.part = query.get("part", "missing")
        self.level = query.get("level") or None
        if self.level not in (None, "P", "D", "C"):
            raise Http404(_("unknown level"))
        try:
            self.ids, self.timeliness = drilldown.cached_behind(
                self.unit, self.kwargs["period"], self.metric, self.part, self.level
            )
        except ValueError as exc:
            raise Http404(str(exc)) from None

    def filename(self) -> str:
        return f"ho-so-{self.kwargs['code']}-{self.kwargs['period']}-{self.metric}.xlsx"

    def post(self, request, *args, **kwargs):
        """An export too large for a request becomes a job in the worker (a POST: a GET never writes)."""
        self.resolve(request.POST)
        job = Job.objects.create(kind="export_dossiers", title=self.filename(), created_by=request.user)
        jobs.start(
            job,
            "cchc.indicators.exports.run_dossiers_export",
            unit_id=self.unit.pk,
            period=kwargs["period"],
            metric=self.metric,
            part=self.part,
            level=self.level,
            filename=self.filename(),
        )
        return redirect("job", job.pk)

    def get(self, request, *args, **kwargs):
        self.resolve(request.GET)
        if request.GET.get("format") == "xlsx" and len(self.ids) <= settings.CCHC_EXPORT_INLINE_ROWS:
            filename = self.filename()
            timeliness = {pk: str(drilldown.TIMELINESS[t]) for pk, t in zip(self.ids, self.timeliness, strict=True)}
            response = HttpResponse(exports.dossiers_xlsx(self.ids, timeliness), content_type=XLSX)
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = Paginator(self.ids, self.page_size).get_page(self.request.GET.get("page"))
        # Only the page's rows are read; their timeliness sits at the same positions of the cached list.
        first = (page.number - 1) * self.page_size
        page_rows = list(zip(page.object_list, self.timeliness[first : first + self.page_size], strict=True))
        rows = Dossier.objects.filter(pk__in=list(page.object_list)).select_related("procedure", "unit")
        by_id = {d.pk: d for d in rows}
        context.update(
            unit=self.unit,
            period=self.kwargs["period"],
            metric=self.metric,
            metric_label=metric_label(self.metric, int(self.kwargs["period"][:4])),
            part=self.part,
            level=self.level,
            total=len(self.ids),
            page=page,
            dossiers=[(by_id[pk], drilldown.TIMELINESS[t]) for pk, t in page_rows if pk in by_id],
            query=self.request.GET.copy(),
            export_as_job=len(self.ids) > settings.CCHC_EXPORT_INLINE_ROWS,
        )
        return context


class ProceduresBehindView(UnitPeriodMixin, TemplateView):
    """The catalogue procedures counted in a procedure figure (e.g. the fee procedures without online payment)."""

    template_name = "indicators/procedures.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        unit = self.get_unit()
        metric = self.request.GET.get("metric", "ONLINE_SERVICE_PROVIDED")
        part = self.request.GET.get("part", "denominator")
        level = self.request.GET.get("level") or None
        if level not in (None, "P", "D", "C"):
            raise Http404(_("unknown level"))
        try:
            ids = drilldown.procedures_behind(unit, self.kwargs["period"], metric, part, level)
        except ValueError as exc:
            raise Http404(str(exc)) from None
        context.update(
            unit=unit,
            period=self.kwargs["period"],
            metric=metric,
            metric_label=metric_label(metric, int(self.kwargs["period"][:4])),
            part=part,
            level=level,
            procedures=Procedure.objects.filter(pk__in=ids).order_by("sector_name", "code"),
        )
        return context
