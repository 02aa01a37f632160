import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.shortcuts import redirect, render
from django.views import View

from cchc.core import jobs
from cchc.core.models import Job
from cchc.dossiers.forms import ImportForm, too_large_message
from cchc.dossiers.jobs import run_import


class ImportView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """Upload a catalogue or dossier file; the import runs as a job whose page shows its progress."""

    permission_required = "dossiers.add_dossier"
    template_name = "dossiers/import.html"

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
        upload, kind = form.cleaned_data["file"], form.cleaned_data["kind"]
        folder = Path(settings.MEDIA_ROOT) / "imports" / uuid.uuid4().hex
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / Path(upload.name).name
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        job = Job.objects.create(
            kind=f"import_{kind}", title=f"{upload.name}", created_by=request.user, total=path.stat().st_size
        )
        jobs.start(job, lambda j: run_import(j, path, kind))
        return redirect("job", pk=job.pk)
