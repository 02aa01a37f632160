from django import template
from django.utils.translation import gettext as _

from cchc.formats.template_filters import percent
from cchc.indicators.periods import parse_period

register = template.Library()

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@register.filter
def period_label(code: str) -> str:
    """2023 → "Năm 2023", 2023S1 → "6 tháng đầu năm 2023", 2023Q1 → "Quý I/2023", 202303 → "Tháng 03/2023"."""
    try:
        p = parse_period(code)
    except ValueError:
        return code
    year = p.start.year
    if p.kind == "year":
        return _("Year %(year)s") % {"year": year}
    if p.kind == "half":
        first = p.start.month == 1
        return (_("First half of %(year)s") if first else _("Second half of %(year)s")) % {"year": year}
    if p.kind == "quarter":
        return _("Quarter %(q)s/%(year)s") % {"q": ROMAN[(p.start.month + 2) // 3], "year": year}
    return _("Month %(month)02d/%(year)s") % {"month": p.start.month, "year": year}


# The one percentage filter (92,7% in Vietnamese, 92.7% in English), also a builtin of every template.
register.filter("percent", percent, is_safe=True)


@register.filter
def mul100(value):
    """A ratio as a percentage number (Decimal or float)."""
    return None if value is None else float(value) * 100


@register.filter
def dictget(mapping, key):
    return mapping.get(key) if mapping else None
