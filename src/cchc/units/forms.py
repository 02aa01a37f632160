from django import forms
from django.utils.translation import gettext_lazy as _

from cchc.formats.fields import DateField
from cchc.units.models import EventKind


class UnitEventForm(forms.Form):
    """An administrator's event: the same checks as an event file (units/events.py)."""

    date = DateField(label=_("Date"), help_text=_("first day of the new situation, dd/mm/yyyy"))
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices)
    basis = forms.CharField(label=_("Legal basis"), widget=forms.Textarea(attrs={"rows": 2}))
    predecessors = forms.CharField(
        label=_("Predecessors"),
        required=False,
        help_text=_("codes of the units valid the day before, e.g. 22918 22924"),
    )
    successors = forms.CharField(
        label=_("Successors"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_(
            "one per line: code; name; type (a new unit), or the code alone (a unit valid on the date); "
            "on a split add ; share (0–1) or ; default"
        ),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def document(self) -> dict:
        data = self.cleaned_data
        targets = []
        for line in data["successors"].splitlines():
            parts = [p.strip() for p in line.split(";")]
            if not parts[0]:
                continue
            target = {"code": parts[0]}
            if len(parts) > 1 and parts[1]:
                target["name"] = parts[1]
            if len(parts) > 2 and parts[2]:
                target["type"] = parts[2]
            if len(parts) > 3 and parts[3]:
                if parts[3].lower() in {"default", "mặc định"}:
                    target["default"] = True
                else:
                    target["share"] = parts[3].replace(",", ".")
            targets.append(target)
        return {
            "events": [
                {
                    "date": data["date"],
                    "kind": data["kind"],
                    "basis": data["basis"],
                    "note": data["note"],
                    "from": data["predecessors"].replace(",", " ").split(),
                    "to": targets,
                }
            ]
        }
