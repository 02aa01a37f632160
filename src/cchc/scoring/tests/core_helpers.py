"""A small criteria set whose index can be worked by hand (used by the test_core_* modules).

Area A (max 10): A.1 self 4, A.2 self 6. Area B (max 10): B.1 self 5, B.2 computed 2 (on-time dossier rate:
≥ 95% → 2, ≥ 90% → 1), B.3 survey 3. Bonus TH (cap 1): TH.1 up to 2. Deduction TR (cap 1.5): TR.1, TR.2 up to 1.
"""

from __future__ import annotations

import copy
import datetime as dt

SMALL = {
    "year": 2023,
    "kind": "district",
    "name": "Bộ tiêu chí thử",
    "status": "active",
    "self_assessment_due": "2023-12-10",
    "bands": [{"label": "Tốt", "lower": 80}, {"label": "Khá", "lower": 70}, {"label": "Yếu", "lower": 0}],
    "criteria": [
        {
            "code": "A",
            "title": "Chỉ đạo",
            "maximum": 10,
            "children": [
                {"code": "A.1", "title": "Kế hoạch", "maximum": 4, "method": "self_assessed"},
                {"code": "A.2", "title": "Báo cáo", "maximum": 6, "method": "self_assessed"},
            ],
        },
        {
            "code": "B",
            "title": "Thủ tục",
            "maximum": 10,
            "children": [
                {"code": "B.1", "title": "Rà soát", "maximum": 5, "method": "self_assessed"},
                {
                    "code": "B.2",
                    "title": "Hồ sơ đúng hạn",
                    "maximum": 2,
                    "method": "computed",
                    "source": "dossiers.on_time_rate",
                    "mapping": {
                        "type": "thresholds",
                        "steps": [{"at_least": 95, "points": 2}, {"at_least": 90, "points": 1}],
                    },
                },
                {"code": "B.3", "title": "Hài lòng", "maximum": 3, "method": "survey"},
            ],
        },
        {
            "code": "TH",
            "title": "Điểm thưởng",
            "maximum": 2,
            "method": "bonus",
            "cap": 1,
            "children": [{"code": "TH.1", "title": "Sáng kiến", "maximum": 2}],
        },
        {
            "code": "TR",
            "title": "Điểm trừ",
            "maximum": 2,
            "method": "deduction",
            "cap": 1.5,
            "children": [
                {"code": "TR.1", "title": "Báo cáo trễ", "maximum": 1},
                {"code": "TR.2", "title": "Không xin lỗi", "maximum": 1},
            ],
        },
    ],
}

DUE = dt.date(2023, 12, 10)


def small_data(**changes) -> dict:
    data = copy.deepcopy(SMALL)
    data.update(changes)
    return data


def make_set(**changes):
    from cchc.scoring import criteria, sets

    return sets.load(criteria.parse(small_data(**changes)), replace=True)  # load_defaults made the default set


def unit(code: str):
    from cchc.units.models import Unit

    return Unit.objects.get(code=code)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "bien-ban.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def on_time_dossiers(unit_obj, numerator: int, denominator: int, year: int = 2023) -> None:
    from django.utils import timezone

    from cchc.indicators.models import IndicatorValue

    IndicatorValue.objects.create(
        unit=unit_obj,
        period=str(year),
        level="all",
        metric="PROCESSING_ON_TIME",
        numerator=numerator,
        denominator=denominator,
        computed_at=timezone.now(),
    )


def survey_csv(*rows: tuple[str, str, str]) -> bytes:
    lines = ["unit,criterion,value", *(",".join(row) for row in rows)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def fill_and_submit(criteria_set, unit_obj, editor, head, *, a1="4", today=DUE):
    """Self-score the small set's sheet (A.1 with a PDF, A.2 with an explanation, B.1 not applicable, both
    deductions declared) and submit it on `today`."""
    from cchc.scoring import services

    assessment = services.open_assessment(criteria_set, unit_obj)
    services.save_self_scores(
        assessment,
        editor,
        [
            {"criterion": "A.1", "self_score": a1, "self_note": "Kế hoạch số 12/KH-UBND"},
            {"criterion": "A.2", "self_score": "6", "explanation_missing_evidence": "Báo cáo gửi qua hệ thống"},
            {"criterion": "B.1", "not_applicable": True},
            {"criterion": "TR.1", "self_score": "1"},
            {"criterion": "TR.2", "self_score": "1"},
        ],
    )
    services.add_evidence(assessment.scores.get(criterion__code="A.1"), editor, pdf())
    services.submit(assessment, head, today=today)
    return assessment


def run_to_final(criteria_set, unit_obj, editor, head, council, *, a1=("4", "3.5"), today=DUE, b3="2.25"):
    """Self-score and submit, import the survey, appraise A.1 down with a note, explain it, finalise.

    Final points: A.1 3.5, A.2 6, B.1 not applicable, B.2 from the dossiers, B.3 2.25 (survey), TR.1 + TR.2 = 2
    (cap 1.5). With 92% on time (B.2 = 1): (3.5 + 6 + 1 + 2.25 − 1.5) / 15 × 100 = 75.00.
    """
    from cchc.scoring import services, surveys

    assessment = fill_and_submit(criteria_set, unit_obj, editor, head, a1=a1[0], today=today)
    surveys.import_results(criteria_set.year, survey_csv((unit_obj.code, "B.3", b3)), "khao-sat.csv")
    services.appraise(
        assessment, council, [{"criterion": "A.1", "appraised_score": a1[1], "appraisal_note": "Thiếu minh chứng"}]
    )
    services.explain(assessment, editor, [{"criterion": "A.1", "unit_explanation": "Bổ sung kế hoạch"}])
    services.finalise(assessment, council)
    return assessment
