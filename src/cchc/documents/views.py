"""The generated-documents page: choose a period and a document, follow the job, download the file.

Only accounts whose role may generate documents (administrators, leaders) use it: others get 403. Each sees the
jobs it started; administrators see every one."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import DetailView, FormView, View

from cchc.accounts import access
from cchc.core.models import Job
from cchc.documents import generate
from cchc.documents.forms import GenerateForm

RECENT = 20


class ProvinceWideMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not access.may(request.user, "generate_documents"):
            raise PermissionDenied("Generated reports are for administrators and leaders.")
        return super().dispatch(request, *args, **kwargs)


def document_jobs(user):
    """Generation jobs the account may open (its own; every one for administrators)."""
    return Job.objects.filter(kind__startswith=generate.JOB_KIND_PREFIX).select_related("created_by").restrict(user)


class DocumentsView(ProvinceWideMixin, FormView):
    template_name = "documents/index.html"
    form_class = GenerateForm

    def form_valid(self, form):
        job = generate.start(form.cleaned_data["kind"], form.cleaned_data["period"], self.request.user, form.options())
        return redirect("documents:job", pk=job.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, recent=document_jobs(self.request.user)[:RECENT])


class JobView(ProvinceWideMixin, DetailView):
    template_name = "documents/job.html"
    context_object_name = "job"

    def get_queryset(self):
        return document_jobs(self.request.user)

    def get_template_names(self):
        return ["documents/_job_status.html"] if self.request.htmx else [self.template_name]


class DownloadView(ProvinceWideMixin, View):
    def get(self, request, pk):
        job = get_object_or_404(document_jobs(request.user), pk=pk, status=Job.Status.DONE)
        path = generate.stored_file(job)
        if path is None:
            raise Http404("the file is gone")
        mime = generate.MIME.get(path.suffix.lstrip("."), "application/octet-stream")
        return FileResponse(path.open("rb"), as_attachment=True, filename=job.result["filename"], content_type=mime)
