"""Figures of 2023 stay with the 2023 units; re-based onto a 2026 ward they are the sum over its predecessors."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from cchc.dossiers.models import Dossier, Procedure
from cchc.indicators.compute import recompute
from cchc.indicators.models import IndicatorValue
from cchc.indicators.periods import parse_period
from cchc.indicators.rebase import series
from cchc.units.models import Unit

VN = ZoneInfo("Asia/Ho_Chi_Minh")
START = dt.date(2021, 1, 1)


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=VN)


@pytest.fixture
def procedure(db):
    return Procedure.objects.create(
        code="SYN.1",
        name="[Mô phỏng] Đăng ký khai sinh",
        sector_name="Hộ tịch",
        at_commune=True,
        online_level="toan_trinh",
        time_limit=3,
        time_unit="ngay_lam_viec",
    )


def make(code, unit, procedure, finished="2023-03-03 10:00", channel=1):
    Dossier.objects.create(
        code=code,
        unit=unit,
        procedure=procedure,
        status=10,
        channel=channel,
        accepted_at=at("2023-03-01 08:00"),
        due_at=at("2023-03-06 17:00"),
        finished_at=at(finished),
    )


def figures(unit, period="2023"):
    rows = IndicatorValue.objects.filter(unit=unit, period=period, level="all")
    return {r.metric: (r.numerator, r.denominator) for r in rows}


def test_a_2023_figure_is_unchanged_and_rebased_onto_the_2026_ward_it_is_the_sum_of_its_predecessors(
    plan_2023, procedure, load_units_2026
):
    # Three 2023 wards of Phan Thiết merged into Lạc Đạo on 1/12/2024, itself merged on 1/7/2025.
    duc_nghia, lac_dao, duc_thang = (Unit.objects.get(code=c, valid_from=START) for c in ["22942", "22945", "22948"])
    other = Unit.objects.get(code="22915", valid_from=START)  # Mũi Né: another 2025 ward
    make("A1", duc_nghia, procedure)
    make("A2", duc_nghia, procedure, finished="2023-03-10 10:00")  # late
    make("B1", lac_dao, procedure, channel=2)
    make("C1", duc_thang, procedure, finished="2023-03-20 10:00")  # late
    make("D1", other, procedure)
    recompute(2023)
    before = {u.code: figures(u) for u in [duc_nghia, lac_dao, duc_thang, other, Unit.objects.get(code="593")]}
    assert before["593"]["PROCESSING_ON_TIME"] == (3, 5)  # the 2023 district = the sum of its 2023 communes

    load_units_2026()
    recompute(2023)
    after = {u.code: figures(u) for u in [duc_nghia, lac_dao, duc_thang, other, Unit.objects.get(code="593")]}
    assert after == before

    ward = Unit.objects.valid_on(dt.date(2026, 1, 1)).get(code="22945")
    assert ward.parent.code == "68"
    points = series(ward, ["PROCESSING_ON_TIME", "ONLINE_SUBMISSION"], [parse_period("2023"), parse_period("2023Q1")])
    on_time = points["PROCESSING_ON_TIME"][0]
    assert on_time.reconstructed and on_time.period == "2023"
    predecessors = {u.code for u, _w in on_time.sources}
    assert predecessors == {"22942", "22945", "22948"}
    assert (
        (on_time.numerator, on_time.denominator)
        == (
            sum(before[c]["PROCESSING_ON_TIME"][0] for c in predecessors),
            sum(before[c]["PROCESSING_ON_TIME"][1] for c in predecessors),
        )
        == (2, 4)
    )
    assert (points["ONLINE_SUBMISSION"][0].numerator, points["ONLINE_SUBMISSION"][0].denominator) == (1, 4)
    # The province of 2026 re-based: Bình Thuận's 2023 figures.
    province = series(Unit.objects.get(code="68"), ["PROCESSING_ON_TIME"], [parse_period("2023")])
    point = province["PROCESSING_ON_TIME"][0]
    assert (point.numerator, point.denominator) == (3, 5) and point.reconstructed
    # A 2023 unit's own series is its own figure, not reconstructed.
    own = series(lac_dao, ["PROCESSING_ON_TIME"], [parse_period("2023")])["PROCESSING_ON_TIME"][0]
    assert not own.reconstructed and (own.numerator, own.denominator) == before["22945"]["PROCESSING_ON_TIME"]


def test_the_ward_page_shows_its_predecessors_series_marked_as_reconstructed(
    plan_2023, procedure, client, admin_user, load_units_2026
):
    make("A1", Unit.objects.get(code="22942", valid_from=START), procedure)
    make("A2", Unit.objects.get(code="22948", valid_from=START), procedure, finished="2023-03-10 10:00")
    recompute(2023)
    load_units_2026()
    client.force_login(admin_user)
    page = client.get("/indicators/history/22945/").content.decode()
    assert "(*)" in page and "Phường Đức Nghĩa" in page and "Phường Đức Thắng" in page
    assert "50,0%" in page  # 1 of 2 on time, in the Vietnamese number format
