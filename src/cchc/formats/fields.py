"""The form fields every numeric and date input uses: Vietnamese formats in and out, whatever the browser's language.

- `NumberField`: "1.050", "1.050,5", "89,5" (and "1 050", "89.5") read as Vietnamese write them
  (cchc.formats.parse_number); shown back grouped ("1.050"); `whole=True` for counts.
- `DateField`: a text input showing and reading dd/mm/yyyy. A native <input type=date> would show the browser's
  format (mm/dd/yyyy in an English browser), not the province's.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _

from cchc.formats import DATE_INPUT_FORMATS, NumberError, format_number, parse_number


def separators() -> tuple[str, str]:
    """(decimal, thousands) separators of the active language."""
    return get_format("DECIMAL_SEPARATOR"), get_format("THOUSAND_SEPARATOR")


def parse_localized(value) -> Decimal | None:
    """A number typed in the active language's format (Vietnamese: 1.050,5); NumberError if it is not one."""
    return parse_number(value, *separators())


def show_localized(value, places: int | None = None) -> str:
    """A number as an input shows it: 1.050 and 12,5 (no trailing zeros unless `places`)."""
    return format_number(value, places, *separators(), strip=places is None)


def examples() -> dict[str, str]:
    return {"whole": show_localized(1050), "decimal": show_localized(Decimal("1050.5"))}


class NumberInput(forms.TextInput):
    """A text input (a type=number input refuses "1.050,5" in most browsers) for a figure."""

    def __init__(self, attrs=None, whole: bool = False):
        base = {"class": "num", "inputmode": "numeric" if whole else "decimal", "autocomplete": "off"}
        super().__init__({**base, **(attrs or {})})


class NumberField(forms.DecimalField):
    default_error_messages = {
        # Examples in the active language's format: 1.050 and 1.050,5 in Vietnamese, 1,050 and 1,050.5 in English.
        "invalid": _("Enter a number, e.g. %(whole)s or %(decimal)s."),
        "whole": _("Enter a whole number, e.g. %(whole)s."),
    }

    def __init__(self, *, whole: bool = False, **kwargs):
        self.whole = whole
        if whole:
            kwargs.setdefault("decimal_places", 0)
        kwargs.setdefault("widget", NumberInput(whole=whole))
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            number = parse_localized(value)
        except NumberError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid", params=examples()) from None
        if number is not None and self.whole and number != number.to_integral_value():
            raise forms.ValidationError(self.error_messages["whole"], code="whole", params=examples())
        return number.to_integral_value() if number is not None and self.whole else number

    def clean(self, value):
        number = super().clean(value)
        return int(number) if self.whole and number is not None else number

    def prepare_value(self, value):
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return show_localized(value)
        return value

    def widget_attrs(self, widget):
        return {}  # no step/min/max: they belong to type=number inputs


class DateInput(forms.DateInput):
    input_type = "text"

    def __init__(self, attrs=None):
        base = {
            "class": "date",
            "placeholder": _("dd/mm/yyyy"),
            "inputmode": "numeric",
            "autocomplete": "off",
            "size": 10,
            "maxlength": 10,
            "data-date-input": "dd/mm/yyyy",
        }
        super().__init__({**base, **(attrs or {})}, format="%d/%m/%Y")


class DateField(forms.DateField):
    widget = DateInput
    input_formats = DATE_INPUT_FORMATS
    default_error_messages = {"invalid": _("Enter a date as dd/mm/yyyy, e.g. 06/12/2026.")}


def admin_number_overrides() -> dict:
    """`formfield_overrides` of a ModelAdmin whose figures are typed in: 1.050 and 1.050,5 as everywhere else."""
    from django.db import models

    whole = {"form_class": NumberField, "whole": True, "widget": NumberInput(whole=True)}
    return {
        models.IntegerField: whole,
        models.BigIntegerField: whole,
        models.PositiveIntegerField: whole,
        models.FloatField: {"form_class": NumberField, "widget": NumberInput()},
        models.DecimalField: {"form_class": NumberField, "widget": NumberInput()},
    }
