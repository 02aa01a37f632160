from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views import View

from cchc.accounts import access
from cchc.core.models import Job
from cchc.dossiers.forms import ImportForm, too_large_message
from cchc.dossiers.jobs import start_import


class ImportView(LoginRequiredMixin, View):
    """Upload a catalogue or dossier file (province administrators); the import runs as a job with a progress page."""

    template_name = "dossiers/import.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not access.may(request.user, "import_dossiers"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        recent = Job.objects.filter(kind__startswith="import", created_by=request.user)[:10]
        return render(request, self.template_name, {"form": ImportForm(), "recent": recent})

    def post(self, request):
        # Refuse an oversized body before Django reads it to disk.
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > settings.CCHC_MAX_UPLOAD_BYTES + 2**20:
            form = ImportForm()
            form.add_error(None, too_large_message(length))
            return render(request, self.template_name, {"form": form}, status=413)
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        job = start_import(form.cleaned_data["file"], form.cleaned_data["kind"], request.user)
        return redirect("job", pk=job.pk)
