"""Every account belongs to one unit and has one role there; what it may see and do follows from both."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.core import audit
from cchc.restriction import OwnedBy, RestrictedManager, RoleOnly


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Province administrator (Department of Home Affairs)")
    MONITOR = "monitor", _("Monitor of a reform area")
    EDITOR = "editor", _("Unit editor")
    HEAD = "head", _("Unit head (submits)")
    DISTRICT_OFFICER = "district_officer", _("District officer (reviews its communes)")
    LEADER = "leader", _("Leader (read-only, whole province)")


class Membership(models.Model):
    access_rule = RoleOnly("manage_accounts")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.CASCADE, related_name="membership"
    )
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    # The person behind the account, as pages, timelines, documents and notices name them ("Nguyễn Thị Lan, Chánh
    # Văn phòng"): Vietnamese names are written family name first, so one field, not Django's first/last name.
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    title = models.CharField(_("title"), max_length=150, blank=True, help_text=_("position, e.g. Chánh Văn phòng"))
    email_reminders = models.BooleanField(_("e-mail reminders"), default=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["unit__kind", "unit__sort_order", "unit__code", "user__username"]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"


def person_name(user) -> str:
    """The person behind an account: full name (else Django's name, else the username)."""
    if user is None:
        return ""
    found = getattr(user, "_cchc_membership", None)
    if found is None:
        found = Membership.objects.filter(user_id=user.pk).only("full_name", "title").first()
    return (found.full_name if found else "") or user.get_full_name() or user.get_username()


def person_label(user, unit: bool = False) -> str:
    """ "Nguyễn Thị Lan (Chánh Văn phòng)", or with `unit` "Nguyễn Thị Lan (Chánh Văn phòng, Sở Tư pháp)"."""
    if user is None:
        return ""
    found = getattr(user, "_cchc_membership", None)
    if found is None:
        found = Membership.objects.filter(user_id=user.pk).select_related("unit").first()
        user._cchc_membership = found  # what cchc.accounts.scope caches too
    name = (found.full_name if found else "") or user.get_full_name() or user.get_username()
    extra = [found.title] if found and found.title else []
    if unit and found:
        extra.append(found.unit.name)
    return f"{name} ({', '.join(extra)})" if extra else name


audit.register(Membership)


class ApiToken(models.Model):
    """A key for the API (`Authorization: Token <key>`). Only its SHA-256 digest is stored: the key is shown once,
    when it is made. It expires (CCHC_API_TOKEN_DAYS), its owner lists and revokes it on /account/, and every token
    of an account is revoked when the account's password changes. Creations and revocations are audited."""

    access_rule = OwnedBy("user")
    # Tokens' use is bookkeeping: no cached page shows it (cchc.core.dataversion).
    moves_data_version = False

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("begins with"), max_length=8)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} · {self.prefix}…"

    @staticmethod
    def digest_of(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user, name: str = "") -> tuple[ApiToken, str]:
        """A new token of `user` and its key (the only time the key is known)."""
        key = secrets.token_hex(20)
        days = settings.CCHC_API_TOKEN_DAYS
        token = cls.objects.create(
            user=user,
            name=name,
            prefix=key[:8],
            digest=cls.digest_of(key),
            expires_at=timezone.now() + dt.timedelta(days=days),
        )
        return token, key

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


audit.register(ApiToken, exclude_fields=["digest", "last_used_at"])
