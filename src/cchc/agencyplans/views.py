"""The unit's plan page (edit, upload the signed plan, submit, review) and the province's overview."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from cchc.accounts import access, scope
from cchc.agencyplans import services
from cchc.agencyplans.forms import AgencyPlanForm, ItemFormSet, ReviewForm
from cchc.agencyplans.models import AgencyPlan, plan_due_date
from cchc.core import clock
from cchc.plans.models import Plan
from cchc.review import services as review
from cchc.review.states import Action, TransitionError
from cchc.units.models import UnitKind


def current_plan() -> Plan | None:
    """The plan of this year, else the latest one in force."""
    plans = Plan.objects.exclude(status=Plan.Status.DRAFT)
    return plans.filter(year=clock.today().year).first() or plans.order_by("-year").first()


class HomeView(LoginRequiredMixin, View):
    """Editors and heads go to their own unit's plan; everyone else to the overview."""

    def get(self, request):
        plan = current_plan()
        if plan is None:
            raise Http404(_("No plan has been loaded yet."))
        unit = scope.own_unit(request.user)
        if (
            unit
            and services.issues_plan(unit)
            and access.may(request.user, "change", unit)
            and not access.may(request.user, "see_whole_province")
        ):
            return redirect("agencyplans:detail", plan.year, unit.code)
        return redirect("agencyplans:overview", plan.year)


class OverviewView(LoginRequiredMixin, TemplateView):
    template_name = "agencyplans/overview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = get_object_or_404(Plan, year=self.kwargs["year"])
        kind = self.request.GET.get("kind", "")
        kind = kind if kind in services.ISSUING_KINDS else ""
        status = self.request.GET.get("status", "")
        statuses = [
            (services.NOT_SUBMITTED, _("Not submitted")),
            ("returned", _("Returned for correction")),
            ("submitted", _("Submitted")),
            ("accepted", _("Accepted")),
            ("late", _("Late")),
        ]
        status = status if status in dict(statuses) else ""
        on = clock.today()
        rows = services.overview(plan, self.request.user, on, kind=kind, status=status)
        context.update(
            plan=plan,
            rows=rows,
            today=on,
            due=plan_due_date(plan),
            kind=kind,
            status=status,
            kinds=[(UnitKind.DEPARTMENT, UnitKind.DEPARTMENT.label), (UnitKind.DISTRICT, UnitKind.DISTRICT.label)],
            statuses=statuses,
            late_count=sum(1 for row in rows if row.days_late > 0),
            submitted_count=sum(1 for row in rows if row.submitted_at),
        )
        return context


class AgencyPlanMixin(LoginRequiredMixin):
    def get_agency_plan(self, create: bool = False) -> AgencyPlan:
        """The unit's plan as this account may see it; its own unit's editors create the draft by opening it."""
        plan = get_object_or_404(Plan, year=self.kwargs["year"])
        unit = services.unit_for_year(self.kwargs["code"], plan.year)
        if unit is None:
            raise Http404
        visible = AgencyPlan.objects.select_related("plan", "unit").restrict(self.request.user)
        found = visible.filter(plan=plan, unit=unit).first()
        if found:
            return found
        if create and access.may(self.request.user, "change", unit):
            return services.create_draft(plan, unit)
        raise Http404


class DetailView(AgencyPlanMixin, TemplateView):
    template_name = "agencyplans/detail.html"

    def get(self, request, *args, **kwargs):
        self.object = self.get_agency_plan(create=True)
        return super().get(request, *args, **kwargs)

    def can_write(self) -> bool:
        return access.may(self.request.user, "change", self.object) and self.object.is_editable

    def post(self, request, *args, **kwargs):
        self.object = self.get_agency_plan()
        if not self.can_write():
            raise PermissionDenied(_("This plan cannot be changed now."))
        self.object.check_version(request.POST.get("version"))  # changed since the page was shown: 409, reload
        form = AgencyPlanForm(request.POST, request.FILES, instance=self.object)
        formset = ItemFormSet(request.POST, instance=self.object, prefix="items")
        if form.is_valid() and formset.is_valid():
            with transaction.atomic():
                form.save()
                formset.save()
            messages.success(request, _("The plan was saved."))
            return redirect(self.object.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form, formset=formset), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        item = self.object
        user = self.request.user
        writable = self.can_write()
        if writable:
            context.setdefault("form", AgencyPlanForm(instance=item))
            context.setdefault(
                "formset", ItemFormSet(instance=item, prefix="items", queryset=item.lines.select_related("task"))
            )
        context.update(
            item=item,
            items=item.lines.select_related("task"),
            writable=writable,
            can_submit=writable and review.may(user, item, Action.SUBMIT),
            can_hand=writable and not item.is_handed and review.may(user, item, Action.HAND),
            can_review=item.status == "submitted" and review.may(user, item, Action.ACCEPT),
            can_reopen=review.may(user, item, Action.REOPEN),
            missing=services.missing_for_submission(item),
            timeline=review.history(item),
            review_form=ReviewForm(),
        )
        return context


class ReviewView(AgencyPlanMixin, View):
    """Submit (head), accept or return with a comment (the province administrator)."""

    def post(self, request, *args, **kwargs):
        item = self.get_agency_plan()
        item.check_version(request.POST.get("version"))
        form = ReviewForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Unknown action."))
            return redirect(item.get_absolute_url())
        try:
            services.act(item, form.cleaned_data["action"], request.user, form.cleaned_data["comment"])
        except TransitionError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Done: the plan is now %(status)s.") % {"status": item.get_shown_status_display()}
            )
        return redirect(item.get_absolute_url())


class DocumentView(AgencyPlanMixin, View):
    """The signed plan, for those who may see the plan (never a public media address)."""

    def get(self, request, *args, **kwargs):
        item = self.get_agency_plan()
        if not item.signed_document:
            raise Http404
        return FileResponse(
            item.signed_document.open("rb"), as_attachment=True, filename=item.signed_document_name or None
        )
