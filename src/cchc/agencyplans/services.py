"""Creating a unit's draft plan, checking it is complete before submission, and the province's overview."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from cchc.accounts import scope
from cchc.agencyplans.models import AgencyPlan, AgencyPlanItem, plan_due_date
from cchc.plans.assignment import tasks_for_unit
from cchc.plans.models import Plan
from cchc.review import services as review
from cchc.review.states import Action, State, TransitionError
from cchc.units.models import Unit, UnitKind

ISSUING_KINDS = (UnitKind.DEPARTMENT, UnitKind.DISTRICT)


def issuing_units(year: int) -> QuerySet[Unit]:
    """Departments and districts that existed in the plan year and report on the plan (TTHCC does not); under the
    two-level government, communes directly under the province file their own plans to Sở Nội vụ too."""
    in_year = Unit.objects.in_year(year)
    issuing = Q(kind__in=ISSUING_KINDS) | Q(kind=UnitKind.COMMUNE, parent__kind=UnitKind.PROVINCE)
    return in_year.filter(issuing, is_scored=True).order_by("kind", "sort_order", "code")


def issues_plan(unit: Unit) -> bool:
    under_province = unit.kind == UnitKind.COMMUNE and unit.parent is not None and unit.parent.kind == UnitKind.PROVINCE
    return (unit.kind in ISSUING_KINDS or under_province) and unit.is_scored


def unit_for_year(code: str, year: int) -> Unit | None:
    return issuing_units(year).filter(code=code).order_by("-valid_from").first()


def default_title(plan: Plan, unit: Unit) -> str:
    # The title of the signed document, in the language of the administration.
    return f"Kế hoạch cải cách hành chính năm {plan.year} của {unit.name}"


def create_draft(plan: Plan, unit: Unit) -> AgencyPlan:
    """The unit's plan, created on first opening as a draft listing the province tasks it carries out (with the
    province's due dates), which the unit then completes with who leads each one and its own additions."""
    existing = AgencyPlan.objects.filter(plan=plan, unit=unit).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            agency_plan = AgencyPlan.objects.create(plan=plan, unit=unit, title=default_title(plan, unit))
            AgencyPlanItem.objects.bulk_create(
                AgencyPlanItem(agency_plan=agency_plan, task=task, text=task.text, due=task.due, order=i)
                for i, task in enumerate(tasks_for_unit(unit, plan), start=1)
            )
    except IntegrityError:  # opened twice at the same moment: the other request created it
        return AgencyPlan.objects.get(plan=plan, unit=unit)
    return agency_plan


def missing_for_submission(agency_plan: AgencyPlan) -> list[str]:
    """What the unit must fill in before its head submits: the signed decision and its identification."""
    missing = []
    if not agency_plan.document_number.strip():
        missing.append(str(AgencyPlan._meta.get_field("document_number").verbose_name))
    if agency_plan.issued_on is None:
        missing.append(str(AgencyPlan._meta.get_field("issued_on").verbose_name))
    if not agency_plan.signed_document:
        missing.append(str(AgencyPlan._meta.get_field("signed_document").verbose_name))
    return missing


def act(agency_plan: AgencyPlan, action: str, user, comment: str = "", at: dt.datetime | None = None):
    """Hand to the head, submit, accept or return through the review workflow (at `at`, now by default); a hand-over
    and a submission must carry the signed plan.

    Raises PermissionDenied (not allowed for this account) or TransitionError (not possible now).
    """
    if action in (Action.SUBMIT, Action.HAND) and review.may(user, agency_plan, action):
        missing = missing_for_submission(agency_plan)
        if missing:
            raise TransitionError(_("Fill in before submitting: %(fields)s.") % {"fields": ", ".join(missing)})
    return review.apply(agency_plan, action, user, comment, at=at)


@dataclass
class OverviewRow:
    unit: Unit
    agency_plan: AgencyPlan | None  # None when not started, or when it is another unit's draft
    link: bool  # the account may open the plan's page
    status: str  # "not_submitted" for a plan not started or another unit's draft
    due: dt.date
    submitted_at: dt.datetime | None  # the first submission: the one that decides on-time
    on_time: bool | None
    days_late: int  # days past the due date without any submission, counted to `today`

    @property
    def is_late(self) -> bool:
        return self.days_late > 0 or self.on_time is False


NOT_SUBMITTED = "not_submitted"


def overview_row(
    unit: Unit, agency_plan: AgencyPlan | None, due: dt.date, today: dt.date, visible: bool = True
) -> OverviewRow:
    """What the province sees of a unit's plan. A plan returned for correction keeps the facts of its first
    submission (on time or not: the rule of cchc.review.states.on_time); another unit's draft shows as not
    submitted."""
    if agency_plan is not None and not visible and agency_plan.status == State.DRAFT:
        agency_plan = None
    submitted_at = agency_plan.first_submitted_at if agency_plan else None
    return OverviewRow(
        unit=unit,
        agency_plan=agency_plan,
        link=agency_plan is not None and visible,
        status=agency_plan.status if agency_plan else NOT_SUBMITTED,
        due=due,
        submitted_at=submitted_at,
        on_time=agency_plan.on_time if submitted_at else None,
        days_late=0 if submitted_at else max((today - due).days, 0),
    )


def overview(plan: Plan, user, today: dt.date, kind: str = "", status: str = "") -> list[OverviewRow]:
    """Every department and district the account may see, with its plan's state on `today` (three queries).

    `status` filters on not_submitted (draft or not started), returned, submitted, accepted or "late".
    """
    units = issuing_units(plan.year)
    visible_ids = scope.visible_unit_ids(user)
    if visible_ids is not None:
        units = units.filter(pk__in=visible_ids)
    if kind:
        units = units.filter(kind=kind)
    units = list(units)
    plans = {p.unit_id: p for p in AgencyPlan.objects.filter(plan=plan, unit__in=units).select_related("plan", "unit")}
    openable = set(AgencyPlan.objects.filter(plan=plan).restrict(user).values_list("pk", flat=True))
    due = plan_due_date(plan)
    rows = []
    for unit in units:
        agency_plan = plans.get(unit.pk)
        rows.append(
            overview_row(unit, agency_plan, due, today, visible=bool(agency_plan and agency_plan.pk in openable))
        )
    if status == "late":
        return [row for row in rows if row.is_late]
    if status == NOT_SUBMITTED:
        return [row for row in rows if row.status in (NOT_SUBMITTED, State.DRAFT)]
    if status:
        return [row for row in rows if row.status == status]
    return rows
