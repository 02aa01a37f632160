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
    assert (q1.due_department, q1.due_district, q1.due_commune) == (D(2023, 3, 15), D(2023, 3, 17), D(2023, 3, 15))
    h1 = got[Kind.H1]
    assert (h1.data_from, h1.data_to, h1.ministry_due) == (D(2022, 12, 15), D(2023, 6, 14), D(2023, 6, 20))
    assert (h1.due_department, h1.due_commune) == (D(2023, 6, 15), D(2023, 6, 15))
    q3 = got[Kind.Q3]
    assert (q3.data_from, q3.data_to, q3.ministry_due) == (D(2023, 6, 15), D(2023, 9, 14), D(2023, 9, 20))
    assert (q3.due_district, q3.due_commune) == (D(2023, 9, 17), D(2023, 9, 15))
    year = got[Kind.YEAR]
    assert (year.data_from, year.data_to, year.ministry_due) == (D(2022, 12, 15), D(2023, 12, 14), D(2023, 12, 20))
    assert (year.due_department, year.due_district, year.due_commune) == (
        D(2023, 12, 15),
        D(2023, 12, 17),
        D(2023, 12, 15),
    )
    # No unit is due before its data cut-off (the 14th), nor after the Ministry's day.
    for p in got.values():
        assert all(p.data_to < due <= p.ministry_due for due in (p.due_department, p.due_district, p.due_commune))


def test_internal_deadlines_are_configurable_per_level():
    q3 = period(2023, "Q3", DueDays(department=16, district=18, commune=16))
    assert (q3.due_department, q3.due_district, q3.due_commune) == (D(2023, 9, 16), D(2023, 9, 18), D(2023, 9, 16))


def test_a_deadline_after_the_ministrys_day_is_refused():
    with pytest.raises(ValueError, match="department due day must be after the data cut-off.*not 25"):
        DueDays(department=25)


@pytest.mark.parametrize("day", [10, 14])
def test_no_unit_is_due_on_or_before_its_data_cut_off(day):
    with pytest.raises(ValueError, match=f"after the data cut-off .the 14th.*not {day}"):
        DueDays(commune=day)


def test_communes_are_not_due_after_their_district():
    with pytest.raises(ValueError, match="communes report to their district"):
        DueDays(commune=18, district=17)


@pytest.mark.django_db
def test_an_edited_period_keeps_deadlines_after_the_cut_off():
    from django.core.exceptions import ValidationError

    call_command("create_report_periods", "2023", stdout=StringIO())
    q1 = ReportPeriod.objects.get(year=2023, kind="Q1")
    q1.full_clean()
    q1.due_commune = D(2023, 3, 10)
    with pytest.raises(ValidationError) as caught:
        q1.full_clean()
    assert set(caught.value.message_dict) == {"due_commune"}


def test_the_title_says_the_window_it_covers():
    from django.utils import translation

    from cchc.reports.models import PeriodKind, ReportPeriod
    from cchc.reports.periods import year_so_far

    def period_title(year, kind):
        return ReportPeriod(year=year, kind=kind).title

    q3 = period(2023, "Q3")
    assert (q3.data_from, q3.data_to) == (D(2023, 6, 15), D(2023, 9, 14))  # one quarter…
    with translation.override("en"):
        assert str(PeriodKind(Kind.Q3).label) == "Quarter III"  # …titled as one, not "nine months"
    assert str(period_title(2023, Kind.Q3)) == "Báo cáo CCHC Quý III/2023"
    # The year so far at the Q3 cut-off: the six months' window, then the third quarter's, with no gap.
    h1 = period(2023, "H1")
    assert year_so_far("Q3") == (Kind.H1, Kind.Q3) and h1.data_to + dt.timedelta(days=1) == q3.data_from
    assert year_so_far("Y") == (Kind.YEAR,)


def test_deadline_days_come_from_settings(settings):
    settings.CCHC_REPORT_DUE_DAY_DEPARTMENT = 16
    settings.CCHC_REPORT_DUE_DAY_COMMUNE = 16
    assert DueDays.from_settings() == DueDays(department=16, district=17, commune=16)


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
        D(2023, 3, 15),
    )
    assert str(q1.title) == "Báo cáo CCHC Quý I/2023"
    q1.due_district = D(2023, 3, 13)  # an administrator moved it in the admin
    q1.save()
    out = StringIO()
    call_command("create_report_periods", "2023", stdout=out)
    assert "0 created, 4 already present" in out.getvalue()
    assert ReportPeriod.objects.count() == 4
    assert ReportPeriod.objects.get(year=2023, kind="Q1").due_district == D(2023, 3, 13)
