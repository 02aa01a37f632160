"""Numbers and dates as Vietnamese write them (cchc.formats): parsing, writing, and the template filters."""

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from cchc.formats import (
    XLSX_DATETIME,
    XLSX_DECIMAL,
    XLSX_INTEGER,
    NumberError,
    format_number,
    format_percent,
    parse_date,
    parse_number,
    vietnam_time,
    xlsx_format,
)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1.050", Decimal(1050)),
        ("1.050,5", Decimal("1050.5")),
        ("1.234.567", Decimal(1234567)),
        ("1 050", Decimal(1050)),
        ("1\u00a0050,25", Decimal("1050.25")),
        ("89,5", Decimal("89.5")),
        ("89.5", Decimal("89.5")),  # one dot not followed by three digits: a decimal point typed the English way
        ("0,75", Decimal("0.75")),
        (",5", Decimal("0.5")),
        ("-12,5", Decimal("-12.5")),
        ("  42 ", Decimal(42)),
        (7, Decimal(7)),
        (1.5, Decimal("1.5")),
    ],
)
def test_numbers_are_read_as_vietnamese_write_them(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize("text", ["1.05.0", "1,2,3", "abc", "1.050.5", "1e3", "12,5a", ".", "1.050,5,0"])
def test_what_is_not_a_number_is_refused(text):
    with pytest.raises(NumberError):
        parse_number(text)


def test_empty_is_no_number():
    assert parse_number("") is None and parse_number("  ") is None and parse_number(None) is None


def test_the_english_interface_swaps_the_separators():
    assert parse_number("1,050.5", decimal_sep=".", thousand_sep=",") == Decimal("1050.5")
    assert parse_number("1,050", decimal_sep=".", thousand_sep=",") == Decimal(1050)


def test_numbers_are_written_grouped_with_a_decimal_comma():
    assert format_number(1050) == "1.050"
    assert format_number(Decimal("1050.5")) == "1.050,5"
    assert format_number(1234567.891, 2) == "1.234.567,89"
    assert format_number(Decimal("12.50"), strip=True) == "12,5"
    assert format_number(Decimal("12.00"), strip=True) == "12"
    assert format_number(-0.04, 1) == "0,0"  # never "-0,0"
    assert format_number(-1500) == "-1.500"
    assert format_number(0.05, 1) == "0,1"  # half up, not to even
    assert format_percent(89.5) == "89,5%"
    assert format_percent(66.666) == "66,7%"
    assert format_percent(None) == "—"


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("06/12/2026", dt.date(2026, 12, 6)),
        ("6/1/2026", dt.date(2026, 1, 6)),
        ("06-12-2026", dt.date(2026, 12, 6)),
        ("2026-12-06", dt.date(2026, 12, 6)),
    ],
)
def test_dates_are_read_day_first(text, day):
    assert parse_date(text) == day


def test_a_date_that_does_not_exist_is_refused():
    with pytest.raises(ValueError):
        parse_date("31/02/2026")
    with pytest.raises(ValueError):
        parse_date("12/31/2026")  # the American order is not a Vietnamese date


def test_moments_are_written_in_vietnam_time():
    moment = dt.datetime(2026, 12, 5, 20, 30, tzinfo=dt.UTC)
    assert vietnam_time(moment) == dt.datetime(2026, 12, 6, 3, 30)  # UTC+7, the next day
    assert vietnam_time(None) is None


def test_spreadsheet_cells_get_a_display_format_by_type():
    assert xlsx_format(1050) == XLSX_INTEGER
    assert xlsx_format(12.5) == XLSX_DECIMAL
    assert xlsx_format(dt.datetime(2026, 1, 1)) == XLSX_DATETIME
    assert xlsx_format("text") is None and xlsx_format(True) is None and xlsx_format(float("nan")) is None


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_template_filters_write_vietnamese_numbers_in_vietnamese_and_english_in_english():
    with translation.override("vi"):
        assert render("{{ v|percent }}", v=89.5) == "89,5%"
        assert render("{{ v|num }}", v=1050) == "1.050"
        assert render("{{ v|num:2 }}", v=Decimal("1050.5")) == "1.050,50"
        assert render("{{ v|floatformat:2 }}", v=1234.5) == "1.234,50"  # floatformat groups thousands too
        assert render("{{ v|floatformat:'2u' }}", v=1234.5) == "1234.50"  # unlocalised where a machine reads it
        assert render("{{ v|num }}", v=None) == "—"
    with translation.override("en"):
        assert render("{{ v|percent }}", v=89.5) == "89.5%"
        assert render("{{ v|num }}", v=1050) == "1,050"


def test_integers_printed_plainly_are_not_grouped():
    """Ids and years go into links: only the filters group thousands (USE_THOUSAND_SEPARATOR stays off)."""
    with translation.override("vi"):
        assert render("/reports/{{ pk }}/ {{ year }}", pk=12345, year=2023) == "/reports/12345/ 2023"


def test_the_number_field_reads_vietnamese_input_and_shows_it_back_grouped():
    from django import forms

    from cchc.formats.fields import DateField, NumberField

    class Figures(forms.Form):
        amount = NumberField(required=False, max_digits=12, decimal_places=2)
        count = NumberField(whole=True, required=False, min_value=0)
        day = DateField(required=False)

    with translation.override("vi"):
        form = Figures({"amount": "1.050,5", "count": "1.050", "day": "25/03/2023"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data == {"amount": Decimal("1050.5"), "count": 1050, "day": dt.date(2023, 3, 25)}
        shown = str(Figures(initial={"amount": Decimal("1050.50"), "count": 1050, "day": dt.date(2023, 3, 25)}))
        assert 'value="1.050,5"' in shown and 'value="1.050"' in shown and 'value="25/03/2023"' in shown
        assert 'type="text"' in shown and 'type="date"' not in shown and 'type="number"' not in shown

        form = Figures({"count": "1.050,5", "amount": "abc", "day": "03/25/2023"})
        assert not form.is_valid()
        assert form.errors["count"] == ["Nhập một số nguyên, ví dụ 1.050."]
        assert form.errors["amount"] == ["Nhập một số, ví dụ 1.050 hoặc 1.050,5."]
        assert "dd/mm/yyyy" in form.errors["day"][0]
    with translation.override("en"):
        form = Figures({"amount": "1,050.5", "count": "1,050"})
        assert form.is_valid() and form.cleaned_data["amount"] == Decimal("1050.5")
        assert form.cleaned_data["count"] == 1050
