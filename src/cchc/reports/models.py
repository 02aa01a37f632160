"""Periodic PAR reports: the periods of a year with their deadlines, each unit's report and its figures."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cchc.core import audit
from cchc.reports.periods import Kind
from cchc.restriction import Follows, RestrictedManager, Shared, UnitOwned
from cchc.review.models import Submission
from cchc.units.models import UnitKind


class PeriodKind(models.TextChoices):
    Q1 = Kind.Q1, _("Quarter I")
    H1 = Kind.H1, _("Six months")
    Q3 = Kind.Q3, _("Quarter III")
    YEAR = Kind.YEAR, _("Year")


class ReportPeriod(models.Model):
    """One report of the year (Decree 09/2019): its data window, the Ministry's date and each level's deadline."""

    access_rule = Shared()

    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("report"), max_length=2, choices=PeriodKind.choices)
    data_from = models.DateField(_("data from"))
    data_to = models.DateField(_("data to"))
    ministry_due = models.DateField(_("due to the Ministry"))
    due_department = models.DateField(_("due from departments"))
    due_district = models.DateField(_("due from districts"))
    due_commune = models.DateField(_("due from communes (to their district)"))

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("report period")
        verbose_name_plural = _("report periods")
        ordering = ["year", "data_to"]
        constraints = [
            models.UniqueConstraint(fields=["year", "kind"], name="report_period_year_kind_unique"),
            models.CheckConstraint(condition=models.Q(data_to__gte=models.F("data_from")), name="report_period_dates"),
        ]

    def __str__(self) -> str:
        return str(self.title)

    def clean(self) -> None:
        """No unit is due before its data cut-off, nor after the Ministry's date; communes before their district."""
        from django.core.exceptions import ValidationError

        errors = {}
        for name in ("due_department", "due_district", "due_commune"):
            due = getattr(self, name)
            if due and self.data_to and due <= self.data_to:
                errors[name] = _("A unit cannot be due on or before the data cut-off (%(date)s).") % {
                    "date": self.data_to.strftime("%d/%m/%Y")
                }
            elif due and self.ministry_due and due > self.ministry_due:
                errors[name] = _("A unit cannot be due after the Ministry's date (%(date)s).") % {
                    "date": self.ministry_due.strftime("%d/%m/%Y")
                }
        if (
            self.due_commune
            and self.due_district
            and self.due_commune > self.due_district
            and "due_commune" not in errors
        ):
            errors["due_commune"] = _("Communes report to their district: they cannot be due after it.")
        if errors:
            raise ValidationError(errors)

    @property
    def title(self) -> str:
        return _("PAR report %(period)s/%(year)s") % {"period": self.get_kind_display(), "year": self.year}

    @property
    def key(self) -> str:
        return f"{self.year}-{self.kind}"

    def due_for(self, unit) -> dt.date:
        """The internal deadline that applies to `unit` (communes report to their district earlier)."""
        kind = unit.kind
        if kind == UnitKind.COMMUNE:
            return self.due_commune
        if kind == UnitKind.DISTRICT:
            return self.due_district
        return self.due_department


class Report(Submission):
    """A unit's report for one period: the five customary sections, its figures, and the tasks as submitted."""

    access_rule = UnitOwned("unit", state_field="status")

    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="reports")
    period = models.ForeignKey(ReportPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="reports")
    steering = models.TextField(_("1. Steering and direction"), blank=True)
    results = models.TextField(_("2. Results by reform area"), blank=True)
    assessment = models.TextField(_("3. Overall assessment"), blank=True)
    next_tasks = models.TextField(_("4. Tasks for the next period"), blank=True)
    proposals = models.TextField(_("5. Proposals"), blank=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent to the head by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    prepared_at = models.DateTimeField(_("sent to the head"), null=True, blank=True)
    task_snapshot = models.JSONField(
        _("tasks as submitted"),
        null=True,
        blank=True,
        encoder=DjangoJSONEncoder,
        help_text=_("The unit's tasks and their status at its latest submission, kept with the report."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("periodic report")
        verbose_name_plural = _("periodic reports")
        ordering = ["period", "unit__kind", "unit__sort_order", "unit__code"]
        constraints = [models.UniqueConstraint(fields=["unit", "period"], name="report_unit_period_unique")]

    def __str__(self) -> str:
        return f"{self.period.title} · {self.unit}"

    def get_absolute_url(self) -> str:
        return reverse("reports:detail", args=[self.pk])

    def due_date(self):
        return self.period.due_for(self.unit)


class ReportFigure(models.Model):
    """One entered figure of the statistics annex (codes defined in data/statistics.yaml)."""

    access_rule = Follows("report")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="figures")
    code = models.CharField(_("code"), max_length=60)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("report figure")
        verbose_name_plural = _("report figures")
        ordering = ["report", "code"]
        constraints = [models.UniqueConstraint(fields=["report", "code"], name="report_figure_unique")]

    def __str__(self) -> str:
        return f"{self.code} = {self.value}"


audit.register(ReportPeriod)
audit.register(Report, exclude_fields=["task_snapshot", "updated_at"])
audit.register(ReportFigure)
