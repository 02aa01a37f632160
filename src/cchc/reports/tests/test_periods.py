"""The four reports of a year and their deadlines (Decree 09/2019), exact dates for 2023."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from cchc.reports.models import ReportPeriod
from cchc.reports.periods import DueDays, Kind, period, periods_for

D = dt.date


def test_the_four_reports_of_2023_with_the_default_deadlines():
    got = {p.kind: p for p in periods_for(2023)}
    assert list(got) == [Kind.Q1, Kind.H1, Kind.Q3, Kind.YEAR]
    q1 = got[Kind.Q1]
    assert (q1.data_from, q1.data_to, q1.ministry_due) == (D(2022, 12, 15), D(2023, 3, 14), D(2023, 3, 20))
    assert (q1.due_department, q1.due_district, q1.due_commune) == (D(2023, 3, 15), D(2023, 3, 15), D(2023, 3, 10))
    h1 = got[Kind.H1]
    assert (h1.data_from, h1.data_to, h1.ministry_due) == (D(2022, 12, 15), D(2023, 6, 14), D(2023, 6, 20))
    assert (h1.due_department, h1.due_commune) == (D(2023, 6, 15), D(2023, 6, 10))
    q3 = got[Kind.Q3]
    assert (q3.data_from, q3.data_to, q3.ministry_due) == (D(2023, 6, 15), D(2023, 9, 14), D(2023, 9, 20))
    assert (q3.due_district, q3.due_commune) == (D(2023, 9, 15), D(2023, 9, 10))
    year = got[Kind.YEAR]
    assert (year.data_from, year.data_to, year.ministry_due) == (D(2022, 12, 15), D(2023, 12, 14), D(2023, 12, 20))
    assert (year.due_department, year.due_district, year.due_commune) == (D(2023, 12, 15),) * 2 + (D(2023, 12, 10),)


def test_internal_deadlines_are_configurable_per_level():
    q3 = period(2023, "Q3", DueDays(department=12, district=14, commune=5))
    assert (q3.due_department, q3.due_district, q3.due_commune) == (D(2023, 9, 12), D(2023, 9, 14), D(2023, 9, 5))


def test_a_deadline_after_the_ministrys_day_is_refused():
    with pytest.raises(ValueError, match="commune due day must be between 1 and 20"):
        DueDays(commune=25)


def test_deadline_days_come_from_settings(settings):
    settings.CCHC_REPORT_DUE_DAY_DEPARTMENT = 13
    settings.CCHC_REPORT_DUE_DAY_COMMUNE = 8
    assert DueDays.from_settings() == DueDays(department=13, district=15, commune=8)


@pytest.mark.django_db
def test_the_command_creates_the_periods_once_and_keeps_edits():
    out = StringIO()
    call_command("create_report_periods", "2023", stdout=out)
    assert "4 created, 0 already present" in out.getvalue()
    q1 = ReportPeriod.objects.get(year=2023, kind="Q1")
    assert (q1.data_from, q1.data_to, q1.ministry_due, q1.due_commune) == (
        D(2022, 12, 15),
        D(2023, 3, 14),
        D(2023, 3, 20),
        D(2023, 3, 10),
    )
    assert str(q1.title) == "Báo cáo CCHC Quý I/2023"
    q1.due_district = D(2023, 3, 13)  # an administrator moved it in the admin
    q1.save()
    out = StringIO()
    call_command("create_report_periods", "2023", stdout=out)
    assert "0 created, 4 already present" in out.getvalue()
    assert ReportPeriod.objects.count() == 4
    assert ReportPeriod.objects.get(year=2023, kind="Q1").due_district == D(2023, 3, 13)
