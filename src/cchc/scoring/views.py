"""Pages of the PAR index: a unit's scoring sheet, the council's worklist, the ranking, the criteria sets.

Every sheet is fetched through services.visible_assessments (another unit's draft is a 404); every step goes through
cchc.scoring.services, which checks who acts and what the state allows (a forbidden step is a 403; a final sheet
answers 403 to any POST).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO

import yaml
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from cchc.accounts import access, scope
from cchc.accounts.models import Role
from cchc.core import clock
from cchc.scoring import criteria, forms, index, services, sets
from cchc.scoring.models import Assessment, CriteriaSet, Evidence, Method, Score, ScoreSource, SetKind
from cchc.scoring.queries import visible_ranking
from cchc.scoring.workflow import Action, LockedError, ScoringError, State
from cchc.units.models import Unit, UnitKind


def unit_for_year(code: str, year: int) -> Unit | None:
    """The unit with this code that existed during the year (the latest version when it was reorganised)."""
    return Unit.objects.in_year(year).filter(code=code, kind__in=SetKind.values).order_by("-valid_from").first()


# --- the scoring sheet ---------------------------------------------------------------------------------------------


def method_label(criterion) -> str:
    return Method(criterion.method).label if criterion.method in Method.values else ""


class SheetMixin(LoginRequiredMixin):
    def locate(self) -> tuple[CriteriaSet, Unit]:
        """The criteria set and the unit the address names."""
        year, code = self.kwargs["year"], self.kwargs["code"]
        unit = unit_for_year(code, year)
        if unit is None:
            raise Http404
        criteria_set = services.set_for(year, unit.kind)
        if criteria_set is None:
            raise Http404(_("There is no criteria set for this year and kind of unit."))
        return criteria_set, unit

    def may_open(self, unit: Unit) -> bool:
        """The unit's own staff open its sheet (and open its draft again)."""
        return access.may(self.request.user, "change", unit)

    def get_assessment(self, unopened_ok: bool = False) -> Assessment:
        """The unit's sheet as this account may see it. A sheet not opened yet is SheetUnopened for the unit's staff
        when `unopened_ok` (the page offers to open it: a GET never writes), 404 otherwise."""
        criteria_set, unit = self.locate()
        visible = services.visible_assessments(self.request.user, criteria_set).filter(unit=unit)
        found = visible.select_related("criteria_set", "unit").first()
        if found is not None:
            return found
        if unopened_ok and self.may_open(unit):
            raise SheetUnopened(criteria_set, unit)
        raise Http404


class SheetUnopened(Exception):
    """The unit's sheet does not exist yet; its staff may open it."""

    def __init__(self, criteria_set, unit):
        self.criteria_set, self.unit = criteria_set, unit
        super().__init__(str(unit))


def sheet_context(request, assessment: Assessment, errors: dict | None = None, posted=None) -> dict:
    user = request.user
    actions = services.allowed(user, assessment)
    errors = errors or {}
    can_fill = Action.FILL in actions
    can_appraise = Action.APPRAISE in actions
    can_explain = Action.EXPLAIN in actions
    stage = "final" if assessment.status == State.FINAL else "current"
    result = services.index_of(assessment, stage)
    rows = []
    for row in services.sheet(assessment):
        criterion, score = row["criterion"], row["score"]
        code = criterion.code
        row["method_label"] = method_label(criterion)
        row["errors"] = errors.get(code, {})
        if not row["is_leaf"]:
            part = result.areas.get(code) if criterion.depth == 0 else None
            row["part"] = part
            row["part_index"] = index.shown(part.index) if part else None
        elif score is not None:
            own = score.source == ScoreSource.SELF
            row["self_scored"] = own
            row["edit_self"] = can_fill and own
            row["edit_appraisal"] = can_appraise and own and not score.not_applicable
            row["edit_explanation"] = can_explain
            row["upload"] = own and (can_fill or can_explain)
            row["values"] = row_values(score, posted)
        rows.append(row)
    areas = [
        {"criterion": row["criterion"], "part": row["part"], "index": row["part_index"]}
        for row in rows
        if not row["is_leaf"] and row["criterion"].depth == 0 and row.get("part")
    ]
    return {
        "assessment": assessment,
        "timeline": services.timeline(assessment),
        "criteria_set": assessment.criteria_set,
        "unit": assessment.unit,
        "rows": rows,
        "areas": areas,
        "result": result,
        "index": index.shown(result.index),
        "band": index.band_for(result.index, assessment.criteria_set.bands),
        "actions": actions,
        "can_fill": can_fill,
        "can_submit": Action.SUBMIT in actions,
        "can_appraise": can_appraise,
        "can_explain": can_explain,
        "can_finalise": Action.FINALISE in actions,
        "is_council": services.is_council(user, assessment.unit),
        "errors": errors,
        "error_list": [(code, message) for code, fields in sorted(errors.items()) for message in fields.values()],
        "editing": can_fill or can_appraise or can_explain,
    }


def row_values(score: Score, posted) -> dict:
    """What the row's inputs show: the posted values when the page comes back with errors, else the stored ones."""
    code = score.criterion.code

    def pick(prefix, stored):
        name = forms.field_name(prefix, code)
        if posted is not None and name in posted:
            return posted.get(name)
        return "" if stored is None else stored

    appraised = score.appraised_score
    if appraised is None and score.self_score is not None and not score.not_applicable:
        appraised = score.self_score  # the council starts from the self-score
    return {
        "self": pick("self", score.self_score),
        "note": pick("note", score.self_note),
        "why": pick("why", score.explanation_missing_evidence),
        "na": (forms.field_name("na", code) in posted) if posted is not None else score.not_applicable,
        "appraised": pick("appraised", appraised),
        "appraisal_note": pick("appraisal-note", score.appraisal_note),
        "explain": pick("explain", score.unit_explanation),
    }


class SheetView(SheetMixin, View):
    """The unit's sheet: the criteria tree with self, appraised and final scores, evidence and the live index."""

    template_name = "scoring/sheet.html"

    def get(self, request, *args, **kwargs):
        try:
            assessment = self.get_assessment(unopened_ok=True)
        except SheetUnopened as unopened:
            context = {"criteria_set": unopened.criteria_set, "unit": unopened.unit}
            try:
                services.check_open(unopened.criteria_set, unopened.unit)
            except ScoringError as error:  # e.g. the set is still a draft
                return render(request, "scoring/closed.html", dict(context, message=str(error)), status=404)
            return render(request, "scoring/unopened.html", context)
        return render(request, self.template_name, sheet_context(request, assessment))

    def post(self, request, *args, **kwargs):
        """Save the rows: the self-assessment (unit), the appraisal (council) or the unit's explanation."""
        assessment = self.get_assessment()
        if assessment.is_locked:
            raise PermissionDenied(_("This assessment is final and locked."))
        action = request.POST.get("action", "save")
        actions = services.allowed(request.user, assessment)
        step = {"save": Action.FILL, "appraise": Action.APPRAISE, "explain": Action.EXPLAIN}.get(action)
        if step is None:
            return HttpResponse(_("Unknown action."), status=400)
        if step not in actions:
            raise PermissionDenied(_("You may not do this on this sheet in its present state."))
        assessment.check_version(request.POST.get("version"))  # changed since the page was shown: 409, reload
        scores = list(services.scores_of(assessment))
        try:
            with transaction.atomic():
                assessment.touch()  # the rows are the sheet's: a submit or appraisal meanwhile is a conflict
                errors = self.apply(request, assessment, step, scores)
                if errors:
                    raise Rollback(errors)
        except Rollback as stop:
            assessment.refresh_from_db(fields=["version"])  # touch() was rolled back: the form shows the stored one
            messages.error(request, _("Nothing was saved: correct the rows marked below."))
            context = sheet_context(request, assessment, stop.errors, posted=request.POST)
            return render(request, self.template_name, context, status=400)
        except LockedError as error:  # finalised by the council meanwhile
            raise PermissionDenied(str(error)) from None
        except ScoringError as error:
            assessment.refresh_from_db(fields=["version"])
            messages.error(request, str(error))
            return render(request, self.template_name, sheet_context(request, assessment), status=400)
        messages.success(
            request,
            {
                Action.FILL: _("The self-assessment was saved."),
                Action.APPRAISE: _("The appraisal was saved; the unit can now see it."),
                Action.EXPLAIN: _("Your explanation was sent to the appraisal council."),
            }[step],
        )
        return redirect(reverse("scoring:sheet", args=[assessment.criteria_set.year, assessment.unit.code]))

    def apply(self, request, assessment, step, scores) -> dict:
        """Do the step; return {code: {field: message}} (then everything is rolled back)."""
        user, data = request.user, request.POST
        errors: dict = {}
        if step in (Action.FILL, Action.EXPLAIN):
            for score, uploaded in forms.uploads(request.FILES, scores):
                try:
                    services.add_evidence(score, user, uploaded)
                except ValidationError as error:
                    errors.setdefault(score.criterion.code, {})["evidence"] = " ".join(error.messages)
        try:
            if step == Action.FILL:
                services.save_self_scores(assessment, user, forms.self_rows(data, scores))
            elif step == Action.APPRAISE:
                services.appraise(assessment, user, forms.appraisal_rows(data, scores))
            elif step == Action.EXPLAIN:
                services.explain(assessment, user, forms.explanation_rows(data, scores))
        except ScoringError as error:
            row_errors = getattr(error, "errors", None)
            if not row_errors:
                raise
            for code, fields in row_errors.items():
                errors.setdefault(code, {}).update(fields)
        return errors


class Rollback(Exception):
    """Row errors found after some writes: leaving the atomic block through this undoes them."""

    def __init__(self, errors: dict):
        self.errors = errors
        super().__init__(errors)


class SheetActionView(SheetMixin, View):
    """Submit (the unit's head) and finalise (the council): the steps without rows."""

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "")
        if action == "open":
            return self.open(request)
        assessment = self.get_assessment()
        if assessment.is_locked:
            raise PermissionDenied(_("This assessment is final and locked."))
        assessment.check_version(request.POST.get("version"))
        url = reverse("scoring:sheet", args=[assessment.criteria_set.year, assessment.unit.code])
        try:
            if action == Action.SUBMIT:
                if assessment.status == State.DRAFT:  # what is sent carries the computed sub-criteria of today
                    services.open_assessment(assessment.criteria_set, assessment.unit)
                services.submit(assessment, request.user, today=clock.today())
                messages.success(request, _("The self-assessment was submitted to the appraisal council."))
            elif action == Action.FINALISE:
                services.finalise(assessment, request.user)
                messages.success(request, _("The scores are final and locked."))
            else:
                return HttpResponse(_("Unknown action."), status=400)
        except LockedError as error:
            raise PermissionDenied(str(error)) from None
        except ScoringError as error:
            errors = getattr(error, "errors", None) or {}
            messages.error(request, str(error))
            return render(request, SheetView.template_name, sheet_context(request, assessment, errors), status=400)
        return redirect(url)

    def open(self, request):
        """Open the unit's sheet (a row for every sub-criterion, the surveys filled in, the computed sub-criteria
        computed), or open its draft again: criteria added to the set since, computed sub-criteria refreshed."""
        criteria_set, unit = self.locate()
        if not self.may_open(unit):
            raise Http404  # as the page: another unit's sheet is not there for this account
        existing = Assessment.objects.filter(criteria_set=criteria_set, unit=unit).first()
        if existing is not None and existing.status != State.DRAFT:
            raise PermissionDenied(_("Only a draft sheet is opened again."))
        try:
            services.open_assessment(criteria_set, unit)
        except ScoringError as error:
            context = {"criteria_set": criteria_set, "unit": unit, "message": str(error)}
            return render(request, "scoring/closed.html", context, status=400)
        if existing is None:
            messages.success(request, _("The sheet is open: fill in the self-assessment."))
        else:
            messages.success(request, _("The computed sub-criteria were refreshed and new criteria added."))
        return redirect(reverse("scoring:sheet", args=[criteria_set.year, unit.code]))


class EvidenceDownloadView(LoginRequiredMixin, View):
    """An evidence file, for those who may see the sheet (never a public media address)."""

    def get(self, request, pk):
        visible = services.visible_assessments(request.user)
        evidence = get_object_or_404(Evidence.objects.filter(score__assessment__in=visible), pk=pk)
        return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name)


class HomeView(LoginRequiredMixin, View):
    """The unit's own sheet of the latest year; the council's worklist; otherwise the ranking."""

    def get(self, request):
        latest = CriteriaSet.objects.order_by("-year").values_list("year", flat=True).first()
        if latest is None:
            raise Http404(_("No criteria set has been loaded yet."))
        unit = scope.own_unit(request.user)
        if scope.is_administrator(request.user) or scope.role(request.user) == Role.DISTRICT_OFFICER:
            return redirect("scoring:worklist", latest)
        if unit is not None and unit.kind in SetKind.values and access.may(request.user, "change", unit):
            # the latest year with a set for the unit's kind in which the unit existed (a district closed in 2025
            # finds its 2023 sheet, not a 404 on a year without it)
            years = CriteriaSet.objects.filter(kind=unit.kind).order_by("-year").values_list("year", flat=True)
            for year in years:
                if unit_for_year(unit.code, year) is not None:
                    return redirect("scoring:sheet", year, unit.code)
        return redirect("scoring:ranking", latest)


# --- the council's worklist ----------------------------------------------------------------------------------------


class WorklistView(LoginRequiredMixin, View):
    """Every unit this council appraises, with where its sheet stands (drafts are shown as not submitted)."""

    def get(self, request, year):
        user = request.user
        if scope.is_administrator(user):
            kinds = [UnitKind.DEPARTMENT, UnitKind.DISTRICT]
            units = Unit.objects.filter(kind__in=kinds)
        elif scope.reviewed_unit_ids(user):
            units = Unit.objects.filter(pk__in=scope.reviewed_unit_ids(user), kind=UnitKind.COMMUNE)
        else:
            raise PermissionDenied(_("Only an appraisal council has a worklist."))
        units = units.filter(is_scored=True).valid_on(dt.date(year, 12, 31)).order_by("kind", "sort_order", "code")
        sets_by_kind = {s.kind: s for s in CriteriaSet.objects.filter(year=year)}
        assessments = (
            services.visible_assessments(user)
            .filter(criteria_set__year=year, unit__in=units)
            .exclude(status=State.DRAFT)
            .annotate(
                submitted_at=services.submitted_at(),
                rows=Count("scores", filter=Q(scores__source=ScoreSource.SELF)),
                appraised_rows=Count(
                    "scores", filter=Q(scores__source=ScoreSource.SELF, scores__appraised_score__isnull=False)
                ),
            )
        )
        found = {a.unit_id: a for a in assessments}
        on = clock.today()
        rows = []
        for unit in units:
            criteria_set = sets_by_kind.get(unit.kind)
            assessment = found.get(unit.pk)
            due = criteria_set.self_assessment_due if criteria_set else None
            if assessment is not None and assessment.on_time is not None:
                timing = "on_time" if assessment.on_time else "late"
            elif assessment is None and due is not None and due < on:
                timing = "late"
            else:
                timing = None
            rows.append({"unit": unit, "set": criteria_set, "assessment": assessment, "due": due, "timing": timing})
        status = request.GET.get("status", "")
        if status == "waiting":
            rows = [r for r in rows if r["assessment"] and r["assessment"].status != State.FINAL]
        elif status == "missing":
            rows = [r for r in rows if r["assessment"] is None]
        context = {
            "year": year,
            "rows": rows,
            "status": status,
            "counts": {
                "submitted": sum(1 for r in rows if r["assessment"]),
                "final": sum(1 for r in rows if r["assessment"] and r["assessment"].status == State.FINAL),
                "total": len(rows),
            },
            "years": sorted(set(CriteriaSet.objects.values_list("year", flat=True)), reverse=True),
        }
        return render(request, "scoring/worklist.html", context)


# --- ranking -------------------------------------------------------------------------------------------------------


def ranking_set(year: int, kind: str | None) -> tuple[CriteriaSet, list[CriteriaSet]]:
    available = list(CriteriaSet.objects.filter(year=year).order_by("kind"))
    if not available:
        raise Http404(_("There is no criteria set for this year."))
    by_kind = {s.kind: s for s in available}
    chosen = by_kind.get(kind or "") or by_kind.get(SetKind.DISTRICT) or available[0]
    return chosen, available


def pending_sheets(user, criteria_set):
    """Sheets not final yet: every one for the publisher (who must finalise or leave each out), else only those
    the account may see (never a count of other units' sheets)."""
    sheets = Assessment.objects.filter(criteria_set=criteria_set, excluded=False).exclude(status=State.FINAL)
    if not access.may(user, "publish_results"):
        sheets = sheets.restrict(user)
    return sheets.select_related("unit").order_by("unit__sort_order", "unit__code")


class RankingView(LoginRequiredMixin, View):
    def get(self, request, year):
        criteria_set, available = ranking_set(year, request.GET.get("kind"))
        found = visible_ranking(request.user, criteria_set)
        visible = found is not None
        rows, areas = found or ([], [])
        sort = request.GET.get("sort", "rank")
        if sort == "unit":
            rows.sort(key=lambda r: r["unit_name"])
        elif sort == "change":
            rows.sort(key=lambda r: (r["delta"] is None, -(r["delta"] or Decimal(0))))
        else:
            sort = "rank"
        chart = {
            "labels": [r["unit_name"] for r in rows],
            "index": [float(r["shown"]) if r["shown"] is not None else None for r in rows],
            "previous": [float(r["previous_index"]) if r["previous_index"] is not None else None for r in rows],
        }
        context = {
            "year": year,
            "criteria_set": criteria_set,
            "sets": available,
            "kind": criteria_set.kind,
            "visible": visible,
            "rows": rows,
            "areas": areas,
            "chart": chart,
            "sort": sort,
            "can_publish": access.may(request.user, "publish_results") and not criteria_set.is_published,
            "pending": list(pending_sheets(request.user, criteria_set)),
            # A unit's name links to its sheet only where the account may open it (drafts are their unit's own).
            "openable": set(
                Assessment.objects.filter(criteria_set=criteria_set)
                .restrict(request.user)
                .values_list("unit__code", flat=True)
            ),
        }
        return render(request, "scoring/ranking.html", context)


class PublishView(LoginRequiredMixin, View):
    def post(self, request, year):
        criteria_set, _available = ranking_set(year, request.POST.get("kind"))
        if not access.may(request.user, "publish_results"):
            raise PermissionDenied(_("Only the province administrator (Sở Nội vụ) publishes the results."))
        # a unit whose sheet is not final may be left out of the ranking, with the reason written on the form
        excluded = {
            int(key.removeprefix("exclude-")): value.strip()
            for key, value in request.POST.items()
            if key.startswith("exclude-") and key.removeprefix("exclude-").isdigit() and value.strip()
        }
        try:
            services.publish(criteria_set, request.user, excluded)
        except ScoringError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The results were published."))
        return redirect(f"{reverse('scoring:ranking', args=[year])}?kind={criteria_set.kind}")


class PublishedDownloadMixin(LoginRequiredMixin):
    def published_set(self, request, year) -> CriteriaSet:
        criteria_set, _available = ranking_set(year, request.GET.get("kind"))
        if not criteria_set.is_published:
            raise Http404(_("The results of this set are not published yet."))
        return criteria_set


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class AnnexDownloadView(PublishedDownloadMixin, View):
    """The Word annex of the decision publishing the results."""

    def get(self, request, year):
        from cchc.scoring import exports

        criteria_set = self.published_set(request, year)
        content = exports.annex_docx(criteria_set)
        return attachment(content, DOCX, f"phu-luc-chi-so-cchc-{criteria_set.kind}-{year}.docx")


class TableDownloadView(PublishedDownloadMixin, View):
    def get(self, request, year):
        from cchc.scoring import exports

        criteria_set = self.published_set(request, year)
        content = exports.results_xlsx(criteria_set)
        return attachment(content, XLSX, f"chi-so-cchc-{criteria_set.kind}-{year}.xlsx")


def attachment(content: bytes, content_type: str, filename: str) -> FileResponse:
    return FileResponse(BytesIO(content), as_attachment=True, filename=filename, content_type=content_type)


# --- criteria sets (administrators) --------------------------------------------------------------------------------


class AdministratorMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not access.may(request.user, "manage_reference_data"):
            raise PermissionDenied(_("Only the province administrator manages criteria sets."))
        return super().dispatch(request, *args, **kwargs)


class SetListView(AdministratorMixin, View):
    def get(self, request):
        return render(request, "scoring/sets.html", self.context())

    @staticmethod
    def context(**extra) -> dict:
        criteria_sets = CriteriaSet.objects.annotate(
            criteria_count=Count("criteria", distinct=True), assessment_count=Count("assessments", distinct=True)
        ).order_by("-year", "kind")
        years = sorted({s.year for s in criteria_sets}, reverse=True)
        latest = years[0] if years else clock.today().year
        return {
            "sets": criteria_sets,
            "import_form": extra.pop("import_form", None) or forms.SetImportForm(),
            "copy_form": extra.pop("copy_form", None)
            or forms.SetCopyForm(initial={"from_year": latest, "to_year": latest + 1}),
            **extra,
        }


def read_upload(uploaded) -> criteria.SetSpec:
    """The uploaded file validated by criteria.py (CriteriaError lists every problem by path or row)."""
    name = (uploaded.name or "").lower()
    if name.endswith(".xlsx"):
        return criteria.parse(criteria.read_xlsx(uploaded))
    try:
        data = yaml.safe_load(uploaded.read().decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise criteria.CriteriaError([f"{uploaded.name}: not valid YAML ({error})"]) from None
    return criteria.parse(data)


class SetImportView(AdministratorMixin, View):
    def post(self, request):
        form = forms.SetImportForm(request.POST, request.FILES)
        problems: list[str] = []
        if form.is_valid():
            try:
                spec = read_upload(form.cleaned_data["file"])
                criteria_set = sets.load(spec, replace=form.cleaned_data["replace"])
            except criteria.CriteriaError as error:
                problems = list(error.errors)
            except ScoringError as error:
                problems = [str(error)]
            else:
                messages.success(request, _("The criteria set was imported."))
                return redirect("scoring:set", criteria_set.pk)
        context = SetListView.context(import_form=form, import_errors=problems)
        return render(request, "scoring/sets.html", context, status=400)


class SetCopyView(AdministratorMixin, View):
    def post(self, request):
        form = forms.SetCopyForm(request.POST)
        if form.is_valid():
            try:
                copies = sets.copy(form.cleaned_data["from_year"], form.cleaned_data["to_year"])
            except (ScoringError, criteria.CriteriaError) as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("%(count)d criteria sets were copied to %(year)d as drafts.")
                    % {"count": len(copies), "year": form.cleaned_data["to_year"]},
                )
                return redirect("scoring:sets")
        return render(request, "scoring/sets.html", SetListView.context(copy_form=form), status=400)


class SetDetailView(AdministratorMixin, View):
    def get(self, request, pk):
        criteria_set = get_object_or_404(CriteriaSet, pk=pk)
        nodes = list(criteria_set.criteria.order_by("order"))
        totals = [
            (Method(method).label if method in Method.values else method, value)
            for method, value in criteria.totals(sets.spec_of(criteria_set)).items()
        ]
        return render(
            request,
            "scoring/set.html",
            {
                "criteria_set": criteria_set,
                "nodes": [{"criterion": n, "method_label": method_label(n)} for n in nodes],
                "totals": totals,
            },
        )


class SetExportView(AdministratorMixin, View):
    def get(self, request, pk, fmt):
        criteria_set = get_object_or_404(CriteriaSet, pk=pk)
        if fmt not in ("yaml", "xlsx"):
            raise Http404
        content = sets.export(criteria_set, fmt)
        content_type = XLSX if fmt == "xlsx" else "application/yaml; charset=utf-8"
        return attachment(content, content_type, f"tieu-chi-{criteria_set.kind}-{criteria_set.year}.{fmt}")
