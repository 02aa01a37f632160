"""Long jobs (imports, recomputes, report generation): their progress is shown in the terminal and on the page.

A job runs as a task in a `cchc worker` process (cchc.core.jobs); the worker that runs it is named on the row and
keeps a heartbeat in `WorkerProcess`, so that a job whose worker died is found and re-queued or failed.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.restriction import OwnedBy, RestrictedManager, RoleOnly


class Job(models.Model):
    access_rule = OwnedBy("created_by", administrators=True)
    # Progress is written every few seconds; no cached page shows jobs (cchc.core.dataversion).
    moves_data_version = False

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
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # What runs it: a function `f(job, **arguments) -> dict` by dotted path, so a re-queued job runs again as it was.
    function = models.CharField(_("function"), max_length=200, blank=True)
    arguments = models.JSONField(_("arguments"), default=dict, blank=True)
    worker = models.CharField(_("worker"), max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    task_id = models.CharField(_("task"), max_length=64, blank=True)

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
        """Record progress; called from the job's own code, so it writes only these fields.

        In a worker, progress is handed to the worker's heartbeat thread, which writes it on its own connection:
        a job inside a long transaction (an import) must not write its own row there (invisible until the commit,
        and on PostgreSQL the row would stay locked against the heartbeat).
        """
        self.done, self.status = done, self.Status.RUNNING
        if total is not None:
            self.total = total
        if message is not None:
            self.message = message
        from cchc.core.jobs import publish_progress

        publish_progress(self.pk, {"done": self.done, "total": self.total, "message": self.message})
        sink = PROGRESS_SINK.get(self.pk)
        if sink is not None:
            sink(self.pk, {"done": self.done, "total": self.total, "message": self.message})
            return
        fields = ["done", "status"] + (["total"] if total is not None else []) + (["message"] if message else [])
        Job.objects.filter(pk=self.pk).update(**{f: getattr(self, f) for f in fields})

    def finish(self, result: dict | None = None, error: str | None = None) -> None:
        self.status = self.Status.FAILED if error else self.Status.DONE
        self.result = result or {}
        self.message = error or ""  # a progress message ("refreshing …") says nothing once the job is done
        self.finished_at = timezone.now()
        if self.status == self.Status.DONE and self.total:
            self.done = self.total
        self.save(update_fields=["status", "result", "message", "finished_at", "done"])
        from cchc.core.jobs import forget_progress

        forget_progress(self.pk)


# Job id → callable(job_id, fields) that stores progress (set by the worker for the job it runs).
PROGRESS_SINK: dict[int, object] = {}


class WorkerProcess(models.Model):
    """A `cchc worker` process: where it runs and when it was last seen (its heartbeat)."""

    access_rule = RoleOnly("manage_reference_data")  # bookkeeping of the workers: no page shows it
    moves_data_version = False  # (cchc.core.dataversion)

    worker_id = models.CharField(_("worker"), max_length=64, primary_key=True)
    hostname = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    seen_at = models.DateTimeField(_("last seen"), default=timezone.now)
    stopped_at = models.DateTimeField(_("stopped"), null=True, blank=True)
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("worker process")
        verbose_name_plural = _("worker processes")
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid} ({self.worker_id[:8]})"


class DailyRun(models.Model):
    """That a scheduled daily task was enqueued for a day (one row per task and day: several workers enqueue once)."""

    access_rule = RoleOnly("manage_reference_data")  # bookkeeping of the workers: no page shows it
    moves_data_version = False  # (cchc.core.dataversion)

    name = models.CharField(_("name"), max_length=60)
    day = models.DateField(_("day"))
    enqueued_at = models.DateTimeField(_("enqueued"), default=timezone.now)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("daily run")
        verbose_name_plural = _("daily runs")
        constraints = [models.UniqueConstraint(fields=["name", "day"], name="core_dailyrun_once_a_day")]

    def __str__(self) -> str:
        return f"{self.name} {self.day}"


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
