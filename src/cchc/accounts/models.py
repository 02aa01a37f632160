"""Every account belongs to one unit and has one role there; what it may see and do follows from both."""

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Province administrator (Department of Home Affairs)")
    MONITOR = "monitor", _("Monitor of a reform area")
    EDITOR = "editor", _("Unit editor")
    HEAD = "head", _("Unit head (submits)")
    DISTRICT_OFFICER = "district_officer", _("District officer (reviews its communes)")
    LEADER = "leader", _("Leader (read-only, whole province)")


class Membership(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.CASCADE, related_name="membership"
    )
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    email_reminders = models.BooleanField(_("e-mail reminders"), default=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["unit__kind", "unit__sort_order", "unit__code", "user__username"]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"


auditlog.register(Membership)
