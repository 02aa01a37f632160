"""`/healthz`: for the load balancer, systemd and the operator — is the site able to do its work?

200 when the database answers and a task worker was seen within CCHC_WORKER_LEASE seconds, else 503; the body says
which, with the number of queued and running jobs, the age of the oldest queued one and the indicator refreshes still
pending. No login (it names no person and no figure).
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from cchc.core import hooks


@never_cache
def healthz(request):
    from cchc.core.models import Job, WorkerProcess

    body: dict = {"database": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        now = timezone.now()
        seen = (
            WorkerProcess.objects.filter(stopped_at__isnull=True).order_by("-seen_at").values_list("seen_at", flat=True)
        ).first()
        age = (now - seen).total_seconds() if seen else None
        alive = age is not None and age <= settings.CCHC_WORKER_LEASE
        body["worker"] = {
            "status": "ok" if alive else "missing",
            "last_seen_seconds_ago": round(age, 1) if age is not None else None,
            "alive": WorkerProcess.objects.filter(
                stopped_at__isnull=True, seen_at__gte=now - timezone.timedelta(seconds=settings.CCHC_WORKER_LEASE)
            ).count(),
        }
        queued = Job.objects.filter(status=Job.Status.QUEUED)
        oldest = queued.order_by("created_at").values_list("created_at", flat=True).first()
        body["jobs"] = {
            "queued": queued.count(),
            "running": Job.objects.filter(status=Job.Status.RUNNING).count(),
            "oldest_queued_seconds": round((now - oldest).total_seconds(), 1) if oldest else None,
        }
        body.update(hooks.health_counts.call())
    except Exception as exc:  # the database is down or broken: say so, without details
        body["database"] = "error"
        body["error"] = type(exc).__name__
        return JsonResponse({"status": "error", **body}, status=503)
    ok = body["worker"]["status"] == "ok"
    return JsonResponse({"status": "ok" if ok else "degraded", **body}, status=200 if ok else 503)
