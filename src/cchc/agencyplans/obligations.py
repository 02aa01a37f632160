"""The agency plan each department and district owes for the plan year, for the reminders."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from cchc.agencyplans.models import AgencyPlan, plan_due_date
from cchc.agencyplans.services import issuing_units
from cchc.plans.models import Plan
from cchc.reminders.obligations import DueItem
from cchc.review.states import State

DONE_STATES = (State.SUBMITTED, State.ACCEPTED)


def due_items(on: dt.date, unit_ids: set[int] | None = None) -> list[DueItem]:
    """One item per department and district (of `unit_ids`, when given) for the plan of `on`'s year (none without
    such a plan)."""
    plan = Plan.objects.exclude(status=Plan.Status.DRAFT).filter(year=on.year).first()
    if plan is None:
        return []
    due = plan_due_date(plan)
    done = set(AgencyPlan.objects.filter(plan=plan, status__in=DONE_STATES).values_list("unit_id", flat=True))
    title = _("Agency CCHC plan %(year)d") % {"year": plan.year}
    return [
        DueItem(
            key=f"agencyplan:{plan.year}:{unit.code}",
            unit_id=unit.pk,
            kind="agency_plan",
            title=title,
            due=due,
            url=reverse("agencyplans:detail", args=[plan.year, unit.code]),
            done=unit.pk in done,
        )
        for unit in issuing_units(plan.year)
        if unit_ids is None or unit.pk in unit_ids
    ]
