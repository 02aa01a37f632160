"""Numbers and dates as Vietnamese write and read them, without web code.

- Numbers: thousands grouped with "." and decimals after ",": 1.050 is one thousand and fifty, 1.050,5 is one
  thousand and fifty and a half, 89,5 is eighty-nine and a half. Spaces (also non-breaking ones) may group
  thousands too. One dot followed by other than three digits ("89.5", "0.25") cannot be a thousands separator:
  it is read as a decimal point, as typed on an English keypad. "1.050" always means 1050.
  The separators are parameters: the English interface passes "." and "," swapped.
- Dates: dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy and ISO yyyy-mm-dd, the browser's own format).
- Times written into exports are in Vietnam's time (UTC+7, no daylight saving).
- Spreadsheet number formats: cells hold numbers and dates, never text; Excel shows them with the reader's
  separators (the "#,##0" of a format code is a placeholder, not a literal comma).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

# Excel number formats (the [$-42A] locale tag is Vietnamese: month names, and the default when a reader's
# Excel asks for the document's locale).
XLSX_INTEGER = "#,##0"
XLSX_DECIMAL = "#,##0.00"
XLSX_PERCENT = "#,##0.0"  # a percentage number (89.5 → 89,5 in a Vietnamese Excel), one decimal as on the pages
XLSX_DATE = "dd/mm/yyyy"
XLSX_DATETIME = "dd/mm/yyyy hh:mm"

_SPACES = re.compile(r"[\s\u00a0\u202f]")
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]


class NumberError(ValueError):
    """Text that is not a number in the expected format."""


def _grouped(integer: str, thousand_sep: str) -> str | None:
    """The digits of `integer` if its thousands separators are where they belong (1.050.000), else None."""
    groups = integer.split(thousand_sep)
    if not groups[0] or len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:]):
        return None
    digits = "".join(groups)
    return digits if digits.isdigit() else None


def parse_number(text, decimal_sep: str = ",", thousand_sep: str = ".") -> Decimal | None:
    """The number written in `text` (None when empty); NumberError when it is not one.

    Numbers (int, float, Decimal) are taken as they are.
    """
    if text is None:
        return None
    if isinstance(text, bool):
        raise NumberError(str(text))
    if isinstance(text, int | Decimal):
        return Decimal(text)
    if isinstance(text, float):
        return Decimal(str(text))
    raw = _SPACES.sub("", str(text))
    if not raw:
        return None
    sign = ""
    if raw[0] in "+-−":
        sign, raw = ("-" if raw[0] != "+" else ""), raw[1:]
    if raw.count(decimal_sep) > 1:
        raise NumberError(text)
    integer, _, fraction = raw.partition(decimal_sep)
    if decimal_sep in raw and (fraction and not fraction.isdigit()):
        raise NumberError(text)
    if thousand_sep in integer:
        digits = _grouped(integer, thousand_sep)
        if digits is None:
            # "89.5" in Vietnamese, "89,5" in English: a decimal point of the other convention, when nothing else.
            whole, _, rest = integer.partition(thousand_sep)
            if decimal_sep in raw or thousand_sep in rest or not whole.isdigit() or not rest.isdigit():
                raise NumberError(text)
            digits, fraction = whole, rest
    else:
        digits = integer
    if not digits and fraction:
        digits = "0"  # ",5" is a half
    if not digits.isdigit():
        raise NumberError(text)
    try:
        return Decimal(f"{sign}{digits}.{fraction}" if fraction else f"{sign}{digits}")
    except InvalidOperation as exc:  # pragma: no cover - digits only by now
        raise NumberError(text) from exc


def format_number(
    value, places: int | None = None, decimal_sep: str = ",", thousand_sep: str = ".", strip: bool = False
) -> str:
    """`value` with its thousands grouped: 1050 → "1.050", 1050.5 → "1.050,5" (places None: as many as it has).

    `places` rounds half up; `strip` drops trailing zeros of the fraction (12,50 → 12,5; 12,00 → 12).
    """
    if value is None or value == "":
        return ""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places), rounding="ROUND_HALF_UP")
    sign = "-" if number < 0 else ""
    text = format(abs(number), "f")
    integer, _, fraction = text.partition(".")
    if strip:
        fraction = fraction.rstrip("0")
    groups = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    groups.insert(0, integer)
    out = thousand_sep.join(groups)
    if sign and (set(out) - {"0", thousand_sep} or set(fraction) - {"0"}):
        out = sign + out  # never "-0"
    return f"{out}{decimal_sep}{fraction}" if fraction else out


def format_percent(value, places: int = 1, decimal_sep: str = ",", thousand_sep: str = ".") -> str:
    """A percentage number with one decimal: 89.5 → "89,5%"; None → "—"."""
    if value is None or value == "":
        return "—"
    return format_number(value, places, decimal_sep, thousand_sep) + "%"


def parse_date(text) -> dt.date | None:
    """The date written dd/mm/yyyy (or ISO); None when empty; ValueError when it is not a date."""
    if text is None:
        return None
    if isinstance(text, dt.datetime):
        return text.date()
    if isinstance(text, dt.date):
        return text
    raw = str(text).strip()
    if not raw:
        return None
    for pattern in DATE_INPUT_FORMATS:
        try:
            return dt.datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def format_date(value: dt.date | None) -> str:
    return "" if value is None else f"{value:%d/%m/%Y}"


def vietnam_time(moment: dt.datetime | None) -> dt.datetime | None:
    """A stored moment in Vietnam's time, without zone (what a spreadsheet cell holds); naive moments are UTC."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(VIETNAM).replace(tzinfo=None)


def xlsx_format(value) -> str | None:
    """The display format of a spreadsheet cell holding `value` (None: not a number or date)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return XLSX_INTEGER
    if isinstance(value, float | Decimal):
        if not math.isfinite(value):
            return None
        return XLSX_INTEGER if value == int(value) else XLSX_DECIMAL
    if isinstance(value, dt.datetime):
        return XLSX_DATETIME
    if isinstance(value, dt.date):
        return XLSX_DATE
    return None
