"""Pages: the targets whose value is entered, surveyed or measured against a baseline; an entry with its evidence
and review; a survey; a baseline. Everything is read through Model.objects.restrict
(cchc.accounts.access)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from cchc.accounts import access
from cchc.core import clock
from cchc.indicators.periods import parse_period
from cchc.plans.models import Plan, Target
from cchc.reports.models import ReportPeriod
from cchc.review import services as review
from cchc.review.states import Action, TransitionError
from cchc.targets import rules, services
from cchc.targets.forms import BaselineForm, EntryForm, EvidenceForm, ReviewForm, SurveyUploadForm
from cchc.targets.models import Baseline, EntryEvidence, Survey, TargetEntry
from cchc.targets.queries import target_values
from cchc.targets.survey_file import SurveyFileError

# The label of the entry point in base.html's navigation (the lead's file): translated in this app's catalogue.
NAV_LABEL = gettext_lazy("Target values")
SOURCES_SHOWN = (Target.Source.ENTERED, Target.Source.BASELINE, Target.Source.SURVEY)


def _plan(request) -> Plan:
    year = request.GET.get("year")
    plans = Plan.objects.exclude(status=Plan.Status.DRAFT)
    plan = plans.filter(year=year).first() if year and year.isdigit() else None
    plan = plan or plans.filter(year=clock.today().year).first() or plans.order_by("-year").first()
    if plan is None:
        raise Http404(_("No plan has been loaded yet."))
    return plan


class IndexView(LoginRequiredMixin, TemplateView):
    """Every target entered with evidence, by a survey or against a baseline: who enters it, when, and the entries
    the account may see."""

    template_name = "targets/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        plan = _plan(self.request)
        targets = list(
            Target.objects.filter(plan=plan, value_source__in=SOURCES_SHOWN)
            .select_related("responsible", "area__monitor")
            .prefetch_related("thresholds")
            .order_by("order")
        )
        periods = {p.kind: p for p in ReportPeriod.objects.filter(year=plan.year)}
        entries = {
            (e.target_id, e.period_id, e.level): e
            for e in TargetEntry.objects.filter(target__plan=plan).select_related("period").restrict(user)
        }
        rows = []
        for target in targets:
            slots = []
            if target.value_source == Target.Source.ENTERED:
                for kind in target.due_list:
                    period = periods.get(kind)
                    if period is None:
                        continue
                    for level in services.entry_levels(target):
                        slots.append((period, level, entries.get((target.pk, period.pk, level))))
            rows.append(
                {
                    "target": target,
                    "responsible": services.responsible_unit(target),
                    "slots": slots,
                    "may_open": services.may_open(user, target),
                }
            )
        context.update(
            plan=plan,
            rows=rows,
            surveys=Survey.objects.filter(year=plan.year).order_by("index"),
            baselines=Baseline.objects.filter(target__plan=plan).select_related("target"),
            is_administrator=access.may(user, "manage_reference_data"),
        )
        return context


class OpenEntryView(LoginRequiredMixin, View):
    """Create (or find) the draft of a target, period and level — the responsible unit's editors only."""

    def post(self, request, pk: int):
        target = get_object_or_404(Target.objects.select_related("plan", "responsible", "area__monitor"), pk=pk)
        period = get_object_or_404(ReportPeriod, pk=request.POST.get("period") or 0)
        entry = services.open_entry(request.user, target, period, request.POST.get("level", "all"))
        return redirect(entry.get_absolute_url())


class EntryMixin(LoginRequiredMixin):
    def get_entry(self) -> TargetEntry:
        queryset = TargetEntry.objects.select_related("target__plan", "target__area", "unit", "period")
        return get_object_or_404(queryset.restrict(self.request.user), pk=self.kwargs["pk"])


class EntryView(EntryMixin, TemplateView):
    template_name = "targets/entry.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.object = self.get_entry()
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        entry = self.object
        if not services.may_write(request.user, entry):
            raise PermissionDenied(_("This value cannot be changed now."))
        if "file" in request.FILES:
            form = EvidenceForm(request.POST, request.FILES)
            if form.is_valid():
                EntryEvidence(entry=entry).attach(form.cleaned_data["file"], form.kind, request.user)
                messages.success(request, _("The evidence file was added."))
                return redirect(entry.get_absolute_url())
            return self.render_to_response(self.get_context_data(evidence_form=form), status=400)
        form = EntryForm(request.POST, instance=entry)
        if form.is_valid():
            with transaction.atomic():
                form.save()
            messages.success(request, _("The value was saved."))
            return redirect(entry.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entry, user = self.object, self.request.user
        writable = services.may_write(user, entry)
        if writable:
            context.setdefault("form", EntryForm(instance=entry))
            context.setdefault("evidence_form", EvidenceForm())
        context.update(
            item=entry,
            measure=entry.measure,
            evidence=list(entry.evidence.all()),
            writable=writable,
            can_submit=writable and review.may(user, entry, Action.SUBMIT),
            can_hand=writable and not entry.is_handed and review.may(user, entry, Action.HAND),
            can_review=entry.status == "submitted" and review.may(user, entry, Action.ACCEPT),
            missing=services.missing_for_submission(entry),
            timeline=review.history(entry),
            review_form=ReviewForm(),
        )
        return context


class ReviewView(EntryMixin, View):
    """Submit (head), accept or return with a comment (Sở Nội vụ)."""

    def post(self, request, pk: int):
        entry = self.get_entry()
        form = ReviewForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Unknown action."))
            return redirect(entry.get_absolute_url())
        try:
            services.act(entry, form.cleaned_data["action"], request.user, form.cleaned_data["comment"])
        except TransitionError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Done: the value is now %(status)s.") % {"status": entry.get_shown_status_display()}
            )
        return redirect(entry.get_absolute_url())


class EvidenceView(LoginRequiredMixin, View):
    """An evidence file, for those who may see its entry (never a public media address)."""

    def get(self, request, pk: int):
        visible = TargetEntry.objects.all().restrict(request.user)
        evidence = get_object_or_404(EntryEvidence.objects.filter(entry__in=visible), pk=pk)
        return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name)


class SurveyListView(LoginRequiredMixin, TemplateView):
    """The surveys of the year; administrators upload a SIPAS-form file (checked whole: all or nothing)."""

    template_name = "targets/surveys.html"

    def post(self, request, *args, **kwargs):
        if not access.may(request.user, "manage_reference_data"):
            raise PermissionDenied(_("Only Sở Nội vụ's administrators import surveys."))
        form = SurveyUploadForm(request.POST, request.FILES)
        errors: list[str] = []
        if form.is_valid():
            data = form.cleaned_data
            suffix = ".xlsx" if data["file"].name.lower().endswith(".xlsx") else ".csv"
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / f"{Path(data['file'].name).stem[:80] or 'sipas'}{suffix}"
                with path.open("wb") as out:
                    for chunk in data["file"].chunks():
                        out.write(chunk)
                try:
                    survey = services.import_survey(
                        path,
                        year=data["year"],
                        index=data["index"],
                        title=data["title"],
                        organiser=data["organiser"],
                        sample_size=data["sample_size"],
                        started_on=data["started_on"],
                        ended_on=data["ended_on"],
                        national_value=data["national_value"],
                        user=request.user,
                    )
                except SurveyFileError as error:
                    errors = error.errors
                else:
                    messages.success(request, _("The survey was imported."))
                    return redirect(survey.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form, errors=errors), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = _plan(self.request)
        methods = rules.methods()
        surveys = []
        for survey in Survey.objects.filter(year=plan.year).prefetch_related("results"):
            surveys.append((survey, _index(survey, methods)))
        context.update(plan=plan, surveys=surveys)
        if access.may(self.request.user, "manage_reference_data"):
            context.setdefault("form", SurveyUploadForm(initial={"year": plan.year}))
        return context


def _index(survey: Survey, methods) -> rules.SurveyIndex | None:
    method = methods.get(survey.index) or methods.get(survey.method)
    if method is None:
        return None
    lines = [
        rules.SurveyLine(
            r.service,
            r.criterion,
            r.respondents,
            float(r.share_satisfied) if r.share_satisfied is not None else None,
            float(r.mean_score) if r.mean_score is not None else None,
        )
        for r in survey.results.all()
    ]
    return rules.survey_index(lines, method)


class SurveyView(LoginRequiredMixin, TemplateView):
    template_name = "targets/survey.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        survey = get_object_or_404(Survey, pk=self.kwargs["pk"])
        methods = rules.methods()
        method = methods.get(survey.index) or methods.get(survey.method)
        index = _index(survey, methods)
        criteria = []
        if method and index:
            for code, weight in method.criteria.items():
                criteria.append((code, method.labels.get(code, code), weight, index.by_criterion.get(code)))
        context.update(survey=survey, index=index, criteria=criteria, results=survey.results.all())
        return context


class BaselineView(LoginRequiredMixin, TemplateView):
    """The base value, its document, and the reduction the dashboard computes from it (the same function)."""

    template_name = "targets/baseline.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        baseline = get_object_or_404(
            Baseline.objects.select_related("target__plan__province", "updated_by"), pk=self.kwargs["pk"]
        )
        plan = baseline.target.plan
        period = parse_period(str(plan.year))
        found = target_values(
            plan, plan.province, period, user=self.request.user, levels=("all",), targets=[baseline.target]
        ).get((baseline.target.code, "all"))
        context.update(
            baseline=baseline,
            target=baseline.target,
            found=found,
            can_edit=access.may(self.request.user, "manage_reference_data"),
        )
        return context


class BaselineEditView(LoginRequiredMixin, TemplateView):
    """Sở Nội vụ's administrators record or correct a target's base-year value and its source document (audited)."""

    template_name = "targets/baseline_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        if not access.may(request.user, "manage_reference_data"):
            raise PermissionDenied(_("Only Sở Nội vụ's administrators record baselines."))
        self.target = get_object_or_404(
            Target.objects.select_related("plan"), pk=kwargs["pk"], value_source=Target.Source.BASELINE
        )
        self.instance = Baseline.objects.filter(target=self.target).first() or Baseline(
            target=self.target, year=self.target.baseline_year or self.target.plan.year - 1
        )
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        form = BaselineForm(request.POST, instance=self.instance)
        if form.is_valid():
            baseline = form.save(commit=False)
            baseline.updated_by = request.user
            baseline.save()
            messages.success(request, _("The baseline was saved."))
            return redirect(baseline.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", BaselineForm(instance=self.instance))
        context.update(target=self.target)
        return context
