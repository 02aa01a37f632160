from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, ListView, View

from cchc.core import pagecache
from cchc.plans.exports import plan_to_dict
from cchc.plans.filters import TaskFilterSet
from cchc.plans.models import Plan, Target, Task, Threshold

LEVEL_COLUMNS = [
    Threshold.Level.PROVINCIAL,
    Threshold.Level.DISTRICT,
    Threshold.Level.COMMUNE,
    Threshold.Level.PROVINCE,
]


def thresholds_by_level(target: Target) -> list[Threshold | None]:
    """The target's thresholds in the page's column order (P, D, C, whole province); None where absent."""
    found = {t.level: t for t in target.thresholds.all()}
    return [found.get(level) for level in LEVEL_COLUMNS]


class PlanMixin(LoginRequiredMixin):
    def get_plan(self) -> Plan:
        if not hasattr(self, "_plan"):
            self._plan = get_object_or_404(Plan.objects.select_related("province"), year=self.kwargs["year"])
        return self._plan


class PlanListView(LoginRequiredMixin, ListView):
    model = Plan
    template_name = "plans/plan_list.html"

    def get_queryset(self):
        return Plan.objects.select_related("province").annotate(
            target_count=Count("targets", distinct=True), task_count=Count("tasks", distinct=True)
        )


class PlanDetailView(PlanMixin, DetailView):
    """The plan as the province reads it: areas, each with its targets (thresholds per level) and tasks."""

    template_name = "plans/plan_detail.html"
    context_object_name = "plan"

    def get_object(self, queryset=None):
        return self.get_plan()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.object
        # The same for every viewer: kept per data version (cchc.core.pagecache).
        context["content"] = pagecache.fragment(
            "plans:detail", (plan.pk,), lambda: render_to_string("plans/_plan_detail.html", plan_context(plan))
        )
        return context


def plan_context(plan: Plan) -> dict:
    """The plan's areas with their targets (thresholds per level) and task counts (plans/_plan_detail.html)."""
    targets = plan.targets.prefetch_related("thresholds").order_by("order")
    task_counts = dict(plan.tasks.values_list("area_id").annotate(n=Count("id")))
    areas = []
    for area in plan.areas.select_related("monitor"):
        area_targets = [t for t in targets if t.area_id == area.pk]
        areas.append(
            {
                "area": area,
                "targets": [{"target": t, "cells": thresholds_by_level(t)} for t in area_targets],
                "task_count": task_counts.get(area.pk, 0),
            }
        )
    return {
        "plan": plan,
        "areas": areas,
        "level_columns": LEVEL_COLUMNS,
        "legal_bases": plan.legal_bases.all(),
        "target_total": len(targets),
        "task_total": sum(task_counts.values()),
    }


class TargetDetailView(PlanMixin, DetailView):
    template_name = "plans/target_detail.html"
    context_object_name = "target"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Target.objects.select_related("area", "plan", "responsible").prefetch_related("thresholds"),
            plan=self.get_plan(),
            code=self.kwargs["code"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            plan=self.get_plan(),
            cells=zip(LEVEL_COLUMNS, thresholds_by_level(self.object), strict=True),
            source_label=Target._meta.get_field("value_source").verbose_name,
            target_values_label=gettext_lazy("Target values"),
        )
        return context


class TaskListView(PlanMixin, ListView):
    """Tasks of the plan, filtered by area, agency and status; HTMX swaps the table only."""

    template_name = "plans/task_list.html"
    context_object_name = "tasks"

    def get_queryset(self):
        self.request.plan = self.get_plan()
        tasks = Task.objects.filter(plan=self.get_plan()).select_related("area", "monitor")
        self.filterset = TaskFilterSet(self.request.GET or None, queryset=tasks, request=self.request)
        return self.filterset.qs.prefetch_related("agencies").order_by("order").distinct()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(plan=self.get_plan(), filter=self.filterset)
        return context

    def get_template_names(self):
        if self.request.htmx:
            return ["plans/_task_table.html"]
        return [self.template_name]


class PlanExportView(PlanMixin, View):
    def get(self, request, year):
        response = JsonResponse(plan_to_dict(self.get_plan()), json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Content-Disposition"] = f'attachment; filename="plan-{year}.json"'
        return response
