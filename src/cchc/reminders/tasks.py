"""Tasks run by the workers (never in the web process): e-mail the notices that are waiting for it."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

try:  # Django 6 has the tasks API built in; Django 5.2 has it from the backport
    from django.tasks import task
except ImportError:  # pragma: no cover - depends on the Django version
    from django_tasks import task


@task()
def email_pending_notices() -> dict:
    """Send every notice not yet e-mailed (a workflow step's, or a reminder whose e-mail failed before)."""
    from cchc.reminders import services

    summary = services.RunSummary()
    with translation.override(settings.LANGUAGE_CODE):
        services.send_pending(services.pending_emails(), summary)
    return {"sent": summary.emails_sent, "failed": summary.emails_failed}
