"""The index arithmetic (pure), checked against values worked by hand."""

from decimal import Decimal as D

from cchc.scoring import index
from cchc.scoring.index import Item

BANDS = [{"label": "Tốt", "lower": 80}, {"label": "Khá", "lower": 70}, {"label": "Yếu", "lower": 0}]


def sheet(**points):
    """The small set of core_helpers with the given points; B.1 does not apply."""
    return [
        Item("A.1", "A", "self_assessed", D(4), points.get("A1", D("3.5"))),
        Item("A.2", "A", "self_assessed", D(6), points.get("A2", D(6))),
        Item("B.1", "B", "self_assessed", D(5), None, not_applicable=True),
        Item("B.2", "B", "computed", D(2), points.get("B2", D("1.5"))),
        Item("B.3", "B", "survey", D(3), points.get("B3", D("2.25"))),
        Item("TH.1", "TH", "bonus", D(2), points.get("TH1", D(0)), group="TH"),
        Item("TR.1", "TR", "deduction", D(1), points.get("TR1", D(1)), group="TR"),
        Item("TR.2", "TR", "deduction", D(1), points.get("TR2", D(1)), group="TR"),
    ]


CAPS = {"TH": D(1), "TR": D("1.5")}


def test_not_applicable_and_capped_deduction():
    """By hand:
    B.1 (max 5) does not apply, so the applicable maximum is 4 + 6 + 2 + 3 = 15 (not 20).
    Points: 3.5 + 6 + 1.5 + 2.25 = 13.25. Deductions 1 + 1 = 2, capped at 1.5. Bonus 0.
    Index = (13.25 − 1.5) / 15 × 100 = 11.75 / 15 × 100 = 78.333… → shown 78.33, band "Khá" (70 ≤ 78.33 < 80).
    Area A: 9.5 / 10 × 100 = 95.00; area B: (1.5 + 2.25) / (2 + 3) × 100 = 75.00.
    """
    result = index.compute(sheet(), CAPS)
    assert result.total.maximum == D(15)
    assert result.total.points == D("13.25")
    assert result.total.deduction == D("1.5")
    assert result.total.bonus == D(0)
    assert index.shown(result.index) == D("78.33")
    assert abs(result.index - D("78.3333333333")) < D("0.0000001")  # unrounded inside
    assert index.band_for(result.index, BANDS) == "Khá"
    assert index.shown(result.areas["A"].index) == D("95.00")
    assert index.shown(result.areas["B"].index) == D("75.00")
    assert result.areas["TR"].index is None  # a deduction group has no maximum of its own


def test_bonus_is_capped_and_deduction_below_cap_counts_whole():
    """By hand: bonus 2 capped at 1; deduction 0.5 + 0 = 0.5 (below its cap 1.5).
    Points 13.25 + 1 − 0.5 = 13.75; index = 13.75 / 15 × 100 = 91.666… → 91.67."""
    result = index.compute(sheet(TH1=D(2), TR1=D("0.5"), TR2=D(0)), CAPS)
    assert result.total.bonus == D(1)
    assert result.total.deduction == D("0.5")
    assert index.shown(result.index) == D("91.67")


def test_without_caps_adjustments_count_in_full():
    result = index.compute(sheet(TH1=D(2)), {})
    # 13.25 + 2 − 2 = 13.25; 13.25 / 15 × 100 = 88.333…
    assert index.shown(result.index) == D("88.33")


def test_an_unscored_sub_criterion_counts_zero_but_keeps_its_maximum():
    result = index.compute(sheet(A2=None), CAPS)
    # (7.25 − 1.5) / 15 × 100 = 38.333…
    assert index.shown(result.index) == D("38.33")


def test_shown_rounds_half_up():
    assert index.shown(D("84.125")) == D("84.13")
    assert index.shown(D("84.12499")) == D("84.12")
    assert index.shown(None) is None


def test_ranking_ties_share_a_rank_on_the_shown_index():
    ranks = index.rank({"a": D("91.2"), "b": D("85.004"), "c": D("84.996"), "d": D("70"), "e": None})
    # b and c are both shown as 85.00: they share rank 2 and the next is 4th.
    assert ranks == {"a": 1, "b": 2, "c": 2, "d": 4}


def test_bands_use_the_lower_bounds_of_the_set():
    assert index.band_for(D("80"), BANDS) == "Tốt"
    assert index.band_for(D("79.999"), BANDS) == "Tốt"  # shown as 80.00
    assert index.band_for(D("79.99"), BANDS) == "Khá"
    assert index.band_for(D("0"), BANDS) == "Yếu"
    assert index.band_for(None, BANDS) is None


def test_delta_against_the_previous_year():
    assert index.delta(D("78.33"), D("75.10")) == D("3.23")
    assert index.delta(D("78.33"), None) is None
