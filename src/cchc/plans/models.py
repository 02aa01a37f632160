import datetime as dt

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cchc.core import audit, clock
from cchc.restriction import RestrictedManager, RestrictedQuerySet, Shared


class Plan(models.Model):
    """A province's reform plan for one year (e.g. Kế hoạch CCHC năm 2023 tỉnh Bình Thuận)."""

    access_rule = Shared()

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("In force")
        CLOSED = "closed", _("Closed")

    year = models.PositiveSmallIntegerField(_("year"))
    province = models.ForeignKey("units.Unit", verbose_name=_("province"), on_delete=models.PROTECT)
    title = models.CharField(_("title"), max_length=300)
    issuer = models.CharField(_("issuing body"), max_length=200, blank=True)
    document_number = models.CharField(_("number and symbol"), max_length=60, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    signer = models.CharField(_("signer"), max_length=120, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=120, blank=True)
    agency_plan_deadline = models.DateField(_("deadline for agencies' own plans"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    source = models.CharField(_("source"), max_length=200, blank=True)
    copied_from = models.ForeignKey(
        "self", verbose_name=_("copied from"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["province", "year"], name="plan_province_year_unique")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:detail", args=[self.year])


class LegalBasis(models.Model):
    """A document the plan is based on (Căn cứ)."""

    access_rule = Shared()

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="legal_bases")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    number = models.CharField(_("number and symbol"), max_length=60)
    kind = models.CharField(_("kind of document"), max_length=60, blank=True)
    issuer = models.CharField(_("issuing body"), max_length=200, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    title = models.TextField(_("title"), blank=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")
        ordering = ["plan", "order"]

    def __str__(self) -> str:
        return f"{self.kind} {self.number}".strip()


class LocalizedNameMixin:
    @property
    def display_name(self) -> str:
        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name


class Area(LocalizedNameMixin, models.Model):
    """One of the plan's reform areas (institutions, procedures, ...)."""

    access_rule = Shared()

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="areas")
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    monitor = models.ForeignKey(
        "units.Unit",
        verbose_name=_("monitoring agency"),
        on_delete=models.PROTECT,
        related_name="monitored_areas",
        help_text=_("The plan's appendix is not public: this is the documented default, editable."),
    )

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("reform area")
        verbose_name_plural = _("reform areas")
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="area_plan_number_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.display_name}"


class Target(LocalizedNameMixin, models.Model):
    """A measured goal of the plan, with a threshold per administrative level."""

    access_rule = Shared()

    class Source(models.TextChoices):
        DOSSIERS = "dossiers", _("Dossier records")
        CATALOGUE = "catalogue", _("Procedure catalogue")
        REPORTS = "reports", _("Report statistics")
        AGENCY_PLANS = "agency_plans", _("Agency plans")
        SURVEY = "survey", _("Survey")
        BASELINE = "baseline", _("Baseline and report statistics")
        ENTERED = "entered", _("Entered with evidence")
        NONE = "none", _("None")

    class Kind(models.TextChoices):
        QUANTITATIVE = "quantitative", _("Quantitative")
        QUALITATIVE = "qualitative", _("Qualitative")
        MULTI_YEAR = "multi_year", _("Multi-year")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.CASCADE, related_name="targets")
    code = models.CharField(_("code"), max_length=20)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.TextField(_("name"))
    name_en = models.TextField(_("English name"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.QUANTITATIVE)
    deadline = models.DateField(_("deadline"))
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    final_year = models.PositiveSmallIntegerField(_("final year"))
    source_text = models.TextField(_("text of the plan"), blank=True)
    note = models.TextField(_("note"), blank=True)
    # Where the value comes from (plan file `source`, format version 2); changes are kept in the audit log.
    value_source = models.CharField(
        _("source of the value"), max_length=20, choices=Source.choices, default=Source.NONE
    )
    responsible = models.ForeignKey(
        "units.Unit",
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("enters the value (entered values, baselines, surveys); the area's monitoring agency by default"),
    )
    due_periods = models.CharField(
        _("due in reports"), max_length=20, blank=True, help_text=_("report periods, e.g. H1,Y")
    )
    source_detail = models.CharField(_("source detail"), max_length=200, blank=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="target_plan_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.display_name}"

    def get_absolute_url(self) -> str:
        return reverse("plans:target", args=[self.plan.year, self.code])

    @property
    def due_list(self) -> list[str]:
        return [p for p in self.due_periods.split(",") if p]


class Threshold(models.Model):
    """The value a target must reach at one level (P, D, C) or for the province as a whole."""

    access_rule = Shared()

    class Level(models.TextChoices):
        PROVINCIAL = "P", _("Provincial agencies")
        DISTRICT = "D", _("District level")
        COMMUNE = "C", _("Commune level")
        PROVINCE = "province", _("Whole province")

    class Operator(models.TextChoices):
        AT_LEAST = ">=", "≥"
        AT_MOST = "<=", "≤"
        EQUAL = "=", "="

    class Unit(models.TextChoices):
        PERCENT = "percent", _("percent")
        PERCENT_REDUCTION = "percent_reduction", _("percent reduction from baseline")
        BOOLEAN = "boolean", _("done / not done")
        COUNT = "count", _("count")

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="thresholds")
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    op = models.CharField(_("operator"), max_length=2, choices=Operator.choices, default=Operator.AT_LEAST)
    value = models.FloatField(_("value"))
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices, default=Unit.PERCENT)

    LEVEL_ORDER = {"P": 0, "D": 1, "C": 2, "province": 3}

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("threshold")
        verbose_name_plural = _("thresholds")
        constraints = [
            models.UniqueConstraint(fields=["target", "level"], name="threshold_target_level_unique"),
            models.CheckConstraint(
                condition=~Q(unit__in=["percent", "percent_reduction"]) | Q(value__gte=0, value__lte=100),
                name="threshold_percent_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.get_op_display()} {self.display_value}"

    @property
    def display_value(self) -> str:
        if self.unit == self.Unit.BOOLEAN:
            return str(_("done")) if self.value else str(_("not done"))
        value = f"{self.value:g}"
        if self.unit == self.Unit.PERCENT:
            return f"{value}%"
        if self.unit == self.Unit.PERCENT_REDUCTION:
            return str(_("%(value)s%% fewer") % {"value": value})
        return value

    def is_met_by(self, actual: float) -> bool:
        if self.op == self.Operator.AT_LEAST:
            return actual >= self.value
        if self.op == self.Operator.AT_MOST:
            return actual <= self.value
        return actual == self.value


class TaskQuerySet(RestrictedQuerySet):
    def overdue(self, on: dt.date | None = None):
        on = on or clock.today()
        return self.exclude(status=Task.Status.DONE).filter(due__lt=on)

    def with_status(self, status: str, on: dt.date | None = None):
        """Filter on the effective status: a task past its due date and not done is overdue."""
        on = on or clock.today()
        if status == "overdue":
            return self.overdue(on)
        if status == Task.Status.DONE:
            return self.filter(status=status)
        return self.filter(status=status).exclude(due__lt=on)


class Task(models.Model):
    """A task of the plan, the agencies that carry it out and the one that monitors it."""

    access_rule = Shared()

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.CASCADE, related_name="tasks")
    code = models.CharField(_("code"), max_length=20)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    label = models.CharField(_("label in the plan"), max_length=10, blank=True)
    text = models.TextField(_("text"))
    agencies = models.ManyToManyField(
        "units.Unit", verbose_name=_("carried out by"), related_name="assigned_tasks", blank=True
    )
    agency_groups = models.JSONField(
        _("as written in the plan"),
        default=list,
        blank=True,
        help_text=_("codes and groups (@departments, @districts, @communes) as the plan file gives them"),
    )
    monitor = models.ForeignKey(
        "units.Unit",
        verbose_name=_("monitoring agency"),
        on_delete=models.PROTECT,
        related_name="monitored_tasks",
    )
    due = models.DateField(_("due date"))
    recurring = models.BooleanField(_("recurring"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="task_plan_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:80]}"

    def effective_status(self, on: dt.date | None = None) -> str:
        on = on or clock.today()
        if self.status != self.Status.DONE and self.due < on:
            return "overdue"
        return self.status

    def get_effective_status_display(self) -> str:
        status = self.effective_status()
        return str(_("Overdue")) if status == "overdue" else self.Status(status).label


TASK_STATUS_CHOICES = [*Task.Status.choices, ("overdue", _("Overdue"))]


# Every change made through the ORM (admin, pages, API, loaders) is logged with its author.
audit.register(Plan)
audit.register(LegalBasis)
audit.register(Area)
audit.register(Target)
audit.register(Threshold)
audit.register(Task, m2m_fields={"agencies"})
