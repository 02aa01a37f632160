from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, View

from cchc.core.models import Job


class OwnJobsMixin(LoginRequiredMixin):
    """A job is visible to the person who started it and to administrators."""

    def get_queryset(self):
        return Job.objects.restrict(self.request.user)


class JobDetailView(OwnJobsMixin, DetailView):
    template_name = "core/job.html"
    context_object_name = "job"

    def get_object(self, queryset=None):
        from cchc.core.jobs import live_progress

        return live_progress(super().get_object(queryset))

    def get_template_names(self):
        return ["core/_job_status.html"] if self.request.htmx else [self.template_name]


class JobErrorReportView(OwnJobsMixin, View):
    def get(self, request, pk):
        job = get_object_or_404(self.get_queryset(), pk=pk)
        path = job.result.get("error_report")
        if not path:
            raise Http404("this job has no error report")
        from pathlib import Path

        from django.conf import settings

        file = (Path(settings.MEDIA_ROOT) / path).resolve()
        if not file.is_file() or Path(settings.MEDIA_ROOT).resolve() not in file.parents:
            raise Http404("the error report is gone")
        return FileResponse(file.open("rb"), as_attachment=True, filename=f"loi-nhap-{job.pk}.csv")


class JobFileView(OwnJobsMixin, View):
    """The file a job made (a large export), for whoever may see the job; only a file inside MEDIA_ROOT."""

    def get(self, request, pk):
        from pathlib import Path

        from django.conf import settings

        job = get_object_or_404(self.get_queryset(), pk=pk)
        relative = (job.result or {}).get("file")
        if job.status != Job.Status.DONE or not relative:
            raise Http404("this job has no file")
        root = Path(settings.MEDIA_ROOT).resolve()
        file = (root / relative).resolve()
        if root not in file.parents or not file.is_file():
            raise Http404("the file is gone")
        return FileResponse(file.open("rb"), as_attachment=True, filename=job.result.get("filename") or file.name)
