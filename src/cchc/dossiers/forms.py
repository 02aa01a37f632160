from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

ACCEPTED_SUFFIXES = (".csv", ".xlsx", ".json", ".jsonl")


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file holds"),
        choices=[("dossiers", _("Dossier records")), ("catalogue", _("Procedure catalogue"))],
    )
    file = forms.FileField(label=_("File (CSV, XLSX or JSON)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(ACCEPTED_SUFFIXES):
            raise forms.ValidationError(
                _("%(name)s is not a CSV, XLSX or JSON file.") % {"name": upload.name}, code="suffix"
            )
        if upload.size > settings.CCHC_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(too_large_message(upload.size), code="too_large")
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."), code="empty")
        return upload


def too_large_message(size: int) -> str:
    return _(
        "The file is %(size)s MB; the limit is %(limit)s MB. Split it, or import it with `cchc import_dossiers`."
    ) % {
        "size": round(size / 2**20),
        "limit": settings.CCHC_MAX_UPLOAD_BYTES // 2**20,
    }
