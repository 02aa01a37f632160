"""Survey import: every row checked, all or nothing, idempotent; values land on open sheets."""

import io
from decimal import Decimal as D

import pytest
from django.utils import translation
from openpyxl import Workbook

from cchc.scoring import services
from cchc.scoring.models import SurveyResult
from cchc.scoring.surveys import SurveyImportError, import_results
from cchc.scoring.tests.core_helpers import make_set, survey_csv, unit


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked as written (the English msgids), whatever the site's default language."""
    with translation.override("en"):
        yield


@pytest.fixture
def criteria_set(plan_2023):
    return make_set()


def test_rows_with_errors_are_all_reported_and_nothing_is_imported(criteria_set):
    content = survey_csv(
        ("593", "B.3", "2.5"),
        ("999", "B.3", "1"),
        ("594", "Z.9", "1"),
        ("594", "A.1", "1"),
        ("595", "B.3", "3.5"),
        ("596", "B.3", "-1"),
        ("597", "B.3", "nhiều"),
        ("593", "B.3", "2.5"),
    )
    with pytest.raises(SurveyImportError) as caught:
        import_results(2023, content, "khao-sat.csv")
    errors = caught.value.errors
    assert errors == [
        "row 3: unit: unknown unit code '999' for 2023.",
        "row 4: criterion: 'Z.9' is not a sub-criterion of the 2023 set for District.",
        "row 5: criterion: A.1 is not scored by a survey.",
        "row 6: value: 3.5 is above the maximum 3 of B.3.",
        "row 7: value: -1 is negative.",
        "row 8: value: a number is needed, got 'nhiều'.",
        "row 9: the same unit and criterion as row 2.",
    ]
    assert not SurveyResult.objects.exists()


def test_import_is_idempotent_and_fills_open_sheets(criteria_set):
    assessment = services.open_assessment(criteria_set, unit("593"))
    content = b"unit;criterion;value\n593;B.3;2,25\n594;B.3;3\n"  # semicolons, decimal comma
    assert import_results(2023, content, "khao-sat.csv") == {"rows": 2, "created": 2, "updated": 0, "unchanged": 0}
    assert import_results(2023, content, "khao-sat.csv") == {"rows": 2, "created": 0, "updated": 0, "unchanged": 2}
    assert SurveyResult.objects.count() == 2
    assert assessment.scores.get(criterion__code="B.3").appraised_score == D("2.25")
    # a sheet opened later takes the value already imported
    later = services.open_assessment(criteria_set, unit("594"))
    assert later.scores.get(criterion__code="B.3").appraised_score == D(3)


def test_xlsx_with_vietnamese_headers(criteria_set):
    book = Workbook()
    sheet = book.active
    sheet.append(["Mã đơn vị", "Mã tiêu chí", "Điểm"])
    sheet.append(["593", "B.3", 2.75])
    out = io.BytesIO()
    book.save(out)
    assert import_results(2023, out.getvalue(), "khao-sat.xlsx")["created"] == 1
    assert SurveyResult.objects.get().value == D("2.75")


def test_missing_columns_and_wrong_file_types_are_named(criteria_set):
    with pytest.raises(SurveyImportError, match="columns missing: value"):
        import_results(2023, b"unit,criterion\n593,B.3\n", "a.csv")
    with pytest.raises(SurveyImportError, match="an .xlsx or .csv file is needed"):
        import_results(2023, b"x", "a.pdf")
