"""The dashboard's filters (page and API): year, period, unit, level."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cchc.indicators.periods import parse_period

LEVEL_CHOICES = [
    ("", _("All levels")),
    ("P", _("Provincial agencies")),
    ("D", _("District level")),
    ("C", _("Commune level")),
    ("province", _("Whole province")),
]


class DashboardFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    period = forms.CharField(label=_("Period"), required=False, max_length=8)
    unit = forms.CharField(label=_("Unit"), required=False, max_length=20)
    level = forms.ChoiceField(label=_("Level"), required=False, choices=LEVEL_CHOICES)

    def clean(self):
        data = super().clean()
        period = data.get("period") or ""
        year = data.get("year")
        if period:
            try:
                parsed = parse_period(period)
            except ValueError as exc:
                raise forms.ValidationError({"period": str(exc)}) from None
            if year and parsed.start.year != year:
                raise forms.ValidationError({"period": _("The period must be in the year chosen.")})
            data["year"] = parsed.start.year
        return data
