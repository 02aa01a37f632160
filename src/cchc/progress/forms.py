from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from cchc.core import clock
from cchc.core.uploads import validate_evidence
from cchc.formats.fields import DateField
from cchc.progress import rules
from cchc.progress.models import Evidence, ProgressNote, ProgressStatus, TaskProgress


class ProgressForm(forms.Form):
    """One form for what a unit records on a task: its status, when it was done, a note and an evidence file."""

    status = forms.ChoiceField(label=_("Status"), choices=ProgressStatus.choices)
    completed_on = DateField(label=_("Completed on"), required=False)
    note = forms.CharField(label=_("Add a note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(
        label=_("Add evidence"),
        required=False,
        help_text=_("PDF, Word (DOCX), Excel (XLSX), PNG or JPEG"),
    )

    def __init__(self, *args, progress: TaskProgress, today=None, **kwargs):
        self.progress = progress
        self.today = today or clock.today()
        kwargs.setdefault("initial", {"status": progress.status, "completed_on": progress.completed_on})
        super().__init__(*args, **kwargs)

    def clean_evidence(self):
        uploaded = self.cleaned_data.get("evidence")
        if isinstance(uploaded, UploadedFile):
            self.evidence_kind = validate_evidence(uploaded)
        return uploaded

    def clean(self):
        data = super().clean()
        if "status" in data:
            try:
                data["completed_on"] = rules.completion_date(data["status"], data.get("completed_on"), self.today)
            except rules.CompletionError as error:
                self.add_error(error.field, error.message)
        return data

    def save(self, user) -> TaskProgress:
        """Write the status and add the note and the file; the caller wraps this in a transaction."""
        data = self.cleaned_data
        progress = self.progress
        progress.status, progress.completed_on, progress.updated_by = data["status"], data["completed_on"], user
        progress.save()
        if data.get("note", "").strip():
            ProgressNote.objects.create(progress=progress, text=data["note"].strip(), author=user)
        uploaded = data.get("evidence")
        if uploaded:
            Evidence(progress=progress).attach(uploaded, self.evidence_kind, user)
        return progress
