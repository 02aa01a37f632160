"""How values are made from entries, unit percentages, baselines and surveys — hand-worked figures."""

from decimal import Decimal

import pytest

from cchc.targets import rules


def test_unit_percentages_are_weighted_by_their_bases_not_averaged():
    # Unit A: 90 % of 100 work files online (90 files); unit B: 60 % of 300 (180 files).
    # Province: (90 + 180) / (100 + 300) = 270 / 400 = 67.5 % — the plain mean (75 %) would be wrong.
    found = rules.weighted_percent([(Decimal("90"), 100), (Decimal("60"), 300)])
    assert found.value == pytest.approx(67.5)
    assert (found.numerator, found.denominator) == (pytest.approx(270), 400)


def test_a_percentage_without_its_basis_is_left_out():
    found = rules.weighted_percent([(Decimal("90"), 100), (Decimal("10"), None)])
    assert found.value == pytest.approx(90)
    assert rules.weighted_percent([(Decimal("10"), None)]) is None


def test_count_pairs_combine_as_sums_of_parts_over_sums_of_wholes():
    # 1/2 and 9/10: (1 + 9) / (2 + 10) = 83.33 %, not the mean of 50 % and 90 % (70 %).
    found = rules.combine([rules.entry_measure(1, 2, None, None, None), rules.entry_measure(9, 10, None, None, None)])
    assert found.value == pytest.approx(100 * 10 / 12)


def test_qualitative_results_are_judged_as_one_half_or_zero():
    assert rules.entry_measure(None, None, None, None, "done").value == 1.0
    assert rules.entry_measure(None, None, None, None, "partly").value == 0.5
    assert rules.entry_measure(None, None, None, None, "not_done").value == 0.0
    combined = rules.combine(
        [rules.entry_measure(None, None, None, None, "done"), rules.entry_measure(None, None, None, None, "partly")]
    )
    assert combined.qualitative == "partly"


@pytest.mark.parametrize(
    "qualitative_target, fields, field",
    [
        (False, dict(numerator=5, denominator=None, percent=None, basis=None, qualitative=None), "denominator"),
        (False, dict(numerator=6, denominator=5, percent=None, basis=None, qualitative=None), "numerator"),
        (False, dict(numerator=None, denominator=None, percent=Decimal("80"), basis=None, qualitative=None), "basis"),
        (False, dict(numerator=None, denominator=None, percent=Decimal("101"), basis=3, qualitative=None), "percent"),
        (False, dict(numerator=1, denominator=2, percent=Decimal("50"), basis=2, qualitative=None), "numerator"),
        (False, dict(numerator=None, denominator=None, percent=None, basis=None, qualitative="done"), "qualitative"),
        (True, dict(numerator=1, denominator=2, percent=None, basis=None, qualitative="done"), "qualitative"),
        (True, dict(numerator=None, denominator=None, percent=None, basis=None, qualitative=None), "qualitative"),
    ],
)
def test_an_entry_takes_exactly_one_complete_form(qualitative_target, fields, field):
    with pytest.raises(rules.EntryError) as error:
        rules.check_entry(qualitative_target, **fields)
    assert error.value.field == field


def test_valid_entries_pass():
    rules.check_entry(False, 38, 39, None, None, None)
    rules.check_entry(False, None, None, Decimal("92.5"), 340, None)
    rules.check_entry(True, None, None, None, None, "partly")


def test_reduction_versus_the_base_year_and_the_remaining_path():
    # 200 units in 2021, 187 now, goal 10 % fewer by 2025: 13 fewer = 6.5 %; at most 180 by 2025, 7 more to go.
    found = rules.reduction(200, 187, 10)
    assert found.percent == pytest.approx(6.5)
    assert found.reduced == 13
    assert found.goal_count == pytest.approx(180)
    assert found.remaining == pytest.approx(7)
    assert rules.reduction(200, 170, 10).remaining == 0
    assert rules.reduction(0, 5, 10) is None


METHOD = rules.SurveyMethod("test", mean_score_max=5, criteria={"A": 2, "B": 1, "C": 1})


def test_survey_index_weights_services_by_respondents_and_criteria_by_the_method():
    lines = [
        # criterion A: (80 × 100 + 90 × 300) / 400 = 87.5
        rules.SurveyLine("Đất đai", "A", 100, 80.0, None),
        rules.SurveyLine("Hộ tịch", "A", 300, 90.0, None),
        # criterion B: a mean score 4.5 of 5 = 90 %
        rules.SurveyLine("Đất đai", "B", 100, None, 4.5),
        # criterion C: 70 %
        rules.SurveyLine("Đất đai", "C", 100, 70.0, None),
        # unknown criterion: left out
        rules.SurveyLine("Đất đai", "Z", 100, 0.0, None),
    ]
    found = rules.survey_index(lines, METHOD)
    # (2 × 87.5 + 1 × 90 + 1 × 70) / 4 = 335 / 4 = 83.75
    assert found.value == pytest.approx(83.75)
    assert found.by_criterion["A"] == pytest.approx(87.5)
    assert found.respondents == 400


def test_survey_weights_rescale_over_the_criteria_answered():
    found = rules.survey_index([rules.SurveyLine("x", "B", 10, 60.0, None)], METHOD)
    assert found.value == pytest.approx(60)
    assert rules.survey_index([], METHOD).value is None


def test_the_shipped_methods_have_the_three_indices():
    methods = rules.methods()
    assert set(methods) == {"admin", "health", "education"}
    assert len(methods["admin"].criteria) == 5
