from django import forms
from django.utils.translation import gettext_lazy as _

from cchc.documents import queries
from cchc.documents.generate import KIND_CHOICES
from cchc.formats.fields import DateField
from cchc.reports.models import ReportPeriod


class GenerateForm(forms.Form):
    period = forms.ModelChoiceField(
        label=_("Report period"), queryset=ReportPeriod.objects.order_by("-year", "-data_to"), empty_label=None
    )
    kind = forms.ChoiceField(label=_("Document"), choices=KIND_CHOICES)
    number_symbol = forms.CharField(
        label=_("Number and symbol"), max_length=60, initial=queries.Options.number_symbol, required=False
    )
    date = DateField(label=_("Date of the document"), required=False)
    signer_name = forms.CharField(
        label=_("Signer"), max_length=120, required=False, help_text=_("Empty: the plan's signer.")
    )
    signer_title = forms.CharField(label=_("Signer's title"), max_length=120, required=False)
    recipients = forms.CharField(
        label=_("Recipients"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line; empty: the usual recipients."),
        initial="\n".join(queries.DEFAULT_RECIPIENTS),
    )

    def options(self) -> queries.Options:
        data = self.cleaned_data
        recipients = [line.strip() for line in (data.get("recipients") or "").splitlines() if line.strip()]
        return queries.Options(
            number_symbol=data.get("number_symbol") or queries.Options.number_symbol,
            date=data.get("date"),
            signer_name=data.get("signer_name") or None,
            signer_title=data.get("signer_title") or None,
            recipients=recipients or None,
        )
