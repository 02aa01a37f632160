from pathlib import PurePath

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.agencyplans.models import AgencyPlan, AgencyPlanItem
from cchc.core.uploads import sha256, validate_evidence
from cchc.formats.fields import DateInput, NumberInput


class AgencyPlanForm(forms.ModelForm):
    """The signed decision that issues the unit's plan."""

    class Meta:
        model = AgencyPlan
        fields = ["title", "document_number", "issued_on", "signed_document", "note"]
        # a plain file input: the clearable one links to the stored file's media address, which is not served
        widgets = {
            "issued_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 2}),
            "signed_document": forms.FileInput(attrs={"accept": ".pdf,.docx,.png,.jpg,.jpeg"}),
        }

    def clean_signed_document(self):
        uploaded = self.cleaned_data.get("signed_document")
        if isinstance(uploaded, UploadedFile):
            validate_evidence(uploaded)
        return uploaded

    def save(self, commit=True):
        uploaded = self.files.get(self.add_prefix("signed_document"))
        if uploaded:
            self.instance.signed_document_name = PurePath(uploaded.name).name
            self.instance.signed_document_sha256 = sha256(uploaded)
        return super().save(commit)


class AgencyPlanItemForm(forms.ModelForm):
    class Meta:
        model = AgencyPlanItem
        fields = ["text", "owner", "start", "due", "order"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "start": DateInput(),
            "due": DateInput(),
            "order": NumberInput(whole=True),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.task_id:
            # a province task is worded as the province plan words it; the unit adds who leads it and when
            self.fields["text"].disabled = True

    def clean(self):
        data = super().clean()
        start, due = data.get("start"), data.get("due")
        if start and due and start > due:
            self.add_error("due", _("The due date must not be before the start date."))
        return data


class BaseItemFormSet(forms.BaseInlineFormSet):
    deletion_widget = forms.CheckboxInput

    def clean(self):
        super().clean()
        for number, form in enumerate(self.forms, start=1):
            if self.can_delete and self._should_delete_form(form) and form.instance.task_id:
                raise ValidationError(
                    _("Row %(row)d is a province task and cannot be removed; only the unit's own tasks can.")
                    % {"row": number}
                )

    def save_new(self, form, commit=True):
        form.instance.is_own = True  # rows added on the page are the unit's own tasks
        return super().save_new(form, commit)


ItemFormSet = forms.inlineformset_factory(
    AgencyPlan,
    AgencyPlanItem,
    form=AgencyPlanItemForm,
    formset=BaseItemFormSet,
    extra=1,
    can_delete=True,
)


class ReviewForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("hand", "hand"),
            ("submit", "submit"),
            ("accept", "accept"),
            ("return", "return"),
            ("reopen", "reopen"),
        ]
    )
    comment = forms.CharField(label=gettext_lazy("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
