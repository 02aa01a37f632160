import datetime as dt

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cchc.core import audit, clock
from cchc.restriction import RestrictedManager, RestrictedQuerySet, Shared
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

    def in_year(self, year: int):
        """Units that existed during `year` as plans, progress, agency plans, scorecards and scoring match them: on
        its first or on its last day (a unit reorganised during the year appears in both versions)."""
        return self.valid_on(dt.date(year, 12, 31)) | self.valid_on(dt.date(year, 1, 1))

    def current(self):
        return self.valid_on(clock.today())


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


class EventKind(models.TextChoices):
    MERGE = "merge", _("Merger")
    SPLIT = "split", _("Split")
    RENAME = "rename", _("Renaming")
    TRANSFER = "transfer", _("Transfer to another parent")
    NEW = "new", _("New unit")
    DISSOLVED = "dissolved", _("Dissolution")


class UnitEvent(models.Model):
    """A dated change of the units: predecessors (closed the day before) → successors (valid from the date).

    Loaded from the packages and the shipped data file (`cchc load_units`), or added by an administrator with its
    legal basis (form or file, `cchc import_unit_events`). Every change is audited.
    """

    key = models.CharField(_("key"), max_length=80, unique=True, help_text=_("stable identifier of the event"))
    date = models.DateField(_("date"), help_text=_("first day of the new situation"))
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    basis = models.TextField(_("legal basis"))
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    created_by = models.ForeignKey(
        "auth.User", verbose_name=_("recorded by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    access_rule = Shared()  # the units' history is reference data: everyone reads it, administrators record it
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("unit event")
        verbose_name_plural = _("unit events")
        ordering = ["date", "key"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}: {self.key}"

    def codes(self, side: str) -> list[str]:
        return [link.code for link in self.links.all() if link.side == side]


class UnitEventLink(models.Model):
    """A predecessor or successor of an event. `unit` is empty for units this installation does not keep
    (e.g. communes of the other provinces merged into the province), which are named by code only."""

    FROM = "from"
    TO = "to"
    SIDES = [(FROM, _("predecessor")), (TO, _("successor"))]

    event = models.ForeignKey(UnitEvent, on_delete=models.CASCADE, related_name="links")
    side = models.CharField(_("side"), max_length=4, choices=SIDES)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="event_links"
    )
    share = models.DecimalField(
        _("share"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("successor's part of the predecessor's figures on a split (0–1)"),
    )
    is_default = models.BooleanField(_("default successor"), default=False)

    access_rule = Shared()
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("event link")
        verbose_name_plural = _("event links")
        ordering = ["event", "side", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(share__isnull=True) | (Q(share__gte=0) & Q(share__lte=1)), name="unit_event_share_0_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_side_display()} {self.code}"


# Every change made through the ORM (admin, pages, API, loaders) is logged with its author.
audit.register(Unit)
audit.register(UnitEvent)
audit.register(UnitEventLink)
