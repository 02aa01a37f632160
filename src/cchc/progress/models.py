"""Each unit's progress on the plan's tasks assigned to it: status, completion date, notes and evidence files."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.agencyplans.models import AgencyPlanItem
from cchc.core import audit, clock
from cchc.core.models import UploadedFile
from cchc.core.uploads import stored_name
from cchc.progress import rules
from cchc.restriction import Follows, RestrictedManager, RestrictedQuerySet, UnitOwned
from cchc.review.concurrency import Versioned
from cchc.review.states import State


class ProgressStatus(models.TextChoices):
    NOT_STARTED = rules.NOT_STARTED, _("Not started")
    IN_PROGRESS = rules.IN_PROGRESS, _("In progress")
    DONE = rules.DONE, _("Done")


EFFECTIVE_STATUS_CHOICES = [*ProgressStatus.choices, (rules.OVERDUE, _("Overdue"))]
EFFECTIVE_STATUS_LABELS = dict(EFFECTIVE_STATUS_CHOICES)

# The unit's own planned date counts once its agency plan has left the draft stage.
OWN_DUE_STATES = (State.SUBMITTED, State.ACCEPTED)


def own_due_subquery(task_ref: str = "task", unit_ref: str = "unit"):
    """The unit's own due date for the task, from its submitted or accepted agency plan (None without one)."""
    return Subquery(
        AgencyPlanItem.objects.filter(
            task=OuterRef(task_ref),
            agency_plan__unit=OuterRef(unit_ref),
            agency_plan__status__in=OWN_DUE_STATES,
            due__isnull=False,
        )
        .order_by("pk")
        .values("due")[:1]
    )


class TaskProgressQuerySet(RestrictedQuerySet):
    def with_effective_due(self):
        return self.annotate(effective_due=Coalesce(own_due_subquery(), F("task__due")))

    def with_effective_status(self, on: dt.date):
        """Annotate `effective_status` in SQL with the same rule as rules.effective_status."""
        return self.with_effective_due().annotate(
            effective_status=Case(
                When(~Q(status=rules.DONE) & Q(effective_due__lt=on), then=Value(rules.OVERDUE)),
                default=F("status"),
                output_field=models.CharField(),
            )
        )

    def with_status_as_of(self, on: dt.date):
        """Annotate `status_as_of`: the effective status on a past day `on`, as rules.status_on (in SQL)."""
        done_by_then = Q(status=rules.DONE, completed_on__lte=on)
        return self.with_effective_due().annotate(
            status_as_of=Case(
                When(done_by_then, then=Value(rules.DONE)),
                When(effective_due__lt=on, then=Value(rules.OVERDUE)),
                When(status=rules.DONE, then=Value(rules.IN_PROGRESS)),
                default=F("status"),
                output_field=models.CharField(),
            )
        )

    def effective(self, status: str, on: dt.date):
        """Rows whose effective status on `on` is `status` (not_started, in_progress, done or overdue)."""
        return self.with_effective_status(on).filter(effective_status=status)


class TaskProgress(Versioned):
    """How far one unit has come with one task of the plan (one row per task and assigned unit)."""

    access_rule = UnitOwned("unit", monitor_field="task__monitor")

    task = models.ForeignKey("plans.Task", verbose_name=_("task"), on_delete=models.CASCADE, related_name="progress")
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=12, choices=ProgressStatus.choices, default=ProgressStatus.NOT_STARTED
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = TaskProgressQuerySet.as_manager()

    class Meta:
        verbose_name = _("task progress")
        verbose_name_plural = _("task progress")
        ordering = ["task__plan", "task__order", "unit__kind", "unit__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["task", "unit"], name="progress_task_unit_unique"),
            # done ⇔ a completion date: the rule the forms enforce, kept by the database too
            models.CheckConstraint(
                condition=Q(status=rules.DONE, completed_on__isnull=False)
                | (~Q(status=rules.DONE) & Q(completed_on__isnull=True)),
                name="progress_done_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task.code} · {self.unit}"

    def get_absolute_url(self) -> str:
        return reverse("progress:task", args=[self.task.plan.year, self.task.code, self.unit.code])

    def own_due(self) -> dt.date | None:
        return (
            AgencyPlanItem.objects.filter(
                task_id=self.task_id,
                agency_plan__unit_id=self.unit_id,
                agency_plan__status__in=OWN_DUE_STATES,
                due__isnull=False,
            )
            .order_by("pk")
            .values_list("due", flat=True)
            .first()
        )

    def due_for_unit(self) -> dt.date:
        return rules.effective_due(self.task.due, self.own_due())

    def status_on(self, on: dt.date | None = None) -> str:
        return rules.effective_status(self.status, self.due_for_unit(), on or clock.today())


class ProgressNote(models.Model):
    """A dated remark on the progress (what was done, what blocks it): the history of the work."""

    access_rule = Follows("progress")

    progress = models.ForeignKey(TaskProgress, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("note"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("when"), default=timezone.now)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return self.text[:80]


def evidence_path(instance: Evidence, filename: str) -> str:
    return stored_name(f"evidence/{timezone.now():%Y}", instance.kind)


class Evidence(UploadedFile):
    """A file proving the work (a decision, minutes, a screenshot); downloaded only through a scoped view."""

    access_rule = Follows("progress")

    progress = models.ForeignKey(TaskProgress, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["-uploaded_at", "-pk"]

    def get_absolute_url(self) -> str:
        return reverse("progress:evidence", args=[self.pk])


audit.register(TaskProgress)
audit.register(ProgressNote)
audit.register(Evidence)
