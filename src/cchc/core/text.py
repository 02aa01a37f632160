"""Text that people type or import, and text written into Word, Excel and CSV files.

- `normalise` (on input: every model save, forms, the API, imports): Unicode NFC (Vietnamese letters composed),
  line breaks as "\\n", vertical tab and form feed as line breaks, every other control character (C0 but tab and
  line feed, DEL, C1) and non-characters removed. Stored text is then always valid XML.
- `xml_safe` (on output: python-docx, openpyxl): the same removal, for text stored before normalisation existed, so
  a generator never fails on stored text.
- `spreadsheet_cell` / `csv_cell` (on output): a text beginning with "=", "+", "-", "@", tab or carriage return is
  never taken as a formula: written as a text cell with Excel's quote prefix in XLSX, prefixed with "'" in CSV
  (OWASP's guidance on CSV injection).
- `safe_append` also writes numbers, dates and times as such with a grouped display format (1.050; 89,5 in a
  Vietnamese Excel), aware times in Vietnam's time (cchc.formats).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

# Characters XML 1.0 forbids, C1 controls and DEL, and the non-characters U+FFFE/U+FFFF; tab and "\n" are kept.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def normalise(value: str) -> str:
    if not value:
        return value
    value = _BREAKS.sub("\n", value)
    value = _CONTROL.sub("", value)
    return unicodedata.normalize("NFC", value)


def normalise_instance(instance) -> None:
    """Normalise every text field of a model instance in place (a pre_save receiver calls this for every save)."""
    from django.db import models

    for field in instance._meta.concrete_fields:
        if isinstance(field, (models.CharField, models.TextField)) and not field.choices:
            value = getattr(instance, field.attname, None)
            if isinstance(value, str) and value:
                cleaned = normalise(value)
                if cleaned != value:
                    setattr(instance, field.attname, cleaned)


def normalise_on_save(sender, instance, raw=False, **kwargs) -> None:
    if not raw:  # fixtures are loaded as they are
        normalise_instance(instance)


def xml_safe(value: str) -> str:
    """Text python-docx and openpyxl accept (they refuse control characters with an exception)."""
    if not value:
        return value
    return _CONTROL.sub("", _BREAKS.sub("\n", value))


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def csv_cell(value):
    """A CSV value a spreadsheet will not evaluate."""
    return "'" + value if is_formula_like(value) else value


def spreadsheet_cell(sheet, value, number_format: str | None = None):
    """The value to append to an openpyxl worksheet: text is cleaned, and formula-like text is a text cell;
    a number or a date is a cell with its display format (`number_format`, or the one of its type)."""
    if not isinstance(value, str):
        from cchc.formats import vietnam_time, xlsx_format

        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            value = vietnam_time(value)
        shown = xlsx_format(value) and (number_format or xlsx_format(value))
        if not shown:
            return value
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = shown
        return cell
    if is_formula_like(value):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value=xml_safe(value))
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell
    return xml_safe(value)


def safe_append(sheet, row, formats: dict[int, str] | None = None) -> None:
    """`sheet.append(row)` with every text cell made safe and every number formatted (see `spreadsheet_cell`);
    `formats` gives the display format of some columns (0-based), e.g. {6: XLSX_PERCENT}."""
    formats = formats or {}
    sheet.append([spreadsheet_cell(sheet, value, formats.get(index)) for index, value in enumerate(row)])
