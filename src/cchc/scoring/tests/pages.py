"""Shared set-up of the page, API and browser tests: a small district criteria set whose index is easy to work out
by hand, and helpers to take a sheet through its steps with the service."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# area 1 (max 10): 1.1 (4), 1.2 (3), 1.3 (3); area 2 (max 10): 2.1 (6), 2.2 survey (4); deduction TR (cap 2): TR.1 (2)
SMALL_SET = {
    "name": "Bộ tiêu chí thử nghiệm",
    "status": "active",
    "source_note": "Bộ tiêu chí dùng cho kiểm thử.",
    "bands": [
        {"label": "Xuất sắc", "lower": 90},
        {"label": "Tốt", "lower": 80},
        {"label": "Khá", "lower": 70},
        {"label": "Trung bình", "lower": 50},
        {"label": "Yếu", "lower": 0},
    ],
    "criteria": [
        {
            "code": "1",
            "title": "Công tác chỉ đạo, điều hành CCHC",
            "maximum": 10,
            "children": [
                {"code": "1.1", "title": "Kế hoạch CCHC năm", "maximum": 4, "method": "self_assessed"},
                {"code": "1.2", "title": "Kiểm tra công tác CCHC", "maximum": 3, "method": "self_assessed"},
                {
                    "code": "1.3",
                    "title": "Cải cách tổ chức bộ máy ở đơn vị sự nghiệp",
                    "maximum": 3,
                    "method": "self_assessed",
                },
            ],
        },
        {
            "code": "2",
            "title": "Cải cách thủ tục hành chính",
            "maximum": 10,
            "children": [
                {"code": "2.1", "title": "Công khai thủ tục hành chính", "maximum": 6, "method": "self_assessed"},
                {"code": "2.2", "title": "Mức độ hài lòng của người dân", "maximum": 4, "method": "survey"},
            ],
        },
        {
            "code": "TR",
            "title": "Điểm trừ",
            "maximum": 2,
            "method": "deduction",
            "cap": 2,
            "children": [{"code": "TR.1", "title": "Báo cáo CCHC gửi trễ hạn", "maximum": 2}],
        },
    ],
}


def load_small_set(year: int = 2023, kind: str = "district", due: dt.date | None = None):
    from cchc.scoring import criteria, sets

    data = {**SMALL_SET, "year": year, "kind": kind}
    data["self_assessment_due"] = (due or dt.date.today() + dt.timedelta(days=30)).isoformat()
    return sets.load(criteria.parse(data), replace=True)


@pytest.fixture
def pdf():
    return lambda name="ke-hoach.pdf": SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def district_set(plan_2023):
    """The small set for districts in 2023, with the survey result of Phan Thiết (593) already imported."""
    from cchc.scoring.models import SurveyResult
    from cchc.units.models import Unit

    criteria_set = load_small_set()
    survey = criteria_set.criteria.get(code="2.2")
    SurveyResult.objects.create(criterion=survey, unit=Unit.objects.get(code="593"), value=Decimal("3"))
    return criteria_set


@pytest.fixture
def commune_set(plan_2023):
    from cchc.scoring.models import SurveyResult
    from cchc.units.models import Unit

    criteria_set = load_small_set(kind="commune")
    survey = criteria_set.criteria.get(code="2.2")
    SurveyResult.objects.create(criterion=survey, unit=Unit.objects.filter(code="22915").first(), value=Decimal("3"))
    return criteria_set


SELF_ROWS = [
    {"criterion": "1.1", "self_score": "4", "self_note": "Kế hoạch số 10/KH-UBND", "explanation_missing_evidence": ""},
    {"criterion": "1.2", "self_score": "2.5", "explanation_missing_evidence": "Biên bản kiểm tra đang lưu bản giấy"},
    {"criterion": "1.3", "not_applicable": True},
    {"criterion": "2.1", "self_score": "5", "explanation_missing_evidence": "Niêm yết tại bộ phận một cửa"},
    {"criterion": "TR.1", "self_score": "1", "explanation_missing_evidence": "Báo cáo quý I gửi trễ"},
]


def opened(criteria_set, code: str):
    from cchc.scoring import services
    from cchc.units.models import Unit

    unit = Unit.objects.filter(code=code).order_by("-valid_from").first()
    return services.open_assessment(criteria_set, unit)


def submitted(criteria_set, code, editor, head, pdf_file):
    """The unit's sheet filled in as SELF_ROWS (with a PDF on 1.1) and submitted by its head."""
    from cchc.scoring import services

    assessment = opened(criteria_set, code)
    services.save_self_scores(assessment, editor, SELF_ROWS)
    services.add_evidence(assessment.scores.get(criterion__code="1.1"), editor, pdf_file)
    services.submit(assessment, head)
    return assessment


def final(criteria_set, code, editor, head, council, pdf_file):
    """…appraised (1.1 → 3, 2.1 → 4.5), explained on 1.1 and finalised: index (3+2.5+4.5+3−1)/17×100 = 70.59."""
    from cchc.scoring import services

    assessment = submitted(criteria_set, code, editor, head, pdf_file)
    services.appraise(
        assessment,
        council,
        [
            {"criterion": "1.1", "appraised_score": "3", "appraisal_note": "Kế hoạch thiếu phân công"},
            {"criterion": "2.1", "appraised_score": "4.5", "appraisal_note": "Chưa công khai đủ"},
        ],
    )
    services.explain(assessment, editor, [{"criterion": "1.1", "unit_explanation": "Phân công ở phụ lục"}])
    services.finalise(assessment, council)
    return assessment


EXPECTED_INDEX = (Decimal("3") + Decimal("2.5") + Decimal("4.5") + Decimal("3") - Decimal("1")) / Decimal("17") * 100
