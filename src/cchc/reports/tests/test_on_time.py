"""A report is on time when its head first submits it by the internal deadline of the unit's level."""

import pytest
from django.urls import reverse

from cchc.reports.tests.conftest import complete_report, move_deadlines

pytestmark = pytest.mark.django_db


def submit(client, head, report):
    client.force_login(head)
    assert client.post(report.get_absolute_url(), {"action": "submit"}).status_code == 302
    report.refresh_from_db()
    return report


def test_before_the_deadline_is_on_time(client, periods_2023, make_account):
    period = move_deadlines(periods_2023["Q1"], 3)
    report = submit(client, make_account("593", "head"), complete_report("593", period))
    assert report.on_time is True and report.due_date() == period.due_district


def test_on_the_deadline_itself_is_on_time(client, periods_2023, make_account):
    period = move_deadlines(periods_2023["Q1"], 0)
    assert submit(client, make_account("593", "head"), complete_report("593", period)).on_time is True


def test_after_the_deadline_is_late_and_the_page_says_so(client, periods_2023, make_account):
    period = move_deadlines(periods_2023["Q1"], -1)  # the real 2023 dates are long past as well
    report = submit(client, make_account("593", "head"), complete_report("593", period))
    assert report.on_time is False
    page = client.get(report.get_absolute_url())
    assert 'data-timing="late"' in page.text.split('id="report-status"')[1].split("</dd>")[0]


def test_each_level_has_its_own_deadline(client, periods_2023, make_account):
    period = periods_2023["H1"]
    move_deadlines(period, 5)
    period.due_commune = period.due_commune.replace(year=2023)  # communes: long past
    period.save()
    commune = submit(
        client,
        make_account("22915", "head"),
        complete_report("22915", period, figures={"work_files_online": "55", "commune_officials_standard": "100"}),
    )
    district = submit(client, make_account("593", "head"), complete_report("593", period))
    assert (commune.on_time, district.on_time) == (False, True)


def test_a_unit_that_has_not_reported_by_its_deadline_shows_late(client, periods_2023, make_account):
    move_deadlines(periods_2023["Q1"], -2)
    client.force_login(make_account("SNV", "administrator"))
    page = client.get(reverse("reports:index"), {"year": 2023, "status": "late"})
    assert 'data-unit="593"' in page.text
    row = page.text.split('data-unit="593"')[1].split("</tr>")[0]
    assert 'data-status="missing"' in row and 'data-timing="late"' in row
