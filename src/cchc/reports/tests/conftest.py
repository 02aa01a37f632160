import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from cchc.reports.models import Report, ReportPeriod
from cchc.units.models import Unit

# A district report that passes every check (593 is a district: TP Phan Thiết).
DISTRICT_FIGURES = {
    "legal_docs_issued": "12",
    "legal_docs_reviewed": "10",
    "psu_total": "40",
    "psu_staff": "1500",
    "work_files_online": "75.5",
}
SECTIONS = {
    "steering": "Ban hành Kế hoạch CCHC năm 2023.",
    "results": "Kết quả theo từng lĩnh vực.",
    "assessment": "Ưu điểm, hạn chế, nguyên nhân.",
    "next_tasks": "Nhiệm vụ quý II.",
    "proposals": "",
}


@pytest.fixture
def periods_2023(plan_2023):
    call_command("create_report_periods", "2023", stdout=StringIO())
    return {p.kind: p for p in ReportPeriod.objects.filter(year=2023)}


def move_deadlines(period: ReportPeriod, days_from_today: int) -> ReportPeriod:
    """Put every internal deadline of `period` `days_from_today` days from today (negative: in the past)."""
    due = timezone.localdate() + dt.timedelta(days=days_from_today)
    period.due_department = period.due_district = period.due_commune = due
    period.save()
    return period


@pytest.fixture
def q1(periods_2023):
    return move_deadlines(periods_2023["Q1"], 30)


def unit(code: str) -> Unit:
    return Unit.objects.filter(code=code).order_by("-valid_from").first()


def complete_report(code: str, period: ReportPeriod, figures=None) -> Report:
    report = Report.objects.create(unit=unit(code), period=period, **SECTIONS)
    for key, value in (figures if figures is not None else DISTRICT_FIGURES).items():
        report.figures.create(code=key, value=value)
    return report


def form_data(action="save", figures=None, sections=None) -> dict:
    data = {"action": action, **(sections if sections is not None else SECTIONS)}
    for code, value in (figures if figures is not None else DISTRICT_FIGURES).items():
        data[f"fig-{code}"] = value
    return data


@pytest.fixture
def accounts(make_account):
    """The people of the report tests: Phan Thiết's editor and head, La Gi's editor, Sở Nội vụ, a leader."""
    return {
        "editor": make_account("593", "editor"),
        "head": make_account("593", "head"),
        "other_editor": make_account("594", "editor"),
        "snv": make_account("SNV", "administrator"),
        "leader": make_account("VPUBND", "leader"),
    }
