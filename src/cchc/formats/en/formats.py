"""English interface, Vietnamese calendar: dates are still written and read dd/mm/yyyy (the province's documents
are dated so); numbers in the English way (1,050.5)."""

from django.conf.locale.en.formats import *  # noqa: F403

from cchc.formats import DATE_INPUT_FORMATS as _DATES

SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
DATE_INPUT_FORMATS = list(_DATES)
DATETIME_INPUT_FORMATS = [f"{d} %H:%M" for d in _DATES] + [f"{d} %H:%M:%S" for d in _DATES]
