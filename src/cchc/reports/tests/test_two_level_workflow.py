"""Workflows of a two-level province: communes report to Sở Nội vụ; no district officer once districts are gone."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from cchc.accounts import scope
from cchc.accounts.forms import AccountForm
from cchc.reports.models import ReportPeriod
from cchc.reports.obligations import reporting_units
from cchc.units.models import Unit


@pytest.fixture
def lam_dong(plan_2023, load_units_2026):
    load_units_2026()


def test_2026_report_periods_give_communes_the_departments_day(lam_dong, settings):
    settings.CCHC_REPORT_DUE_DAY_COMMUNE = 16  # a commune day different from the departments' (15)
    call_command("create_report_periods", "2026", stdout=StringIO())
    call_command("create_report_periods", "2024", stdout=StringIO())
    q1 = ReportPeriod.objects.get(year=2026, kind="Q1")
    assert q1.due_commune == q1.due_department == dt.date(2026, 3, 15)
    # With districts (2024) communes keep their own day: they hand in to their district first.
    assert ReportPeriod.objects.get(year=2024, kind="Q1").due_commune == dt.date(2024, 3, 16)


def test_in_2026_the_reporting_units_are_departments_and_communes_of_lam_dong(lam_dong):
    units = list(reporting_units(dt.date(2026, 3, 1)))
    kinds = {u.kind for u in units}
    assert kinds == {"department", "commune"}
    assert sum(u.kind == "commune" for u in units) == 124


def test_sở_nội_vụ_reviews_communes_and_a_dissolved_districts_officer_reviews_nothing(lam_dong, make_account):
    district = Unit.objects.get(code="593")
    officer = make_account("593", "district_officer")
    assert district.valid_to == dt.date(2025, 6, 30)
    assert scope.reviewed_unit_ids(officer) == set()
    ward = Unit.objects.valid_on(dt.date(2026, 1, 1)).get(code="22945")
    assert not scope.can_review(officer, ward)
    assert scope.can_review(make_account("SNV", "administrator", username="snv"), ward)


def test_the_district_officer_role_needs_a_district(lam_dong):
    ward = Unit.objects.valid_on(dt.date(2026, 1, 1)).get(code="22945")
    form = AccountForm({"username": "xa.canbo", "unit": ward.pk, "role": "district_officer", "is_active": True})
    assert not form.is_valid() and "role" in form.errors
