"""In-app notices about deadlines, one per person and reminder event, each e-mailed once.

Notices are written by the reminder job, never edited by people, so they are not registered with auditlog: the
log would only repeat the notice itself (and its read/e-mailed timestamps are bookkeeping, not decisions).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.restriction import OwnedBy, RestrictedQuerySet


class NoticeQuerySet(RestrictedQuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def for_user(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)


class Notice(models.Model):
    access_rule = OwnedBy("user")
    # Reading a notice changes no cached page (cchc.core.dataversion).
    moves_data_version = False
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notices"
    )
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+")
    event_key = models.CharField(_("event"), max_length=255)  # "<item key>:<event code>", see schedule.event_key
    item_key = models.CharField(_("obligation"), max_length=240, db_index=True)
    event = models.CharField(_("reminder"), max_length=20)  # schedule.UPCOMING / IMMINENT / OVERDUE
    kind = models.CharField(_("kind"), max_length=30)
    title = models.CharField(_("title"), max_length=500)
    due = models.DateField(_("due"))
    url = models.CharField(_("link"), max_length=500)
    message = models.TextField(_("message"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    # A run that is sending the e-mail claims the notice first, so that two overlapping runs never both send it.
    sending_since = models.DateTimeField(null=True, blank=True, editable=False)
    email_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0)
    email_error = models.TextField(_("last e-mail error"), blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["user", "event_key"], name="notice_once_per_user_and_event")]
        indexes = [models.Index(fields=["user", "read_at"]), models.Index(fields=["emailed_at", "created_at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.event_key}"

    def get_absolute_url(self) -> str:
        return reverse("reminders:notices")

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
