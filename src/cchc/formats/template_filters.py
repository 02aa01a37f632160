"""Numbers on pages as the active language writes them: 1.050 and 89,5% in Vietnamese, 1,050 and 89.5% in English.

Loaded as a template builtin (not an app: every app may use it) (settings.TEMPLATES), so every template has:
- `floatformat` grouping thousands by default (Django's own with its "g" suffix implied; "u" still opts out);
- `num`: a figure with its thousands grouped, `{{ n|num }}` (as many decimals as it has), `{{ x|num:2 }}`;
- `percent`: a percentage number with one decimal, `{{ 89.5|percent }}` → "89,5%" ("—" when missing).
"""

from django import template
from django.template.defaultfilters import floatformat as django_floatformat
from django.utils.formats import get_format

from cchc.formats import format_number, format_percent

register = template.Library()


def _separators() -> tuple[str, str]:
    return get_format("DECIMAL_SEPARATOR"), get_format("THOUSAND_SEPARATOR")


@register.filter(is_safe=True)
def floatformat(value, arg=-1):
    arg = str(arg)
    if "g" not in arg and "u" not in arg:
        arg += "g"
    return django_floatformat(value, arg)


@register.filter(is_safe=True)
def num(value, places=None):
    """A figure with grouped thousands; `places` fixes the decimals, negative ones ("-2") drop trailing zeros."""
    if value is None or value == "":
        return "—"
    decimal_sep, thousand_sep = _separators()
    try:
        if places is None or places == "":
            return format_number(value, None, decimal_sep, thousand_sep, strip=True)
        places = int(places)
        return format_number(value, abs(places), decimal_sep, thousand_sep, strip=places < 0)
    except (ArithmeticError, ValueError, TypeError):
        return value


@register.filter(is_safe=True)
def percent(value, places=1):
    """A percentage number (89.5, not 0.895) with one decimal: "89,5%"; "—" when missing."""
    if value is None or value == "":
        return "—"
    decimal_sep, thousand_sep = _separators()
    try:
        return format_percent(value, int(places), decimal_sep, thousand_sep)
    except (ArithmeticError, ValueError, TypeError):
        return value
