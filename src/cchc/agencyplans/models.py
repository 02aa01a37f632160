"""Each department's and district's own CCHC plan for the year, derived from the province's plan."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cchc.core import audit
from cchc.core.uploads import stored_name
from cchc.restriction import Follows, RestrictedManager, UnitOwned
from cchc.review.models import Submission

# The province plan (Kế hoạch CCHC of the province) asks units to issue theirs by 31 January of the plan year,
# unless the administrator sets another date on the plan (Plan.agency_plan_deadline, editable in the admin).
DEFAULT_DUE_MONTH_DAY = (1, 31)


def default_due_date(year: int) -> dt.date:
    return dt.date(year, *DEFAULT_DUE_MONTH_DAY)


def plan_due_date(plan) -> dt.date:
    return plan.agency_plan_deadline or default_due_date(plan.year)


def signed_document_path(instance: AgencyPlan, filename: str) -> str:
    """Under the plan year; the signed document's extension is taken from its (checked) name."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else None
    return stored_name(f"agency-plans/{instance.plan.year}", extension)


class AgencyPlan(Submission):
    """A unit's implementation plan (Kế hoạch CCHC of a department or district) for one plan year."""

    access_rule = UnitOwned("unit", state_field="status")

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("province plan"), on_delete=models.CASCADE, related_name="agency_plans"
    )
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=300, blank=True)
    document_number = models.CharField(
        _("number and symbol"), max_length=60, blank=True, help_text=_("of the signed decision, e.g. 15/KH-STP")
    )
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    signed_document = models.FileField(_("signed document"), upload_to=signed_document_path, max_length=200, blank=True)
    signed_document_name = models.CharField(_("file name"), max_length=255, blank=True)
    signed_document_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("agency plan")
        verbose_name_plural = _("agency plans")
        ordering = ["plan", "unit__kind", "unit__sort_order", "unit__code"]
        constraints = [models.UniqueConstraint(fields=["plan", "unit"], name="agencyplan_plan_unit_unique")]

    def __str__(self) -> str:
        return self.title or f"{self.unit} · {self.plan.year}"

    def get_absolute_url(self) -> str:
        return reverse("agencyplans:detail", args=[self.plan.year, self.unit.code])

    def due_date(self) -> dt.date:
        return plan_due_date(self.plan)


class AgencyPlanItem(models.Model):
    """One line of a unit's plan: a province task assigned to it, or the unit's own addition."""

    access_rule = Follows("agency_plan")

    agency_plan = models.ForeignKey(AgencyPlan, on_delete=models.CASCADE, related_name="lines")
    task = models.ForeignKey(
        "plans.Task",
        verbose_name=_("province task"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agency_plan_items",
    )
    text = models.TextField(_("task"))
    owner = models.CharField(_("in charge"), max_length=200, blank=True, help_text=_("who in the unit leads it"))
    start = models.DateField(_("start"), null=True, blank=True)
    due = models.DateField(_("due"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_own = models.BooleanField(_("unit's own task"), default=False)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("agency plan item")
        verbose_name_plural = _("agency plan items")
        ordering = ["agency_plan", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__isnull=True)
                | models.Q(due__isnull=True)
                | models.Q(start__lte=models.F("due")),
                name="agencyplanitem_start_before_due",
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]


audit.register(AgencyPlan, exclude_fields=["created_at", "updated_at"])
audit.register(AgencyPlanItem)
