"""A unit's tasks, the page where it records its progress on one, evidence downloads and the monitor's table."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from cchc.accounts import access, scope
from cchc.agencyplans.models import AgencyPlanItem
from cchc.core import clock
from cchc.plans.assignment import is_assigned
from cchc.plans.models import Area, Plan, Task
from cchc.progress import rules
from cchc.progress.forms import ProgressForm
from cchc.progress.models import (
    EFFECTIVE_STATUS_CHOICES,
    EFFECTIVE_STATUS_LABELS,
    OWN_DUE_STATES,
    Evidence,
    TaskProgress,
)
from cchc.progress.queries import progress_for_unit
from cchc.units.models import Unit, UnitKind
from cchc.units.picker import grouped


def current_plan() -> Plan | None:
    plans = Plan.objects.exclude(status=Plan.Status.DRAFT)
    return plans.filter(year=clock.today().year).first() or plans.order_by("-year").first()


def plan_for(year) -> Plan:
    """The plan of `year` (404 if there is none); the current plan when no year, or no number, is given."""
    if year and str(year).isdigit():
        return get_object_or_404(Plan, year=int(year))
    plan = current_plan()
    if plan is None:
        raise Http404(_("No plan has been loaded yet."))
    return plan


def unit_in_year(code: str, year: int) -> Unit | None:
    return Unit.objects.in_year(year).filter(code=code).order_by("-valid_from").first()


class UnitTasksView(LoginRequiredMixin, TemplateView):
    """The tasks a unit carries out, with its status on each (tasks not yet opened count as not started)."""

    template_name = "progress/unit_tasks.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        plan = plan_for(params.get("year"))
        code = params.get("unit") or getattr(scope.own_unit(self.request.user), "code", "")
        unit = unit_in_year(code, plan.year) if code else None
        if code and (unit is None or not access.may(self.request.user, "view", unit)):
            raise Http404
        on = clock.today()
        rows = progress_for_unit(unit, plan, on) if unit else []
        area, status = params.get("area", ""), params.get("status", "")
        if area.isdigit():
            rows = [row for row in rows if row["area_number"] == int(area)]
        if status in EFFECTIVE_STATUS_LABELS:
            rows = [row for row in rows if row["status"] == status]
        for row in rows:
            row["url"] = f"/progress/{plan.year}/{row['task_code']}/{unit.code}/"
            row["status_label"] = EFFECTIVE_STATUS_LABELS[row["status"]]
        choosable = []
        if access.may(self.request.user, "see_whole_province"):
            choosable = Unit.objects.in_year(plan.year).filter(kind__in=[UnitKind.DEPARTMENT, UnitKind.DISTRICT])
            choosable = choosable.order_by("kind", "sort_order", "code")
        context.update(
            plan=plan,
            unit=unit,
            rows=rows,
            today=on,
            areas=Area.objects.filter(plan=plan).order_by("number"),
            area=area,
            status=status,
            statuses=EFFECTIVE_STATUS_CHOICES,
            choosable=choosable,
            choosable_groups=grouped(choosable, value=lambda u: u.code) if choosable else [],
            can_monitor=access.may(self.request.user, "monitor_progress"),
        )
        return context


class TaskRedirectView(LoginRequiredMixin, View):
    """/progress/<task code>/: the own unit's page for that task in the current plan."""

    def get(self, request, code):
        plan = plan_for(None)
        unit = scope.own_unit(request.user)
        if unit is None:
            raise Http404
        return redirect("progress:task", plan.year, code, unit.code)


class ProgressMixin(LoginRequiredMixin):
    def resolve(self, create: bool = False):
        """The task, the unit and the unit's progress row: unsaved until the unit first records progress (`create`,
        on a POST of the unit's own accounts; a GET never writes)."""
        plan = get_object_or_404(Plan, year=self.kwargs["year"])
        task = get_object_or_404(
            Task.objects.select_related("area", "monitor", "plan"), plan=plan, code=self.kwargs["code"]
        )
        unit = unit_in_year(self.kwargs["unit"], plan.year)
        user = self.request.user
        if (
            unit is None
            or not is_assigned(task, unit)
            or not access.may(user, "view", TaskProgress(task=task, unit=unit))
        ):
            raise Http404
        progress = TaskProgress.objects.filter(task=task, unit=unit).first()
        if progress is None and create and access.may(user, "change", unit):
            progress, _created = TaskProgress.objects.get_or_create(task=task, unit=unit)
        return task, unit, progress or TaskProgress(task=task, unit=unit)


class TaskProgressView(ProgressMixin, TemplateView):
    template_name = "progress/task_progress.html"

    def get(self, request, *args, **kwargs):
        self.task, self.unit, self.progress = self.resolve()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.task, self.unit, self.progress = self.resolve(create=True)
        if not access.may(request.user, "change", self.unit):
            raise PermissionDenied(_("Only the unit's own accounts record its progress."))
        if self.progress.pk:
            self.progress.check_version(request.POST.get("version"))  # changed since the page was shown: 409
        form = ProgressForm(request.POST, request.FILES, progress=self.progress, today=clock.today())
        if form.is_valid():
            with transaction.atomic():
                form.save(request.user)
            messages.success(request, _("Progress saved."))
            return redirect(request.path)
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        progress = self.progress
        writable = access.may(self.request.user, "change", self.unit)
        if writable:
            context.setdefault("form", ProgressForm(progress=progress, today=clock.today()))
        saved = progress.pk is not None
        due = progress.due_for_unit()
        status = rules.effective_status(progress.status, due, clock.today())
        context.update(
            task=self.task,
            unit=self.unit,
            progress=progress,
            saved=saved,
            writable=writable,
            due=due,
            status=status,
            status_label=EFFECTIVE_STATUS_LABELS[status],
            notes=progress.notes.select_related("author") if saved else [],
            evidence=progress.evidence.select_related("uploaded_by") if saved else [],
        )
        return context


class EvidenceDownloadView(LoginRequiredMixin, View):
    """An evidence file, only for those who may see the unit's progress (never a public media address)."""

    def get(self, request, pk):
        evidence = get_object_or_404(
            Evidence.objects.select_related("progress").restrict(request.user),
            pk=pk,
        )
        return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name)


class MonitorView(LoginRequiredMixin, TemplateView):
    """For a monitoring unit: its tasks across every assigned unit; for the province: every task."""

    template_name = "progress/monitor.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        if not access.may(user, "monitor_progress"):
            raise PermissionDenied(_("Only monitoring units and the province follow tasks across units."))
        context = super().get_context_data(**kwargs)
        plan = plan_for(self.request.GET.get("year"))
        tasks = Task.objects.filter(plan=plan).select_related("area", "monitor").order_by("order")
        if not access.may(user, "see_whole_province"):
            tasks = tasks.filter(monitor_id=scope.monitored_unit_id(user))
        tasks = list(tasks)
        context.update(plan=plan, table=monitor_table(plan, tasks, clock.today()), today=clock.today())
        return context


def monitor_table(plan: Plan, tasks: list[Task], on) -> list[dict]:
    """Per task: counts by effective status over its assigned units, and each unit's line (4 queries in all)."""
    task_ids = [task.pk for task in tasks]
    assigned = defaultdict(list)
    through = Task.agencies.through.objects.filter(task_id__in=task_ids).select_related("unit")
    for row in through.order_by("unit__kind", "unit__sort_order", "unit__code"):
        assigned[row.task_id].append(row.unit)
    progress = {
        (row.task_id, row.unit_id): row
        for row in TaskProgress.objects.filter(task_id__in=task_ids).only(
            "task_id", "unit_id", "status", "completed_on"
        )
    }
    own = {
        (task_id, unit_id): due
        for task_id, unit_id, due in AgencyPlanItem.objects.filter(
            task_id__in=task_ids, agency_plan__status__in=OWN_DUE_STATES, due__isnull=False
        ).values_list("task_id", "agency_plan__unit_id", "due")
    }
    table = []
    for task in tasks:
        lines = []
        for unit in assigned[task.pk]:
            row = progress.get((task.pk, unit.pk))
            due = rules.effective_due(task.due, own.get((task.pk, unit.pk)))
            status = rules.effective_status(row.status if row else rules.NOT_STARTED, due, on)
            lines.append(
                {
                    "unit": unit,
                    "status": status,
                    "status_label": EFFECTIVE_STATUS_LABELS[status],
                    "due": due,
                    "completed_on": row.completed_on if row else None,
                    "url": f"/progress/{plan.year}/{task.code}/{unit.code}/",
                }
            )
        counts = Counter(line["status"] for line in lines)
        table.append({"task": task, "lines": lines, "counts": [counts.get(s, 0) for s in rules.EFFECTIVE_STATUSES]})
    return table
