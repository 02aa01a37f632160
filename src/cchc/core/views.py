from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count
from django.views.generic import TemplateView

from cchc.plans.models import Plan
from cchc.units.models import Unit


class HomeView(LoginRequiredMixin, TemplateView):
    """Start page: the current plan at a glance, area by area."""

    template_name = "core/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = Plan.objects.exclude(status=Plan.Status.DRAFT).order_by("-year").first() or Plan.objects.first()
        if plan:
            targets = dict(plan.targets.values_list("area_id").annotate(n=Count("id")))
            tasks = dict(plan.tasks.values_list("area_id").annotate(n=Count("id")))
            context["areas"] = [
                {"area": area, "targets": targets.get(area.pk, 0), "tasks": tasks.get(area.pk, 0)}
                for area in plan.areas.select_related("monitor")
            ]
        context.update(plan=plan, unit_counts=dict(Unit.objects.current().values_list("kind").annotate(n=Count("id"))))
        return context
