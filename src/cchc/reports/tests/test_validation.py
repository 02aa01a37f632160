"""Each rule of the figures, with a message that names the field by its label."""

from decimal import Decimal

import pytest
from django.utils import translation

from cchc.reports.statistics import all_statistics, statistics_for
from cchc.reports.validation import validate

DISTRICT = statistics_for("district", "Q1")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def check(raw, complete=False, stats=DISTRICT):
    return validate(raw, stats, complete=complete)


def test_valid_figures_are_returned_as_numbers():
    values, errors = check({"legal_docs_issued": "12", "legal_docs_reviewed": 10, "work_files_online": "75,5"})
    assert errors == {}
    assert values["legal_docs_issued"] == Decimal(12)
    assert values["work_files_online"] == Decimal("75.50")
    assert values["psu_total"] is None


@pytest.mark.parametrize("raw", ["-1", "2.5", "abc", "1e3", True])
def test_a_count_is_a_whole_number_of_zero_or_more(raw):
    _values, errors = check({"psu_staff": raw})
    assert errors == {
        "psu_staff": [
            f"“Budget-paid staff of the public service units” must be a whole number of zero or more, not “{raw}”."
        ]
    }


@pytest.mark.parametrize("raw", ["100.5", "-0.1", "much"])
def test_a_percentage_lies_between_0_and_100(raw):
    _values, errors = check({"work_files_online": raw})
    assert errors == {
        "work_files_online": [
            f"“Work files processed online since the start of the year (%)” is a percentage: enter a number from "
            f"0 to 100, not “{raw}”."
        ]
    }


def test_a_part_cannot_exceed_its_whole():
    _values, errors = check({"inspections_total": "10", "inspections_digital": "12"})
    assert errors == {
        "inspections_digital": [
            "“Of these, inspections carried out through the digital environment” (12) cannot exceed "
            "“Inspections carried out in the period” (10)."
        ]
    }


def test_documents_reviewed_may_exceed_those_issued_in_the_period():
    # A review covers documents of earlier years: 3 issued this quarter, 40 reviewed, 2 of those unlawful.
    values, errors = check({"legal_docs_issued": "3", "legal_docs_reviewed": "40", "legal_docs_unlawful": "2"})
    assert errors == {} and values["legal_docs_reviewed"] == Decimal(40)
    # The unlawful ones are still found among the reviewed.
    assert set(check({"legal_docs_reviewed": "1", "legal_docs_unlawful": "2"})[1]) == {"legal_docs_unlawful"}


def test_each_group_of_financial_autonomy_is_at_most_the_total_and_so_is_their_sum():
    _values, errors = check({"psu_total": "10", "psu_autonomy_state": "11"})
    assert errors == {
        "psu_autonomy_state": [
            "“Units whose recurrent spending the State covers” (11) cannot exceed "
            "“Public service units under the agency” (10)."
        ]
    }
    _values, errors = check(
        {"psu_total": "10", "psu_autonomy_recurrent": "4", "psu_autonomy_partial": "4", "psu_autonomy_state": "3"}
    )
    assert errors == {
        "psu_total": ["The parts of “Public service units under the agency” add up to 11, more than its 10."]
    }


def test_required_figures_only_when_the_report_leaves_the_unit():
    assert check({})[1] == {}
    _values, errors = check({}, complete=True)
    assert errors["psu_total"] == ["“Public service units under the agency” is required."]
    assert set(errors) == {stat.code for stat in DISTRICT if stat.required}


def test_a_figure_the_report_does_not_ask_for_is_refused():
    _values, errors = check({"commune_officials_standard": "90"})
    assert errors == {"commune_officials_standard": ["“commune_officials_standard” is not a figure of this report."]}


def test_messages_name_the_field_in_vietnamese_by_default():
    with translation.override("vi"):
        _values, errors = validate({"legal_docs_issued": "-3"}, DISTRICT)
    assert errors["legal_docs_issued"][0].startswith("“Số văn bản quy phạm pháp luật đã ban hành trong kỳ”")


def test_every_statistic_has_labels_in_both_languages():
    assert all(stat.label and stat.label_en for stat in all_statistics())
