from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from cchc.accounts.models import Membership, Role
from cchc.accounts.provisioning import USERNAME
from cchc.units.models import Unit
from cchc.units.picker import UnitChoiceField


class AccountForm(forms.Form):
    """An account of a unit, made by the province administrator. Nobody but the account's owner knows its password:
    the owner sets it through a one-time link (cchc.accounts.passwords), never the administrator."""

    username = forms.CharField(label=_("Username"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False, help_text=_("reminders are sent here"))
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, instance: Membership | None = None, **kwargs):
        self.instance = instance
        if instance is not None:
            kwargs["initial"] = {
                **(kwargs.get("initial") or {}),
                **{
                    "username": instance.user.username,
                    "email": instance.user.email,
                    "unit": instance.unit_id,
                    "role": instance.role,
                    "is_active": instance.user.is_active,
                },
            }
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.current().order_by("kind", "sort_order", "code")
        if instance is not None:
            self.fields["username"].disabled = True

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if not USERNAME.match(username):
            raise forms.ValidationError(_("Use letters, digits and @ . + - _ only."))
        users = get_user_model().objects.filter(username=username)
        if self.instance is not None:
            users = users.exclude(pk=self.instance.user_id)
        if users.exists():
            raise forms.ValidationError(_("This username is taken."))
        return username

    def clean(self):
        data = super().clean()
        unit = data.get("unit")
        if data.get("role") == Role.DISTRICT_OFFICER and unit is not None and unit.kind != "district":
            self.add_error(
                "role",
                _("A district officer belongs to a district; there is no district level since 1 July 2025."),
            )
        return data

    def save(self) -> Membership:
        data = self.cleaned_data
        if self.instance is None:
            user = get_user_model()(username=data["username"])
            membership = Membership(role=data["role"], unit=data["unit"])
        else:
            membership = self.instance
            user = membership.user
            membership.role, membership.unit = data["role"], data["unit"]
        user.email, user.is_active = data["email"], data["is_active"]
        if self.instance is None:
            user.set_unusable_password()  # until the owner follows the one-time link
        user.save()
        membership.user = user
        membership.save()
        return membership


class AccountFileForm(forms.Form):
    file = forms.FileField(
        label=_("Accounts file (CSV)"),
        help_text=_("UTF-8 CSV with the columns username, email, unit, role (one account per row)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
