"""Pages of the periodic reports: the year's periods and who has reported, one report, the review queue.

Every report is fetched through Report.objects.restrict (another unit's draft is a 404); every action is checked
by the workflow (a forbidden one is a 403); an accepted report answers 403 to any POST.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Avg, Count, Sum
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views import View

from cchc.accounts import access, scope
from cchc.accounts.models import Role
from cchc.core import clock, pagecache
from cchc.plans.models import Area, Target
from cchc.reports import services
from cchc.reports.forms import FiguresForm, NarrativeForm
from cchc.reports.models import Report, ReportFigure, ReportPeriod
from cchc.reports.obligations import DUE_FIELD
from cchc.reports.periods import DueDays
from cchc.reports.statistics import all_statistics
from cchc.review import services as review
from cchc.review.models import ReviewState
from cchc.review.states import ACTION_LABELS, Action, TransitionError
from cchc.units.models import Unit, UnitKind

REPORT_RELATED = ("unit", "unit__parent", "period", "submitted_by", "reviewed_by", "prepared_by")


def report_queryset():
    return Report.objects.select_related(*REPORT_RELATED)


def selected_year(request) -> int:
    """The year asked for, else the latest year with periods up to this one."""
    value = request.GET.get("year", "")
    if value.isdigit() and 2000 <= int(value) <= 2100:
        return int(value)
    years = ReportPeriod.objects.filter(year__lte=clock.today().year).order_by("-year")
    return years.values_list("year", flat=True).first() or clock.today().year


def cell(report: Report | None, due: dt.date, today: dt.date) -> dict:
    """What a matrix cell says: the (visible) report's state, or not submitted; on time, late or pending."""
    status = report.status if report else None
    submitted = status in (ReviewState.SUBMITTED, ReviewState.ACCEPTED) or (report and report.first_submitted_at)
    if report and report.on_time is not None:
        timing = "on_time" if report.on_time else "late"
    elif not submitted and due < today:
        timing = "late"
    else:
        timing = None
    return {"report": report, "status": status, "due": due, "timing": timing}


class ReportPeriodsCreateView(LoginRequiredMixin, View):
    """Sở Nội vụ creates the four report periods of a year from the page (what `cchc create_report_periods YEAR`
    does, through the same service): deadlines per level from the settings, the structure valid in each period
    deciding the communes' deadline; periods already there are left as they are."""

    def post(self, request):
        if not access.may(request.user, "manage_reference_data"):
            raise PermissionDenied(_("Only the province administrator creates report periods."))
        raw = (request.POST.get("year") or "").strip()
        if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
            messages.error(request, _("Year: %(value)s is not a year between 2000 and 2100.") % {"value": raw or "—"})
            return redirect("reports:index")
        year = int(raw)
        try:
            days = DueDays.from_settings()
        except ValueError as exc:
            messages.error(request, str(exc))
            return redirect("reports:index")
        created, kept = services.create_periods(year, days)
        messages.success(
            request,
            _("Report periods %(year)s: %(created)s created, %(kept)s already present.")
            % {"year": year, "created": created, "kept": kept},
        )
        return redirect(f"{reverse('reports:index')}?year={year}")


class ReportIndexView(LoginRequiredMixin, View):
    """The year's periods; a unit's own reports; for the province and district officers, who has reported."""

    def get(self, request):
        year = selected_year(request)
        today = clock.today()
        periods = list(ReportPeriod.objects.filter(year=year))
        unit = scope.own_unit(request.user)
        own_rows = []
        if unit is not None and unit.kind in DUE_FIELD:
            own = {r.period_id: r for r in report_queryset().filter(unit=unit, period__in=periods)}
            own_rows = [
                {"period": period, **cell(own.get(period.pk), period.due_for(unit), today)} for period in periods
            ]
        context = {
            "year": year,
            "years": sorted(set(ReportPeriod.objects.values_list("year", flat=True))),
            "periods": periods,
            "unit": unit,
            "own_rows": own_rows,
            # The review queue is linked only for those who have one (administrators, district officers).
            "has_review_queue": scope.is_administrator(request.user) or bool(scope.reviewed_unit_ids(request.user)),
            "can_open": unit is not None and access.may(request.user, "change", unit) and unit.kind in DUE_FIELD,
            "today": today,
            "can_create_periods": access.may(request.user, "manage_reference_data"),
        }
        years = context["years"]
        context["next_year"] = max([*years, today.year - 1]) + 1 if years else today.year
        # Who has reported, as this viewer's scope sees it on this day: kept per data version (cchc.core.pagecache).
        context["matrix_html"] = pagecache.fragment(
            "reports:matrix",
            (
                year,
                access.scope_key(request.user),
                today.isoformat(),
                request.GET.get("kind", ""),
                request.GET.get("status", ""),
                context["has_review_queue"],
            ),
            lambda: render_to_string(
                "reports/_matrix.html",
                {
                    "year": year,
                    "periods": periods,
                    "has_review_queue": context["has_review_queue"],
                    **self.matrix(request, periods, today),
                },
            ),
        )
        return render(request, "reports/index.html", context)

    def matrix(self, request, periods, today) -> dict:
        user = request.user
        if access.may(user, "see_whole_province"):
            kinds = [UnitKind.DEPARTMENT, UnitKind.DISTRICT]
            kind = request.GET.get("kind") if request.GET.get("kind") in kinds else None
            units = Unit.objects.filter(kind__in=[kind] if kind else kinds, is_scored=True)
        elif scope.role(user) == Role.DISTRICT_OFFICER and scope.reviewed_unit_ids(user):
            kinds, kind = [], None
            units = Unit.objects.filter(pk__in=scope.reviewed_unit_ids(user))
        else:
            return {"matrix": None}
        if periods:
            units = units.valid_on(periods[-1].data_to)
        units = list(units.order_by("kind", "sort_order", "code"))
        visible = report_queryset().filter(period__in=periods, unit__in=units).restrict(user)
        found = {(r.unit_id, r.period_id): r for r in visible}
        status_filter = request.GET.get("status", "")
        rows = []
        for unit in units:
            cells = [cell(found.get((unit.pk, p.pk)), p.due_for(unit), today) for p in periods]
            if status_filter and not any(self.matches(c, status_filter) for c in cells):
                continue
            rows.append({"unit": unit, "cells": cells})
        return {
            "matrix": rows,
            "kinds": [(k, UnitKind(k).label) for k in kinds],
            "kind": kind,
            "status_filter": status_filter,
            "status_choices": [("missing", _("Not submitted")), *ReviewState.choices[1:], ("late", _("Late"))],
        }

    @staticmethod
    def matches(c: dict, wanted: str) -> bool:
        if wanted == "missing":
            return c["status"] in (None, ReviewState.DRAFT)
        if wanted == "late":
            return c["timing"] == "late"
        return c["status"] == wanted


class ReportOpenView(LoginRequiredMixin, View):
    """Open the own unit's report for a period, creating the draft the first time."""

    def post(self, request):
        period = get_object_or_404(ReportPeriod, pk=request.POST.get("period"))
        unit = scope.own_unit(request.user)
        if unit is None or unit.kind not in DUE_FIELD or not access.may(request.user, "change", unit):
            raise PermissionDenied(_("Only the unit's own accounts open its report."))
        report = services.open_report(unit, period)
        return redirect(report)


def figure_groups(report: Report, form: FiguresForm | None, values: dict) -> list[dict]:
    """The report's figures grouped by reform area, each with the plan target it measures and the unit's threshold."""
    stats = services.statistics_of(report)
    areas = {a.number: a for a in Area.objects.filter(plan__year=report.period.year)}
    targets = {
        t.code: t
        for t in Target.objects.filter(plan__year=report.period.year, code__in={s.target for s in stats if s.target})
        .select_related("plan")
        .prefetch_related("thresholds")
    }
    level = report.unit.level
    groups: dict[int, list] = defaultdict(list)
    for stat in stats:
        target = targets.get(stat.target)
        threshold = None
        if target:
            by_level = {t.level: t for t in target.thresholds.all()}
            threshold = by_level.get(level) or by_level.get("province")
        groups[stat.area].append(
            {
                "stat": stat,
                "field": form[stat.code] if form else None,
                "value": values.get(stat.code),
                "target": target,
                "threshold": threshold,
                # The days the value covers: the report's window, or the year so far (statistics.yaml accumulation)
                "covers": stat.covers(report.period.data_from, report.period.data_to),
            }
        )
    return [{"number": n, "area": areas.get(n), "rows": rows} for n, rows in sorted(groups.items())]


def displayed_tasks(report: Report) -> tuple[list[dict], bool]:
    """(tasks, from the snapshot): what a submitted or accepted report said, else the unit's tasks today."""
    if report.status in (ReviewState.SUBMITTED, ReviewState.ACCEPTED) and report.task_snapshot is not None:
        rows = []
        for row in report.task_snapshot:
            row = dict(row)
            for key in ("due", "completed_on"):
                if isinstance(row.get(key), str):
                    row[key] = parse_date(row[key])
            rows.append(row)
        return rows, True
    return services.tasks_now(report), False


def commune_summary(report: Report, user) -> dict | None:
    """On a district's report: its communes' reports for the same period and the sum of their accepted figures."""
    if report.unit.kind != UnitKind.DISTRICT:
        return None
    period = report.period
    communes = list(
        Unit.objects.valid_on(period.data_to).filter(parent=report.unit, kind=UnitKind.COMMUNE).order_by("sort_order")
    )
    visible = report_queryset().filter(period=period, unit__in=communes).restrict(user)
    found = {r.unit_id: r for r in visible}
    today = clock.today()
    rows = [{"unit": c, **cell(found.get(c.pk), period.due_commune, today)} for c in communes]
    accepted = visible.filter(status=ReviewState.ACCEPTED)
    totals = {
        row["code"]: row
        for row in ReportFigure.objects.filter(report__in=accepted)
        .values("code")
        .annotate(total=Sum("value"), mean=Avg("value"), n=Count("id"))
    }
    sums = [
        {"stat": stat, **totals[stat.code]}
        for stat in all_statistics()
        if "commune" in stat.unit_kinds and stat.code in totals
    ]
    return {"rows": rows, "sums": sums, "accepted": sum(1 for r in rows if r["status"] == ReviewState.ACCEPTED)}


class ReportDetailView(LoginRequiredMixin, View):
    def get_report(self, request, pk) -> Report:
        return get_object_or_404(report_queryset().restrict(request.user), pk=pk)

    def get(self, request, pk):
        report = self.get_report(request, pk)
        return self.render(request, report)

    def render(self, request, report, narrative=None, figures=None, errors=None, status=200):
        user = request.user
        editable = services.may_edit(user, report)
        values = services.figure_values(report)
        if editable:
            if narrative is None:
                narrative = NarrativeForm(instance=report)
            if figures is None:
                figures = FiguresForm(statistics=services.statistics_of(report), initial_values=values)
        tasks, from_snapshot = displayed_tasks(report)
        context = {
            "report": report,
            "period": report.period,
            "unit": report.unit,
            "due": report.due_date(),
            "editable": editable,
            "narrative": narrative,
            "figures_form": figures,
            "sections": [
                (Report._meta.get_field(n).verbose_name, getattr(report, n)) for n in services.NARRATIVE_FIELDS
            ],
            "groups": figure_groups(report, figures if editable else None, values),
            "errors": errors or {},
            # Cross-checks the saved figures still fail: the draft is kept, the hand-over waits for them.
            "check_warnings": services.check_warnings(report) if editable and not errors else {},
            "can_send": editable and scope.role(user) != Role.HEAD,
            "can_submit": report.is_editable and review.may(user, report, Action.SUBMIT),
            "can_review": report.status == ReviewState.SUBMITTED and review.may(user, report, Action.ACCEPT),
            "can_reopen": review.may(user, report, Action.REOPEN),
            "tasks": tasks,
            "tasks_from_snapshot": from_snapshot,
            "timeline": review.history(report),
            "communes": commune_summary(report, user),
        }
        return render(request, "reports/detail.html", context, status=status)

    def post(self, request, pk):
        report = self.get_report(request, pk)
        action = request.POST.get("action", "")
        if report.is_locked and action == Action.REOPEN:
            return self.act(request, report, action)
        if report.is_locked:
            raise PermissionDenied(_("An accepted report is locked."))
        report.check_version(request.POST.get("version"))  # changed since the page was shown: 409, reload
        if action in ("save", "send"):
            return self.save(request, report, send=action == "send")
        if action in (Action.SUBMIT, Action.ACCEPT, Action.RETURN):
            return self.act(request, report, action)
        return HttpResponseBadRequest(_("Unknown action."))

    def save(self, request, report, send: bool):
        """Store what was typed (each figure must be a number of its kind); a cross-check that still fails does not
        stop the save, only the hand-over to the head (and the submission)."""
        if not services.may_edit(request.user, report):
            raise PermissionDenied(_("This report cannot be changed by you in its present state."))
        narrative = NarrativeForm(request.POST, instance=report)
        figures = FiguresForm(request.POST, statistics=services.statistics_of(report))
        if not (narrative.is_valid() and figures.is_valid()):
            messages.error(request, _("Nothing was saved: correct the fields marked below."))
            return self.render(request, report, narrative, figures, status=400)
        with transaction.atomic():
            services.save(request.user, report, narrative.cleaned_data, figures.values)
        if send:
            try:
                services.send_to_head(request.user, report)
            except services.ReportInvalid as exc:
                messages.error(
                    request, _("Saved as a draft, but not sent to the head: correct the fields marked below.")
                )
                return self.render(request, report, errors=exc.errors, status=400)
            messages.success(request, _("Sent to the head for submission."))
            return redirect(report)
        warnings = services.check_warnings(report)
        if warnings:
            messages.warning(
                request,
                _("Saved. Before it can be sent to the head, correct: %(checks)s")
                % {"checks": " ".join(m for msgs in warnings.values() for m in msgs)},
            )
        else:
            messages.success(request, _("Saved."))
        return redirect(report)

    def act(self, request, report, action):
        if not review.may(request.user, report, action):
            raise PermissionDenied(_("You may not do this for this unit."))
        try:
            services.act(request.user, report, action, request.POST.get("comment", ""))
        except services.ReportInvalid as exc:
            messages.error(request, _("The report is not complete: %(errors)s") % {"errors": exc})
            return self.render(request, report, errors=exc.errors, status=400)
        except TransitionError as exc:
            messages.error(request, str(exc))
            return self.render(request, report, status=400)
        messages.success(
            request, _("%(action)s: %(report)s") % {"action": ACTION_LABELS[Action(action)], "report": report}
        )
        # A returned report stays visible to its reviewer (cchc.restriction.REVIEWER_STATES): back to the report.
        return redirect(report)


class ReviewQueueView(LoginRequiredMixin, View):
    """Submitted reports waiting for this reviewer: departments and districts for Sở Nội vụ, communes for their
    district's officer."""

    def get(self, request):
        user = request.user
        reports = report_queryset().filter(status=ReviewState.SUBMITTED)
        if scope.is_administrator(user):
            reports = reports.exclude(unit__kind=UnitKind.COMMUNE)
        elif scope.reviewed_unit_ids(user):
            reports = reports.filter(unit__in=scope.reviewed_unit_ids(user))
        else:
            raise PermissionDenied(_("Only reviewers have a review queue."))
        reports = reports.restrict(user).order_by("submitted_at")
        return render(request, "reports/review.html", {"reports": reports})
