"""The statistics annex is data: it loads, it covers the figures the issue lists, and it measures real targets."""

import pytest
import yaml

from cchc.plans.loading import shipped_plan_path
from cchc.reports.statistics import DefinitionError, all_statistics, parse, statistics_for


def test_the_annex_covers_the_figures_the_issue_lists():
    codes = {stat.code for stat in all_statistics()}
    assert {
        "legal_docs_issued",
        "legal_docs_reviewed",
        "psu_total",
        "psu_staff",
        "psu_autonomy_recurrent_investment",
        "psu_autonomy_recurrent",
        "psu_autonomy_partial",
        "psu_autonomy_state",
        "info_systems_connected",
        "work_files_online",
        "inspections_digital",
        "satisfaction_tthc",
    } <= codes
    autonomy = [stat for stat in all_statistics() if stat.code.startswith("psu_autonomy")]
    assert len(autonomy) == 4 and {stat.part_of for stat in autonomy} == {"psu_total"}


def test_every_target_code_is_a_target_of_the_2023_plan():
    plan = yaml.safe_load(shipped_plan_path(2023).read_text("utf-8"))
    target_codes = {target["code"] for target in plan["targets"]}
    assert {stat.target for stat in all_statistics() if stat.target} <= target_codes


def test_which_unit_fills_what_in_which_report():
    commune_q1 = {stat.code for stat in statistics_for("commune", "Q1")}
    assert "work_files_online" in commune_q1 and "commune_officials_standard" in commune_q1
    assert "legal_docs_issued" not in commune_q1
    district_q1 = {stat.code for stat in statistics_for("district", "Q1")}
    assert "satisfaction_tthc" not in district_q1  # surveys: six-month and year reports only
    assert "satisfaction_tthc" in {stat.code for stat in statistics_for("district", "H1")}


HEADER = "format: cchc-report-statistics\nformat_version: 1\nstatistics:\n"
ROW = (
    "  - {{code: {code}, area: 1, label: L, unit: {unit}, part_of: {part_of}, "
    "unit_kinds: [district], report_kinds: [Q1]}}\n"
)


@pytest.mark.parametrize(
    "rows, message",
    [
        (ROW.format(code="a", unit="litres", part_of="null"), "unit must be count or percent"),
        (ROW.format(code="a", unit="count", part_of="b"), "part_of names an unknown statistic 'b'"),
        (
            ROW.format(code="a", unit="count", part_of="null") + ROW.format(code="b", unit="percent", part_of="a"),
            "a part must have its whole's unit",
        ),
        (ROW.format(code="a", unit="count", part_of="null") * 2, "duplicate statistic code"),
    ],
)
def test_an_inconsistent_file_is_refused(rows, message):
    with pytest.raises(DefinitionError, match=message):
        parse(HEADER + rows)
