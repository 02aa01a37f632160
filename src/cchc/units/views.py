from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Prefetch
from django.views.generic import DetailView, TemplateView

from cchc.core import clock
from cchc.units.filters import UnitFilterSet
from cchc.units.models import Unit, UnitEvent, UnitEventLink, UnitKind


class UnitDirectoryView(LoginRequiredMixin, TemplateView):
    """The hierarchy valid on a date: province → departments and districts → communes."""

    template_name = "units/unit_directory.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = UnitFilterSet(self.request.GET or None, queryset=Unit.objects.all())
        date = clock.today()
        if filterset.is_bound and filterset.is_valid() and filterset.form.cleaned_data.get("date"):
            date = filterset.form.cleaned_data["date"]
        units = Unit.objects.valid_on(date)
        searching = filterset.is_bound and any(self.request.GET.get(k) for k in ("q", "kind", "parent"))
        if searching:
            matches = filterset.qs.valid_on(date).select_related("parent")
            context.update(matches=matches)
        else:
            by_parent: dict[int | None, list[Unit]] = {}
            for unit in units.order_by("sort_order", "code"):
                by_parent.setdefault(unit.parent_id, []).append(unit)
            provinces = by_parent.get(None, [])
            context["tree"] = [
                {
                    "unit": province,
                    "departments": [u for u in by_parent.get(province.pk, []) if u.kind == UnitKind.DEPARTMENT],
                    "districts": [
                        {"unit": d, "communes": by_parent.get(d.pk, [])}
                        for d in by_parent.get(province.pk, [])
                        if d.kind == UnitKind.DISTRICT
                    ],
                }
                for province in provinces
            ]
        context.update(filter=filterset, date=date, counts=dict(units.values_list("kind").annotate(n=Count("id"))))
        return context

    def get_template_names(self):
        if self.request.htmx:
            return ["units/_unit_results.html"]
        return [self.template_name]


class UnitDetailView(LoginRequiredMixin, DetailView):
    model = Unit
    template_name = "units/unit_detail.html"

    def get_queryset(self):
        return Unit.objects.select_related("parent")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        unit = self.object
        context["children"] = unit.children.order_by("sort_order", "code")
        context["tasks"] = unit.assigned_tasks.select_related("plan", "area").order_by("-plan__year", "order")
        context["monitored_areas"] = unit.monitored_areas.select_related("plan")
        context["events"] = (
            UnitEvent.objects.filter(links__unit=unit)
            .distinct()
            .prefetch_related(Prefetch("links", queryset=UnitEventLink.objects.select_related("unit")))
        )
        context["versions"] = Unit.objects.filter(code=unit.code, kind=unit.kind).exclude(pk=unit.pk)
        return context
