"""Values of plan targets that no record gives: entries with evidence (reviewed like reports), baselines, surveys."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.core import audit
from cchc.core.models import UploadedFile
from cchc.core.uploads import stored_name
from cchc.restriction import Follows, RestrictedManager, Shared, UnitOwned
from cchc.review.models import Submission
from cchc.targets import rules


class EntryLevel(models.TextChoices):
    PROVINCE = "all", _("Whole province")
    P = "P", _("Provincial level")
    D = "D", _("District level")
    C = "C", _("Commune level")


class Qualitative(models.TextChoices):
    DONE = rules.DONE, _("Done")
    PARTLY = rules.PARTLY, _("Partly done")
    NOT_DONE = rules.NOT_DONE, _("Not done")


class TargetEntry(Submission):
    """The value of one target for one report period and level, entered by the responsible unit with its evidence.

    Exactly one form of value: a count pair (numerator of denominator), a percentage with the basis it is a share
    of (e.g. 92.5 % of 340 officials), or done / partly / not done for a qualitative target.
    """

    access_rule = UnitOwned("unit", state_field="status")

    target = models.ForeignKey(
        "plans.Target", verbose_name=_("target"), on_delete=models.PROTECT, related_name="entries"
    )
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(
        "reports.ReportPeriod", verbose_name=_("period"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(_("level"), max_length=3, choices=EntryLevel.choices, default=EntryLevel.PROVINCE)
    numerator = models.PositiveBigIntegerField(_("numerator"), null=True, blank=True)
    denominator = models.PositiveBigIntegerField(_("denominator"), null=True, blank=True)
    percent = models.DecimalField(_("percentage"), max_digits=5, decimal_places=2, null=True, blank=True)
    basis = models.PositiveBigIntegerField(
        _("basis"), null=True, blank=True, help_text=_("how many the percentage is a share of")
    )
    qualitative = models.CharField(_("result"), max_length=10, choices=Qualitative.choices, blank=True)
    note = models.TextField(_("explanation"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("target value entry")
        verbose_name_plural = _("target value entries")
        ordering = ["target__order", "period__data_to", "level"]
        constraints = [
            models.UniqueConstraint(fields=["target", "period", "level"], name="targetentry_target_period_level"),
            models.CheckConstraint(
                condition=models.Q(numerator__isnull=True)
                | models.Q(denominator__isnull=True)
                | models.Q(numerator__lte=models.F("denominator")),
                name="targetentry_part_within_whole",
            ),
            models.CheckConstraint(
                condition=models.Q(percent__isnull=True) | models.Q(percent__gte=0, percent__lte=100),
                name="targetentry_percent_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target.code} · {self.period} · {self.get_level_display()}"

    def get_absolute_url(self) -> str:
        return reverse("targets:entry", args=[self.pk])

    def due_date(self):
        return self.period.due_for(self.unit)

    @property
    def measure(self) -> rules.Measure | None:
        return rules.entry_measure(self.numerator, self.denominator, self.percent, self.basis, self.qualitative or None)


def evidence_path(instance: EntryEvidence, filename: str) -> str:
    return stored_name(f"target-evidence/{timezone.now():%Y}", instance.kind)


class EntryEvidence(UploadedFile):
    """A document proving an entered value; downloaded only through a scoped view."""

    access_rule = Follows("entry")

    entry = models.ForeignKey(TargetEntry, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["-uploaded_at", "-pk"]

    def get_absolute_url(self) -> str:
        return reverse("targets:evidence", args=[self.pk])


class Baseline(models.Model):
    """The base-year value of a target measured as a reduction (3.1a, 3.1b), with the document it comes from."""

    access_rule = Shared()

    target = models.OneToOneField(
        "plans.Target", verbose_name=_("target"), on_delete=models.CASCADE, related_name="baseline"
    )
    year = models.PositiveSmallIntegerField(_("base year"))
    value = models.PositiveBigIntegerField(_("base value"))
    source_document = models.CharField(
        _("source document"), max_length=300, help_text=_("number, date and issuer of the document the value is from")
    )
    note = models.TextField(_("note"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("baseline")
        verbose_name_plural = _("baselines")

    def __str__(self) -> str:
        return f"{self.target.code} · {self.year}: {self.value}"

    def get_absolute_url(self) -> str:
        return reverse("targets:baseline", args=[self.pk])


class Survey(models.Model):
    """One satisfaction survey (SIPAS form) of one index and year: its metadata and its results per service and
    criterion; the index is computed with the method's weights (data/sipas-methods.yaml)."""

    access_rule = Shared()

    year = models.PositiveSmallIntegerField(_("year"))
    index = models.CharField(_("index"), max_length=20, choices=rules.SURVEY_INDEX_CHOICES)
    title = models.CharField(_("title"), max_length=300)
    organiser = models.CharField(_("carried out by"), max_length=200)
    sample_size = models.PositiveIntegerField(_("sample size"))
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("to"))
    method = models.CharField(_("method"), max_length=40, default="sipas-2023")
    national_value = models.DecimalField(
        _("national SIPAS figure (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    source_file = models.CharField(_("imported file"), max_length=255, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["year", "index"]
        constraints = [
            models.UniqueConstraint(fields=["year", "index"], name="survey_year_index_unique"),
            models.CheckConstraint(condition=models.Q(ended_on__gte=models.F("started_on")), name="survey_dates"),
        ]

    def __str__(self) -> str:
        return f"{self.get_index_display()} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("targets:survey", args=[self.pk])


class SurveyResult(models.Model):
    """One line of the SIPAS form: a service and a criterion, its respondents and share satisfied or mean score."""

    access_rule = Shared()

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="results")
    service = models.CharField(_("service"), max_length=200)
    criterion = models.CharField(_("criterion"), max_length=40)
    respondents = models.PositiveIntegerField(_("respondents"))
    share_satisfied = models.DecimalField(_("satisfied (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    mean_score = models.DecimalField(_("mean score"), max_digits=4, decimal_places=2, null=True, blank=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("survey result")
        verbose_name_plural = _("survey results")
        ordering = ["survey", "service", "criterion"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "service", "criterion"], name="surveyresult_unique"),
            models.CheckConstraint(
                condition=models.Q(share_satisfied__isnull=False) | models.Q(mean_score__isnull=False),
                name="surveyresult_has_value",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} · {self.criterion}"


audit.register(TargetEntry)
audit.register(EntryEvidence)
audit.register(Baseline)
audit.register(Survey)
audit.register(SurveyResult)
