"""Figures are typed, kept and shown as Vietnamese write numbers: 1.500 (one thousand five hundred), 89,5%."""

from decimal import Decimal

import pytest

from cchc.reports.models import Report
from cchc.reports.tests.conftest import DISTRICT_FIGURES, form_data, unit
from cchc.review.models import ReviewState

pytestmark = pytest.mark.django_db


def test_counts_with_thousands_dots_and_percentages_with_a_comma_are_accepted_and_shown_back(client, q1, accounts):
    report = Report.objects.create(unit=unit("593"), period=q1)
    client.force_login(accounts["editor"])
    figures = {**DISTRICT_FIGURES, "psu_staff": "1.500", "work_files_online": "89,5"}
    response = client.post(report.get_absolute_url(), form_data(figures=figures))
    assert response.status_code == 302
    saved = {f.code: f.value for f in report.figures.all()}
    assert saved["psu_staff"] == Decimal(1500) and saved["work_files_online"] == Decimal("89.5")

    page = client.get(report.get_absolute_url()).text  # the draft's form: the figures as they were typed
    assert 'value="1.500"' in page and 'value="89,5"' in page

    Report.objects.filter(pk=report.pk).update(status=ReviewState.SUBMITTED)
    client.force_login(accounts["snv"])
    page = client.get(report.get_absolute_url()).text  # read-only: the figures as text
    figures_table = page.split('id="figures"')[1].split("</table>")[0]
    assert "1.500" in figures_table and "89,5%" in figures_table
    assert "89.5%" not in figures_table and "89.50" not in figures_table


def test_a_decimal_count_is_refused_with_a_message_naming_the_figure(client, q1, accounts):
    report = Report.objects.create(unit=unit("593"), period=q1)
    client.force_login(accounts["editor"])
    response = client.post(report.get_absolute_url(), form_data(figures={**DISTRICT_FIGURES, "psu_staff": "1.050,5"}))
    assert response.status_code == 400
    error = response.text.split('data-field="psu_staff"')[1][:300]
    assert "1.050,5" in error  # the message quotes what was typed and says a whole number is needed
    assert not report.figures.exists()
