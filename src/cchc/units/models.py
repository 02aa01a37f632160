import datetime as dt

from auditlog.registry import auditlog
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cchc.restriction import RestrictedQuerySet, Shared
from cchc.units import divisions


class UnitKind(models.TextChoices):
    PROVINCE = divisions.PROVINCE, _("Province")
    DEPARTMENT = divisions.DEPARTMENT, _("Provincial department")
    DISTRICT = divisions.DISTRICT, _("District")
    COMMUNE = divisions.COMMUNE, _("Commune")


class Level(models.TextChoices):
    """Administrative level of a unit, as the plan's per-level thresholds use it."""

    PROVINCIAL = "P", _("Provincial level")
    DISTRICT = "D", _("District level")
    COMMUNE = "C", _("Commune level")


LEVEL_OF_KIND = {
    UnitKind.PROVINCE: Level.PROVINCIAL,
    UnitKind.DEPARTMENT: Level.PROVINCIAL,
    UnitKind.DISTRICT: Level.DISTRICT,
    UnitKind.COMMUNE: Level.COMMUNE,
}


class UnitQuerySet(RestrictedQuerySet):
    def valid_on(self, date: dt.date):
        """Units that existed on `date` (valid_from and valid_to are both inclusive)."""
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=date), valid_from__lte=date)

    def current(self):
        return self.valid_on(dt.date.today())


class Unit(models.Model):
    """A province, department, district or commune, as it existed between valid_from and valid_to.

    A reorganisation closes a unit (sets valid_to) and opens new ones, so plans and figures of earlier
    years keep pointing at the units they were made for. A code is unique per validity start, so one
    code may have successive versions (e.g. a renamed commune).
    """

    access_rule = Shared()

    code = models.CharField(_("code"), max_length=20, db_index=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    division_type = models.CharField(
        _("type"), max_length=40, help_text=_("e.g. tỉnh, sở, huyện, thị xã, xã, phường, thị trấn")
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True, help_text=_("last day, inclusive"))
    is_scored = models.BooleanField(
        _("scored"), default=True, help_text=_("reports on the plan and is ranked in the PAR index")
    )
    source = models.CharField(_("source"), max_length=120, blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["kind", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="unit_code_valid_from_unique"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="unit_valid_to_after_valid_from",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("units:detail", args=[self.pk])

    @property
    def level(self) -> str:
        return LEVEL_OF_KIND[self.kind]

    def get_level_display(self) -> str:
        return Level(self.level).label

    def is_valid_on(self, date: dt.date) -> bool:
        return self.valid_from <= date and (self.valid_to is None or date <= self.valid_to)


# Every change made through the ORM (admin, pages, API, loaders) is logged with its author.
auditlog.register(Unit)
