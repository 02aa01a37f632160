"""Helpers: accepted entries, agency plans, surveys and reports for the target-value tests."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cchc.agencyplans.models import AgencyPlan
from cchc.plans.models import Target
from cchc.reports.models import ReportPeriod
from cchc.targets.models import Survey, SurveyResult, TargetEntry
from cchc.targets.services import responsible_unit


def entry(plan, code: str, kind: str = "Y", level: str = "all", status: str = "accepted", **values) -> TargetEntry:
    target = Target.objects.get(plan=plan, code=code)
    return TargetEntry.objects.create(
        target=target,
        unit=responsible_unit(target),
        period=ReportPeriod.objects.get(year=plan.year, kind=kind),
        level=level,
        status=status,
        reviewed_at=timezone.now() if status == "accepted" else None,
        **values,
    )


def agency_plan(plan, unit, issued_on: dt.date | None, status: str = "accepted") -> AgencyPlan:
    return AgencyPlan.objects.create(
        plan=plan,
        unit=unit,
        issued_on=issued_on,
        status=status,
        first_submitted_at=timezone.now() if status != "draft" else None,
    )


def survey(year: int, index: str, lines: list[tuple[str, str, int, float]], national=None) -> Survey:
    found = Survey.objects.create(
        year=year,
        index=index,
        title=f"Khảo sát {index}",
        organiser="Sở Nội vụ",
        sample_size=400,
        started_on=dt.date(year, 10, 1),
        ended_on=dt.date(year, 11, 30),
        method=index,
        national_value=national,
    )
    SurveyResult.objects.bulk_create(
        SurveyResult(survey=found, service=s, criterion=c, respondents=n, share_satisfied=share)
        for s, c, n, share in lines
    )
    return found
