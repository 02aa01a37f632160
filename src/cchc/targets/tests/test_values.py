"""The value of each kind of source, hand-worked, from the one function everything uses (cchc.targets.queries)."""

import datetime as dt

import pytest

from cchc.dashboard.tests.data import accepted_report
from cchc.indicators.periods import parse_period
from cchc.targets.models import Baseline
from cchc.targets.queries import report_windows, target_values
from cchc.targets.tests.data import agency_plan, entry, survey
from cchc.units.models import Unit, UnitKind

YEAR = parse_period("2023")


def values(plan, **kwargs):
    return target_values(plan, plan.province, YEAR, **kwargs)


@pytest.fixture
def plan(plan_2023):
    return plan_2023


def test_an_accepted_count_pair_entry_is_the_value_with_its_link(plan):
    found = entry(plan, "1.1", numerator=38, denominator=39)
    value = values(plan)[("1.1", "all")]
    assert value.source == "entered"
    assert value.value == pytest.approx(100 * 38 / 39)  # 97.44 %
    assert (value.numerator, value.denominator) == (38, 39)
    assert value.link == f"/targets/entries/{found.pk}/"


def test_the_latest_period_wins_and_drafts_or_submitted_entries_do_not_count(plan):
    entry(plan, "1.2", kind="H1", numerator=1, denominator=2)
    entry(plan, "1.2", kind="Y", status="submitted", numerator=5, denominator=5)
    assert values(plan)[("1.2", "all")].value == pytest.approx(50)
    # Within the first half-year only the H1 entry can count at all.
    assert target_values(plan, plan.province, parse_period("2023Q3"))[("1.2", "all")].value == pytest.approx(50)


def test_a_percentage_with_its_basis(plan):
    entry(plan, "6.2", percent="66.67", basis=3)
    value = values(plan)[("6.2", "all")]
    assert value.value == pytest.approx(66.67)
    assert value.numerator == pytest.approx(2.0001)
    assert value.denominator == 3


def test_a_qualitative_entry_per_level(plan):
    entry(plan, "4.1", level="all", qualitative="partly")
    entry(plan, "4.1", level="P", qualitative="done")
    found = values(plan)
    assert found[("4.1", "all")].qualitative == "partly" and found[("4.1", "all")].value == 0.5
    assert found[("4.1", "P")].value == 1.0
    assert found[("4.1", "D")].value is None


def test_as_of_leaves_out_what_was_accepted_later(plan):
    entry(plan, "2.6", numerator=9, denominator=10)
    assert values(plan, as_of=dt.date(2020, 1, 1))[("2.6", "all")].value is None
    assert values(plan, as_of=dt.date(2100, 1, 1))[("2.6", "all")].value == pytest.approx(90)


def test_7_1_counts_plans_signed_on_or_before_31_january(plan):
    departments = list(Unit.objects.filter(kind=UnitKind.DEPARTMENT, is_scored=True).order_by("code"))
    districts = list(Unit.objects.filter(kind=UnitKind.DISTRICT, is_scored=True).order_by("code"))
    assert (len(departments), len(districts)) == (19, 10)
    agency_plan(plan, departments[0], dt.date(2023, 1, 31))  # on the day: counts
    agency_plan(plan, departments[1], dt.date(2023, 1, 20), status="submitted")  # issued, not yet reviewed: counts
    agency_plan(plan, departments[2], dt.date(2023, 2, 1))  # signed after the deadline
    agency_plan(plan, departments[3], dt.date(2023, 1, 10), status="draft")  # not issued to anyone yet
    agency_plan(plan, departments[4], None, status="submitted")  # no signing date
    agency_plan(plan, districts[0], dt.date(2023, 1, 25))
    found = values(plan)
    assert (found[("7.1", "P")].numerator, found[("7.1", "P")].denominator) == (2, 19)
    assert (found[("7.1", "D")].numerator, found[("7.1", "D")].denominator) == (1, 10)
    assert found[("7.1", "all")].value == pytest.approx(100 * 3 / 29)  # 10.34 %
    assert found[("7.1", "all")].link == "/agency-plans/2023/"


def test_a_reduction_from_the_baseline_and_the_year_report(plan):
    target = plan.targets.get(code="3.1a")
    Baseline.objects.create(target=target, year=2021, value=200, source_document="Báo cáo 45/BC-SNV")
    snv, lagi = Unit.objects.get(code="SNV"), Unit.objects.get(code="594")
    accepted_report(snv, "Y", {"psu_total": 120})
    accepted_report(lagi, "Y", {"psu_total": 67})
    accepted_report(snv, "H1", {"psu_total": 150})  # an earlier report: the year report replaces it
    value = values(plan)[("3.1a", "all")]
    # 200 in 2021, 120 + 67 = 187 now: 13 fewer = 6.5 %; at most 180 by 2025, 7 more to go.
    assert value.source == "baseline"
    assert value.value == pytest.approx(6.5)
    assert value.detail["current"] == 187 and value.detail["remaining"] == pytest.approx(7)


def test_3_4_is_two_indices_and_takes_the_lower(plan):
    health = [("Nội trú", c, 100, 90.0) for c in ("TIEP_CAN", "CO_SO_VAT_CHAT", "NHAN_VIEN", "KET_QUA")]
    education = [("Tiểu học", "TIEP_CAN", 100, 80.0), ("THCS", "TIEP_CAN", 300, 88.0)]  # 86 %
    education += [("Tiểu học", c, 100, 84.0) for c in ("CO_SO_VAT_CHAT", "GIAO_VIEN", "KET_QUA")]
    survey(2023, "health", health)
    survey(2023, "education", education)
    value = values(plan)[("3.4", "all")]
    # education: (86 + 84 + 84 + 84) / 4 = 84.5; health 90 → the target (≥ 85 % for both) reads 84.5.
    assert dict(value.parts) == {"health": pytest.approx(90), "education": pytest.approx(84.5)}
    assert value.value == pytest.approx(84.5)
    assert value.source == "survey"


def test_3_3_with_the_national_figure_beside_it(plan):
    survey(2023, "admin", [("Đất đai", "TTHC", 200, 88.0)], national="80.5")
    value = values(plan)[("3.3", "all")]
    assert value.value == pytest.approx(88)
    assert value.detail["admin"]["national"] == pytest.approx(80.5)


def test_report_percentages_are_weighted_by_their_bases(plan):
    # 6.3 work files online: SNV 90 % of 1,000, La Gi 60 % of 3,000 → (900 + 1,800) / 4,000 = 67.5 % (mean: 75 %).
    accepted_report(Unit.objects.get(code="SNV"), "Y", {"work_files_online": 90, "work_files_total": 1000})
    accepted_report(Unit.objects.get(code="594"), "Y", {"work_files_online": 60, "work_files_total": 3000})
    found = values(plan)
    assert found[("6.3", "all")].value == pytest.approx(67.5)
    assert found[("6.3", "all")].denominator == 4000
    assert found[("6.3", "P")].value == pytest.approx(90)
    assert found[("6.3", "D")].value == pytest.approx(60)


def test_per_window_statistics_are_added_up_without_overlap():
    from cchc.reports.models import ReportPeriod

    periods = [
        ReportPeriod(pk=1, kind="Q1", data_from=dt.date(2022, 12, 15), data_to=dt.date(2023, 3, 14)),
        ReportPeriod(pk=2, kind="H1", data_from=dt.date(2022, 12, 15), data_to=dt.date(2023, 6, 14)),
        ReportPeriod(pk=3, kind="Q3", data_from=dt.date(2023, 6, 15), data_to=dt.date(2023, 9, 14)),
    ]
    end = dt.date(2023, 9, 30)
    assert [p.kind for p in report_windows(periods, end, cumulative=True)] == ["Q3"]
    assert [p.kind for p in report_windows(periods, end, cumulative=False)] == ["Q3", "H1"]
    assert report_windows(periods, dt.date(2023, 1, 1), cumulative=True) == []
