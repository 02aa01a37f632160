"""Vietnamese formats (FORMAT_MODULE_PATH): Django's own, with dates written dd/mm/yyyy and read that way."""

from cchc.formats import DATE_INPUT_FORMATS as _DATES

DATE_FORMAT = r"\N\gà\y d \t\há\n\g n \nă\m Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = r"H:i \N\gà\y d \t\há\n\g n \nă\m Y"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS = list(_DATES)
DATETIME_INPUT_FORMATS = [f"{d} %H:%M" for d in _DATES] + [f"{d} %H:%M:%S" for d in _DATES]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
