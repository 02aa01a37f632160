"""Known data for the generated documents: Q1 2023 with accepted, late, pending and missing reports, a few
dossiers computed into indicators, and some task progress."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from cchc.indicators.compute import recompute
from cchc.indicators.tests.test_recompute import at, dossier, procedure  # noqa: F401  (fixture)
from cchc.plans.models import Task
from cchc.progress.models import TaskProgress
from cchc.reports.models import Report, ReportPeriod
from cchc.units.models import Unit

SECTIONS = {
    "steering": "Ban hành Kế hoạch CCHC năm 2023 của đơn vị.",
    "results": "Hoàn thành rà soát văn bản quý I.",
    "assessment": "Cơ bản hoàn thành nhiệm vụ.",
    "next_tasks": "Tiếp tục số hóa hồ sơ.",
    "proposals": "",
}


def unit(code: str) -> Unit:
    return Unit.objects.filter(code=code).order_by("-valid_from").first()


def report(code, period, status, figures, on_time=True, **sections):
    return_ = Report.objects.create(
        unit=unit(code),
        period=period,
        status=status,
        first_submitted_at=None if status == "draft" else at("2023-03-14 09:00"),
        submitted_at=None if status == "draft" else at("2023-03-14 09:00"),
        on_time=None if status == "draft" else on_time,
        **{**SECTIONS, **sections},
    )
    for key, value in figures.items():
        return_.figures.create(code=key, value=value)
    return return_


@pytest.fixture
def q1_2023(plan_2023, procedure):  # noqa: F811
    """Q1 2023: Phan Thiết (593) and Sở Tư pháp (STP) accepted on time, La Gi (594) accepted but late,
    Sở KH&ĐT (SKHDT) submitted and not yet accepted (its figures must not count), others missing.

    Legal documents issued 10 + 6 + 4 = 20, reviewed 9 + 1 + 2 = 12 (not a part of them: reviews cover earlier
    years); inspections 10 + 4 + 6 = 20, of which digital 1 + 2 + 3 = 6 → 30% (the mean of the units' percentages
    would be 36.7%); files handled online 80%, 60%, 75.5% (a range, not an average).
    Dossiers: 2 of 3 processed on time (66.7%)."""
    call_command("create_report_periods", "2023", stdout=StringIO())
    period = ReportPeriod.objects.get(year=2023, kind="Q1")
    report(
        "593",
        period,
        "accepted",
        {
            "legal_docs_issued": 10,
            "legal_docs_reviewed": 9,
            "work_files_online": 80,
            "inspections_total": 10,
            "inspections_digital": 1,
        },
    )
    report(
        "594",
        period,
        "accepted",
        {
            "legal_docs_issued": 6,
            "legal_docs_reviewed": 1,
            "work_files_online": 60,
            "inspections_total": 4,
            "inspections_digital": 2,
        },
        on_time=False,
        proposals="Đề nghị tập huấn nghiệp vụ số hóa.",
    )
    report(
        "STP",
        period,
        "accepted",
        {
            "legal_docs_issued": 4,
            "legal_docs_reviewed": 2,
            "work_files_online": 75.5,
            "inspections_total": 6,
            "inspections_digital": 3,
        },
    )
    report("SKHDT", period, "submitted", {"legal_docs_issued": 100, "legal_docs_reviewed": 100})

    commune, district = unit("22915"), unit("593")
    dossier("ON-1", commune, procedure, channel=2, routed_electronically=True)
    dossier("ON-2", district, procedure, routed_electronically=True)
    dossier("LATE-1", commune, procedure, finished_at=at("2023-03-20 10:00"))
    recompute(2023)

    task = Task.objects.filter(plan=plan_2023, area__number=1).order_by("order").first()
    TaskProgress.objects.create(task=task, unit=district, status="done", completed_on=dt.date(2023, 2, 1))
    TaskProgress.objects.create(task=task, unit=unit("594"), status="in_progress")
    return period
