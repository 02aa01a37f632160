"""What the scoring pages read from a POST: the rows of a sheet, an uploaded criteria set, a copy request.

Scores are checked (bounds, decimals) by cchc.scoring.services, which names the row and the field of each problem;
these helpers only turn the posted fields into the service's rows.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cchc.scoring.models import ScoreSource

# Field names on the sheet: "<prefix>-<criterion code>".
SELF_FIELDS = {"self": "self_score", "note": "self_note", "why": "explanation_missing_evidence"}
APPRAISAL_FIELDS = {"appraised": "appraised_score", "appraisal-note": "appraisal_note"}


def field_name(prefix: str, code: str) -> str:
    return f"{prefix}-{code}"


def self_rows(data, scores) -> list[dict]:
    """The unit's self-assessment rows (self-scored sub-criteria only; survey and computed ones are read-only)."""
    rows = []
    for score in scores:
        if score.source != ScoreSource.SELF:
            continue
        code = score.criterion.code
        if field_name("self", code) not in data:
            continue  # a row the form did not show is left as it is
        row = {"criterion": code, "not_applicable": field_name("na", code) in data}
        for prefix, key in SELF_FIELDS.items():
            row[key] = data.get(field_name(prefix, code), "")
        rows.append(row)
    return rows


def appraisal_rows(data, scores) -> list[dict]:
    rows = []
    for score in scores:
        code = score.criterion.code
        if score.source != ScoreSource.SELF or field_name("appraised", code) not in data:
            continue
        row = {"criterion": code}
        for prefix, key in APPRAISAL_FIELDS.items():
            row[key] = data.get(field_name(prefix, code), "")
        rows.append(row)
    return rows


def explanation_rows(data, scores) -> list[dict]:
    return [
        {"criterion": score.criterion.code, "unit_explanation": data.get(field_name("explain", score.criterion.code))}
        for score in scores
        if (data.get(field_name("explain", score.criterion.code)) or "").strip()
    ]


def uploads(files, scores) -> list[tuple]:
    """(score, uploaded file) for each file posted on a row."""
    return [
        (score, uploaded)
        for score in scores
        for uploaded in files.getlist(field_name("evidence", score.criterion.code))
    ]


class SetImportForm(forms.Form):
    file = forms.FileField(
        label=_("Criteria set (YAML or XLSX)"),
        widget=forms.FileInput(attrs={"accept": ".yaml,.yml,.xlsx"}),
    )
    replace = forms.BooleanField(
        label=_("Replace the set of the same year and kind (only while no unit has started on it)"), required=False
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        name = (uploaded.name or "").lower()
        if not name.endswith((".yaml", ".yml", ".xlsx")):
            raise forms.ValidationError(
                _("%(name)s: a .yaml, .yml or .xlsx file is needed.") % {"name": uploaded.name}, code="extension"
            )
        return uploaded


class SetCopyForm(forms.Form):
    from_year = forms.IntegerField(label=_("Copy the sets of"), min_value=2000, max_value=2100)
    to_year = forms.IntegerField(label=_("to the year"), min_value=2000, max_value=2100)

    def clean(self):
        data = super().clean()
        if data.get("from_year") and data.get("to_year") and data["to_year"] <= data["from_year"]:
            self.add_error("to_year", _("Copy to a later year."))
        return data
