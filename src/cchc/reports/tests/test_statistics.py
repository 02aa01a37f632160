"""The statistics annex is data: it loads, it covers the figures the issue lists, and it measures real targets."""

import pytest
import yaml

from cchc.plans.loading import shipped_plan_path
from cchc.reports.statistics import DATA_FILE, DefinitionError, all_statistics, parse, statistics_for


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


def test_5_1a_counts_every_unit_that_covers_its_recurrent_spending():
    from cchc.reports.statistics import target_statistics

    tied = {stat.code for stat in target_statistics("5.1a") if stat.part_of == "psu_total"}
    # Units covering recurrent and investment spending cover their recurrent spending too.
    assert tied == {"psu_autonomy_recurrent_investment", "psu_autonomy_recurrent"}


def test_each_statistic_declares_the_time_span_it_covers():
    import datetime as dt

    from cchc.reports.periods import period

    stats = {stat.code: stat for stat in all_statistics()}
    raw = yaml.safe_load(DATA_FILE.read_text("utf-8"))
    assert all(row.get("accumulation") in ("cumulative", "window") for row in raw["statistics"])
    q3 = period(2023, "Q3")
    # Documents issued are counted within the Q3 window; staff is the position at the cut-off of the year so far.
    assert stats["legal_docs_issued"].covers(q3.data_from, q3.data_to) == (dt.date(2023, 6, 15), dt.date(2023, 9, 14))
    assert stats["psu_staff"].covers(q3.data_from, q3.data_to) == (dt.date(2022, 12, 15), dt.date(2023, 9, 14))


def test_accumulation_defaults_and_checks():
    counted = parse(HEADER + ROW.format(code="a", unit="count", part_of="null"))[0]
    rate = parse(HEADER + ROW.format(code="b", unit="percent", part_of="null"))[0]
    assert (counted.accumulation, rate.accumulation) == ("window", "cumulative")
    with pytest.raises(DefinitionError, match="accumulation must be cumulative or window"):
        parse(HEADER + ROW.format(code="a", unit="count", part_of="null").replace("}", ", accumulation: yearly}"))
    mixed = ROW.format(code="a", unit="count", part_of="null") + ROW.format(code="b", unit="count", part_of="a")
    with pytest.raises(DefinitionError, match="same time span"):
        parse(HEADER + mixed.replace("part_of: a,", "part_of: a, accumulation: cumulative,"))


def test_the_target_values_read_these_definitions():
    from cchc.targets.queries import REPORTED, is_cumulative

    # 5.1a: both groups that cover recurrent spending, over the public service units.
    assert set(REPORTED["5.1a"].parts) == {"psu_autonomy_recurrent_investment", "psu_autonomy_recurrent"}
    assert REPORTED["5.1a"].whole == "psu_total"
    # Per window (added up over windows) or the position at the cut-off, as statistics.yaml declares.
    assert (is_cumulative("legal_docs_issued"), is_cumulative("inspections_digital")) == (False, False)
    assert (is_cumulative("psu_staff"), is_cumulative("work_files_online")) == (True, True)
