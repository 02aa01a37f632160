from django import forms
from django.utils.translation import gettext as _

from cchc.formats.fields import NumberInput
from cchc.reports.models import Report
from cchc.reports.services import NARRATIVE_FIELDS, REQUIRED_SECTIONS
from cchc.reports.validation import display, validate


class NarrativeForm(forms.ModelForm):
    """The five sections; with `complete` (sending to the head) the required ones must be written."""

    class Meta:
        model = Report
        fields = list(NARRATIVE_FIELDS)
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in NARRATIVE_FIELDS}

    def __init__(self, *args, complete: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for name in REQUIRED_SECTIONS:
            self.fields[name].required = complete
        if complete:
            for name in REQUIRED_SECTIONS:
                label = self.fields[name].label
                self.fields[name].error_messages["required"] = _("“%(label)s” is required.") % {"label": label}


class FiguresForm(forms.Form):
    """One text field per figure of the report; the checks are those of cchc.reports.validation."""

    def __init__(self, *args, statistics, initial_values=None, complete: bool = False, **kwargs):
        initial = {code: display(value) for code, value in (initial_values or {}).items() if value is not None}
        super().__init__(*args, initial=initial, prefix="fig", **kwargs)
        self.statistics = statistics
        self.complete = complete
        for stat in statistics:
            self.fields[stat.code] = forms.CharField(
                label=stat.display_label,
                required=False,
                widget=NumberInput(attrs={"size": 8}, whole=not stat.is_percent),  # 1.050 and 89,5 as elsewhere
            )

    def clean(self):
        raw = {stat.code: self.cleaned_data.get(stat.code, "") for stat in self.statistics}
        # Saving a draft checks each figure; the cross-checks only stop a hand-over (shown as warnings on a save).
        values, errors = validate(raw, self.statistics, complete=self.complete, cross_checks=self.complete)
        for code, messages in errors.items():
            for message in messages:
                self.add_error(code if code in self.fields else None, message)
        self.values = values
        return self.cleaned_data
