"""What the province report says, from known data (see conftest.q1_2023)."""

import datetime as dt
from decimal import Decimal

import pytest

from cchc.documents.queries import Options, compile_report, statistic_sentence


@pytest.fixture
def compiled(q1_2023):
    return compile_report(q1_2023, Options(number_symbol="25/BC-UBND", date=dt.date(2023, 3, 20)))


def stat(report, code):
    return next(total for total in report.statistics if total.stat.code == code)


def test_counts_are_summed_over_accepted_reports_only(compiled):
    issued = stat(compiled, "legal_docs_issued")
    assert issued.total == Decimal(20)  # 10 + 6 + 4; the submitted, not accepted 100 is left out
    assert issued.by_kind == {"department": Decimal(4), "district": Decimal(16)}
    assert issued.units == 3


def test_a_part_is_a_ratio_of_sums_not_an_average_of_percentages(compiled):
    digital = stat(compiled, "inspections_digital")
    assert digital.total == Decimal(6)
    assert digital.share == pytest.approx(30.0)  # 6 / 20, where the mean of 10%, 50%, 50% is 36.7%
    assert "đạt 30,0% so với số cuộc kiểm tra đã thực hiện trong kỳ" in statistic_sentence(digital)


def test_documents_reviewed_are_not_a_share_of_those_issued(compiled):
    reviewed = stat(compiled, "legal_docs_reviewed")
    assert reviewed.total == Decimal(12) and reviewed.share is None


def test_the_text_says_which_days_each_figure_covers(compiled):
    intro = compiled.section("intro").blocks[0]
    assert "kỳ số liệu báo cáo từ ngày 15/12/2022 đến ngày 14/03/2023" in intro
    assert "theo kỳ dương lịch từ ngày 01/01/2023 đến ngày 31/03/2023, quý I năm 2023" in intro
    area_2 = compiled.section("area-2")
    caption = next(b for b in area_2.blocks if isinstance(b, str) and b.startswith("Kết quả giải quyết hồ sơ"))
    assert "từ ngày 01/01/2023 đến ngày 31/03/2023" in caption
    assert "không trùng kỳ số liệu báo cáo từ ngày 15/12/2022 đến ngày 14/03/2023" in caption
    area_1 = compiled.section("area-1")
    issued = next(b for b in area_1.blocks if isinstance(b, str) and b.startswith("Số văn bản quy phạm"))
    assert "(trong kỳ từ ngày 15/12/2022 đến ngày 14/03/2023)" in issued
    area_6 = compiled.section("area-6")
    online = next(b for b in area_6.blocks if isinstance(b, str) and b.startswith("Tỷ lệ hồ sơ công việc"))
    assert "(lũy kế từ ngày 15/12/2022 đến ngày 14/03/2023)" in online
    assert (compiled.calendar_from, compiled.calendar_to) == (dt.date(2023, 1, 1), dt.date(2023, 3, 31))


def test_a_bare_percentage_is_given_as_a_range_with_its_units(compiled):
    online = stat(compiled, "work_files_online")
    assert online.total is None
    assert (online.minimum, online.maximum, online.units) == (Decimal(60), Decimal(80), 3)
    assert "từ 60% đến 80% (3 đơn vị báo cáo" in statistic_sentence(online)
    assert [unit.code for unit, _ in online.per_unit] == ["STP", "593", "594"]


def test_statistics_nobody_reported_say_so(compiled):
    assert stat(compiled, "psu_total").total is None
    assert statistic_sentence(stat(compiled, "psu_total")).endswith("chưa có đơn vị báo cáo.")


def test_who_reported_on_time_late_or_not_at_all(compiled):
    states = {s.unit.code: s.state for s in compiled.submissions}
    assert states["593"] == states["STP"] == states["SKHDT"] == "on_time"
    assert states["594"] == "late"
    assert states["SNV"] == "missing"
    assert "TTHCC" not in states  # not scored: owes no report
    assert compiled.accepted_reports == 3


def test_dossier_figures_of_the_calendar_quarter(compiled):
    assert compiled.calendar_period == "2023Q1"
    on_time = next(f for f in compiled.computed if f.metric == "PROCESSING_ON_TIME")
    assert on_time.by_level["all"] == (2, 3)
    assert on_time.ratio("all") == pytest.approx(200 / 3)
    routed = next(f for f in compiled.computed if f.code == "2.1")
    assert routed.by_level["C"] == (1, 2)
    assert compiled.index766["groups"]["progress"]["score"] == pytest.approx(13.33)


def test_task_progress_counts_units_by_status(compiled):
    area_1 = compiled.section("area-1")
    table = next(block for block in area_1.blocks if not isinstance(block, str))
    first = table.rows[0]
    assert first[3:] == [1, 1, 0, 0]  # done by Phan Thiết, in progress at La Gi


def test_defaults_come_from_the_plan(q1_2023):
    report = compile_report(q1_2023)
    assert report.issuer == "UBND tỉnh Bình Thuận"
    assert report.place == "Bình Thuận"
    assert report.signer_name == "Đoàn Anh Dũng" and report.on_behalf == "TM. Ủy ban nhân dân"
    assert report.subtitle == "Tình hình thực hiện công tác cải cách hành chính Quý I năm 2023"
    deputy = compile_report(q1_2023, Options(signer_title="Phó Chủ tịch", signer_name="Nguyễn Hồng Hải"))
    assert deputy.on_behalf.splitlines() == ["TM. Ủy ban nhân dân", "KT. Chủ tịch"]


def test_the_other_periods_read_their_calendar_period(q1_2023):
    from cchc.reports.models import ReportPeriod

    periods = {p.kind: p for p in ReportPeriod.objects.filter(year=2023)}
    assert compile_report(periods["H1"]).calendar_period == "2023S1"
    year = compile_report(periods["Y"])
    assert year.calendar_period == "2023" and year.subtitle.endswith("công tác cải cách hành chính năm 2023")
    assert year.accepted_reports == 0


def test_compiling_takes_a_fixed_number_of_queries(q1_2023, django_assert_max_num_queries):
    # not one per unit, report or task; the targets table (cchc.targets.queries) adds a constant number
    with django_assert_max_num_queries(30):
        compile_report(q1_2023)
