from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.core.uploads import validate_evidence
from cchc.formats.fields import DateField, NumberField
from cchc.plans.models import Target
from cchc.targets import rules
from cchc.targets.models import Baseline, TargetEntry

ERRORS = {
    "choose done, partly done or not done": gettext_lazy("Choose done, partly done or not done."),
    "a qualitative target takes only done, partly done or not done": gettext_lazy(
        "A qualitative target takes only done, partly done or not done."
    ),
    "only qualitative targets take done / partly / not done": gettext_lazy(
        "Only qualitative targets take done / partly done / not done."
    ),
    "give either the counts (numerator and denominator) or a percentage and its basis": gettext_lazy(
        "Give either the counts (numerator and denominator) or a percentage and its basis."
    ),
    "both counts are needed": gettext_lazy("Both counts are needed."),
    "must be more than 0": gettext_lazy("Must be more than 0."),
    "cannot exceed the denominator": gettext_lazy("Cannot exceed the denominator."),
    "a percentage needs its basis": gettext_lazy("A percentage needs its basis."),
    "must be between 0 and 100": gettext_lazy("Must be between 0 and 100."),
}


def whole_number(model_field, **kwargs):
    """A count as Vietnamese write it: "1.250" or "1 250" is one thousand two hundred and fifty."""
    return NumberField(
        whole=True,
        label=model_field.verbose_name,
        help_text=model_field.help_text,
        required=False,
        min_value=0,
        **kwargs,
    )


class EntryForm(forms.ModelForm):
    """The value in one of its three forms; the checks are those of cchc.targets.rules.check_entry."""

    percent = NumberField(label=gettext_lazy("percentage"), required=False, max_digits=5, decimal_places=2)

    class Meta:
        model = TargetEntry
        fields = ["numerator", "denominator", "percent", "basis", "qualitative", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        qualitative = self.instance.target.kind == Target.Kind.QUALITATIVE
        if qualitative:
            for name in ("numerator", "denominator", "percent", "basis"):
                del self.fields[name]
        else:
            del self.fields["qualitative"]
        for name in ("numerator", "denominator", "basis"):
            if name in self.fields:
                self.fields[name] = whole_number(TargetEntry._meta.get_field(name))

    def clean(self):
        data = super().clean()
        qualitative = self.instance.target.kind == Target.Kind.QUALITATIVE
        try:
            rules.check_entry(
                qualitative,
                data.get("numerator"),
                data.get("denominator"),
                data.get("percent"),
                data.get("basis"),
                data.get("qualitative"),
            )
        except rules.EntryError as error:
            field = error.field if error.field in self.fields else None
            self.add_error(field, str(ERRORS.get(error.message, error.message)))
        return data


class EvidenceForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Evidence file"))

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        self.kind = validate_evidence(uploaded)
        return uploaded


class ReviewForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("hand", "hand"), ("submit", "submit"), ("accept", "accept"), ("return", "return")]
    )
    comment = forms.CharField(label=gettext_lazy("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


def error_text(message: str) -> str:
    return _(str(ERRORS.get(message, message)))


class SurveyUploadForm(forms.Form):
    """A SIPAS-form file with the survey's metadata (administrators of Sở Nội vụ)."""

    file = forms.FileField(label=gettext_lazy("SIPAS form (CSV or XLSX)"))
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    index = forms.ChoiceField(label=gettext_lazy("Index"), choices=rules.SURVEY_INDEX_CHOICES)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    organiser = forms.CharField(label=gettext_lazy("Carried out by"), max_length=200)
    sample_size = forms.IntegerField(label=gettext_lazy("Sample size"), min_value=1)
    started_on = DateField(label=gettext_lazy("From"))
    ended_on = DateField(label=gettext_lazy("To"))
    national_value = NumberField(
        label=gettext_lazy("National SIPAS figure (%)"),
        required=False,
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        name = (uploaded.name or "").lower()
        if not name.endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a CSV or XLSX file."))
        return uploaded


class BaselineForm(forms.ModelForm):
    class Meta:
        model = Baseline
        fields = ["year", "value", "source_document", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["value"] = whole_number(Baseline._meta.get_field("value"))
        self.fields["value"].required = True
