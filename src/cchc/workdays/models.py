from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.core import audit
from cchc.restriction import RestrictedManager, Shared


class DayOverride(models.Model):
    """A day the government moved: an extra day off, or a weekend day made a working day."""

    access_rule = Shared()

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Day off")
        WORKING_DAY = "working_day", _("Make-up working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("calendar change")
        verbose_name_plural = _("calendar changes")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}"


def calendar_for(years):
    """The working-day calendar with the administrator's changes applied."""
    from cchc.workdays.rules import WorkCalendar

    overrides = list(DayOverride.objects.values_list("date", "kind"))
    return WorkCalendar(
        years,
        extra_days_off=[d for d, k in overrides if k == DayOverride.Kind.DAY_OFF],
        extra_working_days=[d for d, k in overrides if k == DayOverride.Kind.WORKING_DAY],
    )


# Every change made through the ORM (admin, pages, API, loaders) is logged with its author.
audit.register(DayOverride)
