"""Long jobs (imports, recomputes, report generation): their progress is shown in the terminal and on the page."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.restriction import OwnedBy, RestrictedManager


class Job(models.Model):
    access_rule = OwnedBy("created_by", administrators=True)

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.BigIntegerField(_("done"), default=0)
    total = models.BigIntegerField(_("total"), null=True, blank=True)
    message = models.TextField(_("message"), blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, int(100 * self.done / self.total))

    def report(self, done: int, total: int | None = None, message: str | None = None) -> None:
        """Save progress; called from the job's own thread or process, so it writes only these fields."""
        self.done, self.status = done, self.Status.RUNNING
        fields = ["done", "status"]
        if total is not None:
            self.total = total
            fields.append("total")
        if message is not None:
            self.message = message
            fields.append("message")
        Job.objects.filter(pk=self.pk).update(**{f: getattr(self, f) for f in fields})

    def finish(self, result: dict | None = None, error: str | None = None) -> None:
        self.status = self.Status.FAILED if error else self.Status.DONE
        self.result = result or {}
        self.message = error or self.message
        self.finished_at = timezone.now()
        self.save(update_fields=["status", "result", "message", "finished_at"])


class UploadedFile(models.Model):
    """Abstract: what is kept of a file a unit uploads as evidence, besides the file itself.

    Subclasses add their `file` field (each app stores under its own folder, with a random name) and the object
    the file proves. The content was checked by cchc.core.uploads before `attach` is called.
    """

    original_name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("file type"), max_length=10)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name

    def attach(self, uploaded, kind: str, user) -> None:
        """Fill the metadata from an upload already checked by validate_evidence, store the file, save the row."""
        from pathlib import PurePath

        from cchc.core.uploads import sha256

        self.original_name = PurePath(uploaded.name or "").name[:255]
        self.kind, self.size, self.sha256, self.uploaded_by = kind, uploaded.size, sha256(uploaded), user
        self.file.save(self.original_name, uploaded, save=False)
        self.save()
