"""Stored indicator values. Every ratio is kept as a numerator and a denominator.

* LeafValue: one unit's own dossiers (no descendants) per period and engine metric;
* ProcedureUsage: which procedures a unit used in a period (for counts of distinct procedures);
* IndicatorValue: what pages read — a unit with its descendants, per level (all, P, D, C);
* EnteredValue: 766 sub-indicators that the dossier records cannot give, entered or imported.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.core import audit
from cchc.restriction import RestrictedManager, RoleOnly, Shared

# The stored figures' unit keys have no index of their own: the unique index (unit, period, …) leads with the unit and
# serves every lookup by unit (a unit's rows, the cascade of a unit's deletion). A second index would be one more
# entry to write for every row a recompute or a delta refresh writes (indicators/delta.py).


class LeafValue(models.Model):
    access_rule = Shared()
    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+", db_index=False)
    period = models.CharField(max_length=8)
    metric = models.CharField(max_length=40)
    numerator = models.BigIntegerField()
    denominator = models.BigIntegerField()

    objects = RestrictedManager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "period", "metric"], name="leafvalue_unique")]
        indexes = [models.Index(fields=["period"], name="leafvalue_period")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.period} {self.metric} {self.numerator}/{self.denominator}"


class ProcedureUsage(models.Model):
    access_rule = Shared()
    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+", db_index=False)
    period = models.CharField(max_length=8)
    procedure = models.ForeignKey("dossiers.Procedure", on_delete=models.CASCADE, related_name="+")
    used_online = models.BooleanField()
    paid = models.BooleanField()
    fee_synced = models.BooleanField()
    # How many dossiers gave each flag: a flag is "count > 0", so a delta refresh can add and subtract dossiers.
    online_count = models.PositiveIntegerField(default=0)
    paid_count = models.PositiveIntegerField(default=0)
    fee_synced_count = models.PositiveIntegerField(default=0)

    objects = RestrictedManager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "period", "procedure"], name="procedureusage_unique")]
        indexes = [models.Index(fields=["period"], name="procedureusage_period")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.period} {self.procedure_id}"


class DeltaBase(models.Model):
    """The last dossier import batch a year's stored figures reflect exactly (see `indicators/delta.py`).

    Written by a full recompute that no import overlapped and by each delta refresh; removed when the figures may
    reflect something else (a recompute of some units beside pending batches). Without it, a refresh recomputes.
    """

    access_rule = RoleOnly("manage_reference_data")
    # The delta refresh's bookkeeping: no page reads it (cchc.core.dataversion).
    moves_data_version = False

    year = models.PositiveSmallIntegerField(unique=True)
    batch = models.BigIntegerField(default=0)  # 0: before any batch

    objects = RestrictedManager()

    def __str__(self) -> str:
        return f"{self.year}: batch {self.batch}"


class IndicatorValue(models.Model):
    access_rule = Shared()

    class Level(models.TextChoices):
        ALL = "all", _("All levels")
        PROVINCIAL = "P", _("Provincial level")
        DISTRICT = "D", _("District level")
        COMMUNE = "C", _("Commune level")

    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+", db_index=False
    )
    period = models.CharField(_("period"), max_length=8)
    level = models.CharField(_("level"), max_length=3, choices=Level.choices)
    metric = models.CharField(_("metric"), max_length=40)
    numerator = models.BigIntegerField(_("numerator"))
    denominator = models.BigIntegerField(_("denominator"))
    computed_at = models.DateTimeField(_("computed at"))

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(fields=["unit", "period", "level", "metric"], name="indicatorvalue_unique")
        ]
        indexes = [
            models.Index(fields=["period", "metric"], name="indicatorvalue_period_metric"),
            # "When were a period's figures last computed" (the pages' data version): one index seek per period.
            models.Index(fields=["period", "computed_at"], name="indicatorvalue_period_computed"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.period} {self.level} {self.metric} {self.numerator}/{self.denominator}"

    @property
    def ratio(self) -> float | None:
        return 100 * self.numerator / self.denominator if self.denominator else None


class EnteredValue(models.Model):
    """A 766 sub-indicator the province's records cannot give, per unit and period (e.g. the counts the
    national portal publishes). Null until entered."""

    access_rule = Shared()

    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+")
    period = models.CharField(_("period"), max_length=8)
    metric = models.CharField(_("sub-indicator"), max_length=40)
    numerator = models.BigIntegerField(_("numerator"), null=True, blank=True)
    denominator = models.BigIntegerField(_("denominator"), null=True, blank=True)
    ratio = models.FloatField(_("ratio (percent)"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("entered 766 value")
        verbose_name_plural = _("entered 766 values")
        constraints = [
            models.UniqueConstraint(fields=["unit", "period", "metric"], name="enteredvalue_unique"),
            models.CheckConstraint(
                condition=Q(ratio__isnull=True) | Q(ratio__gte=0, ratio__lte=100), name="enteredvalue_ratio_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.period} {self.metric}"

    def clean(self):
        from cchc.indicators.index766 import default_catalogue
        from cchc.indicators.periods import parse_period

        errors = {}
        spec = default_catalogue().by_code.get(self.metric)
        if spec is None:
            errors["metric"] = _("unknown 766 sub-indicator")
        elif spec.source != "entered":
            errors["metric"] = _("this sub-indicator is computed from dossiers and cannot be entered")
        try:
            parse_period(self.period)
        except ValueError as exc:
            errors["period"] = str(exc)
        counts = (self.numerator, self.denominator)
        if None in counts and counts != (None, None):
            errors["denominator"] = _("give both the numerator and the denominator, or neither")
        elif self.numerator is not None and (self.numerator < 0 or self.numerator > self.denominator):
            errors["numerator"] = _("the numerator must be between 0 and the denominator")
        if self.numerator is None and self.ratio is None:
            errors["ratio"] = _("give the counts or the ratio")
        if errors:
            raise ValidationError(errors)


# Every change made through the ORM (admin, pages, API, loaders) is logged with its author.
audit.register(EnteredValue)


def last_computed(period_codes: list[str]):
    """The latest `computed_at` among the figures of these periods (None: never computed): one query, one index seek
    per period (a MAX over a whole year's figures reads each of them: ~140,000 rows for a province)."""
    if not period_codes:
        return None
    table = IndicatorValue._meta.db_table
    one = f"SELECT MAX(computed_at) AS moment FROM {table} WHERE period = %s"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT MAX(moment) FROM ({' UNION ALL '.join([one] * len(period_codes))}) AS per_period", period_codes
        )
        moment = cursor.fetchone()[0]
    if isinstance(moment, str):  # SQLite: the text Django stores, in UTC
        moment = dt.datetime.fromisoformat(moment).replace(tzinfo=dt.UTC)
    return moment
