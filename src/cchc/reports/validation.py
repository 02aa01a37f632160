"""Checks of the figures a unit enters, with messages that name the field by its label and say the rule.

- a count is a whole number of zero or more; a percentage a number from 0 to 100;
- a part cannot exceed its whole, and the (disjoint) parts of one whole together cannot exceed it;
- required figures must be there before the report leaves the unit (`complete=True`).

A figure that is not a number of its kind cannot be stored; the cross-checks between figures (parts and wholes) do
not stop a draft from being saved — the unit may be waiting for the missing part of a whole — only its hand-over and
submission (`cross_check_errors`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation

from django.utils.formats import get_format
from django.utils.translation import gettext as _

from cchc.formats import NumberError, format_number, parse_number
from cchc.reports.statistics import Statistic

PERCENT_PLACES = Decimal("0.01")


def show(value: Decimal) -> str:
    """A value as a machine reads it (the API), without trailing zeros (12 not 12.00)."""
    return format(value.normalize(), "f")


def display(value: Decimal) -> str:
    """A value as people write it in the active language, without trailing zeros: 1.050 and 12,5 in Vietnamese."""
    return format_number(value, None, *_separators(), strip=True)


def _separators() -> tuple[str, str]:
    return get_format("DECIMAL_SEPARATOR"), get_format("THOUSAND_SEPARATOR")


def parse_value(stat: Statistic, raw) -> Decimal | None:
    """The number in `raw` (None when empty); ValueError with the message when it breaks the figure's kind.

    Typed text is read as people write numbers in the active language: "1.050" and "1.050,5" in Vietnamese
    (cchc.formats.parse_number)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = parse_number(raw, *_separators())
    except (NumberError, InvalidOperation):
        value = None
    if stat.is_percent:
        if value is None or not value.is_finite() or not Decimal(0) <= value <= Decimal(100):
            raise ValueError(
                _("“%(label)s” is a percentage: enter a number from 0 to 100, not “%(value)s”.")
                % {"label": stat.display_label, "value": raw}
            )
        return value.quantize(PERCENT_PLACES)
    # A count is integral and not negative ("1,5", "1e3" and "-2" are not counts).
    whole = value is not None and value.is_finite() and value == value.to_integral_value()
    if value is None or not whole or value < 0:
        raise ValueError(
            _("“%(label)s” must be a whole number of zero or more, not “%(value)s”.")
            % {"label": stat.display_label, "value": raw}
        )
    return Decimal(int(value))


def validate(
    raw: Mapping[str, object], statistics: Sequence[Statistic], complete: bool = False, cross_checks: bool = True
) -> tuple[dict[str, Decimal | None], dict[str, list[str]]]:
    """(values by code, messages by code). Codes in `raw` that are not among `statistics` are errors too.

    Without `cross_checks` only each figure on its own is checked (what saving a draft needs)."""
    by_code = {stat.code: stat for stat in statistics}
    errors: dict[str, list[str]] = defaultdict(list)
    values: dict[str, Decimal | None] = {}
    for code in raw:
        if code not in by_code:
            errors[code].append(_("“%(code)s” is not a figure of this report.") % {"code": code})
    for stat in statistics:
        try:
            values[stat.code] = parse_value(stat, raw.get(stat.code))
        except ValueError as exc:
            errors[stat.code].append(str(exc))
            continue
        if complete and stat.required and values[stat.code] is None:
            errors[stat.code].append(_("“%(label)s” is required.") % {"label": stat.display_label})
    if cross_checks:
        for code, messages in cross_check_errors(values, statistics).items():
            errors[code].extend(messages)
    return values, dict(errors)


def cross_check_errors(values: Mapping[str, Decimal | None], statistics: Sequence[Statistic]) -> dict[str, list[str]]:
    """Parts that exceed their whole, and parts that together exceed it: messages by code."""
    by_code = {stat.code: stat for stat in statistics}
    errors: dict[str, list[str]] = defaultdict(list)
    parts: dict[str, list[Statistic]] = defaultdict(list)
    for stat in statistics:
        if stat.part_of in by_code:
            parts[stat.part_of].append(stat)
    for whole_code, members in parts.items():
        whole, whole_value = by_code[whole_code], values.get(whole_code)
        if whole_value is None:
            continue
        for part in members:
            value = values.get(part.code)
            if value is not None and value > whole_value:
                errors[part.code].append(
                    _("“%(label)s” (%(value)s) cannot exceed “%(whole)s” (%(whole_value)s).")
                    % {
                        "label": part.display_label,
                        "value": display(value),
                        "whole": whole.display_label,
                        "whole_value": display(whole_value),
                    }
                )
        filled = [value for part in members if (value := values.get(part.code)) is not None]
        total = sum(filled, Decimal(0))
        if len(filled) > 1 and total > whole_value and all(value <= whole_value for value in filled):
            errors[whole_code].append(
                _("The parts of “%(whole)s” add up to %(total)s, more than its %(whole_value)s.")
                % {
                    "whole": whole.display_label,
                    "total": display(total),
                    "whole_value": display(whole_value),
                }
            )
    return dict(errors)
