"""The demo's 2023 work of the agencies (cchc.demo.workflow): the outcomes as designed, dates that agree with
the deadlines, the review trail, valid figures, data for the generated report, and a second run that does nothing.

Seeding takes a few seconds, so it is that of the package's one run of `cchc demo` (conftest.py), inside a transaction
rolled back at the end.
"""

import datetime as dt
from collections import Counter
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone

from cchc.accounts.models import Membership, Role
from cchc.agencyplans.models import AgencyPlan, AgencyPlanItem
from cchc.agencyplans.services import issuing_units
from cchc.core.uploads import detect_type
from cchc.demo import workflow
from cchc.documents.queries import compile_report
from cchc.plans.assignment import tasks_for_unit
from cchc.plans.models import Plan
from cchc.progress import rules
from cchc.progress.models import ProgressNote, TaskProgress
from cchc.reports.models import Report, ReportFigure, ReportPeriod
from cchc.reports.statistics import statistics_for
from cchc.reports.validation import validate
from cchc.review.models import ReviewEvent
from cchc.units.models import Unit, UnitKind

YEAR_END = dt.date(2023, 12, 31)


@pytest.fixture(scope="module")
def seeded(demo_run):
    """The agencies' work of 2023 as seed_demo_workflow reported it (seeded once for the package by `cchc demo`:
    conftest.py)."""
    return demo_run.workflow


@pytest.fixture
def plan(seeded, db):
    return Plan.objects.get(year=2023)


def local(moment: dt.datetime) -> dt.date:
    return timezone.localdate(moment)


def events_of(item) -> list[ReviewEvent]:
    content_type = ContentType.objects.get_for_model(item)
    return list(ReviewEvent.objects.filter(content_type=content_type, object_id=item.pk).order_by("at", "pk"))


def test_agency_plans_are_submitted_on_time_late_or_not_at_all_as_designed(plan):
    units = issuing_units(2023).count()
    plans = AgencyPlan.objects.filter(plan=plan)
    missing = workflow.PLANS_DRAFT_ONLY + workflow.PLANS_NOT_STARTED
    assert plans.count() == units - workflow.PLANS_NOT_STARTED
    assert plans.filter(first_submitted_at__isnull=True).count() == workflow.PLANS_DRAFT_ONLY
    assert plans.filter(on_time=False).count() == workflow.PLANS_LATE
    assert plans.filter(on_time=True).count() == units - missing - workflow.PLANS_LATE
    assert plans.filter(status="returned").count() == workflow.PLANS_RETURNED
    assert plans.filter(status="accepted").count() == units - missing - workflow.PLANS_RETURNED
    assert plans.filter(status="draft").count() == workflow.PLANS_DRAFT_ONLY
    returned = plans.get(status="returned")
    assert returned.review_comment in workflow.PLAN_RETURN_COMMENTS
    for agency_plan in plans.exclude(first_submitted_at=None):
        first = local(agency_plan.first_submitted_at)
        assert first.month == (1 if agency_plan.on_time else 2) and first.year == 2023
        assert agency_plan.document_number and agency_plan.issued_on <= first
    for code in workflow.SHOWCASE:
        assert plans.get(unit__code=code).status == "accepted"


def test_agency_plan_items_are_the_units_tasks_plus_some_own_ones(plan):
    own_units = 0
    for agency_plan in AgencyPlan.objects.filter(plan=plan).select_related("unit"):
        lines = agency_plan.lines.all()
        assert lines.filter(is_own=False).count() == tasks_for_unit(agency_plan.unit, plan).count()
        assert not lines.filter(owner="").exists()
        own_units += lines.filter(is_own=True).exists()
    assert own_units > 0
    assert AgencyPlanItem.objects.filter(agency_plan__plan=plan, due__in=workflow.EARLY_DUES).exists()


def assert_cross_references_point_at_their_objects(content: bytes) -> None:
    """What a PDF reader relies on: startxref gives the table, whose n-th entry is the offset of object n."""
    xref = int(content.rsplit(b"startxref", 1)[1].split()[0])
    assert content[xref:].startswith(b"xref")
    lines = content[xref:].split(b"\n")
    count = int(lines[1].split()[1])
    for number in range(1, count):
        offset = int(lines[2 + number].split()[0])
        assert content[offset:].startswith(b"%d 0 obj" % number)


def test_signed_plans_are_small_valid_pdfs(plan, seeded, settings):
    settings.MEDIA_ROOT = seeded.media
    submitted = AgencyPlan.objects.filter(plan=plan).exclude(first_submitted_at=None)
    assert submitted.exists()
    for agency_plan in submitted:
        with agency_plan.signed_document.open("rb") as handle:
            assert detect_type(handle) == "pdf"
            content = handle.read()
        assert content.startswith(b"%PDF-1.4") and content.rstrip().endswith(b"%%EOF")
        assert_cross_references_point_at_their_objects(content)
        assert agency_plan.signed_document_name.endswith(".pdf") and len(agency_plan.signed_document_sha256) == 64


def test_reports_end_the_year_as_designed(seeded, db):
    # The communes of 2023 (the demo also loads the units of later years: communes merged under 593 in 2024 …).
    units = issuing_units(2023).count() + sum(
        Unit.objects.valid_on(YEAR_END)
        .filter(parent=issuing_units(2023).get(code=code), kind=UnitKind.COMMUNE, is_scored=True)
        .count()
        for code in workflow.COMMUNE_DISTRICTS
    )
    for kind, mix in workflow.REPORT_MIX.items():
        reports = Report.objects.filter(period__year=2023, period__kind=kind)
        states = Counter(reports.values_list("status", flat=True))
        assert states["submitted"] == mix.waiting, kind
        assert states["returned"] == mix.returned, kind
        assert states["accepted"] == units - mix.missing - mix.waiting - mix.returned, kind
        assert reports.filter(on_time=False).count() == mix.late, kind
        assert reports.filter(on_time=True).count() == units - mix.missing - mix.late, kind
        assert reports.filter(first_submitted_at=None).count() == (1 if mix.missing else 0), kind
    assert set(workflow.REPORT_MIX) == {"Q1", "H1", "Q3", "Y"}


def test_every_accepted_report_has_valid_complete_figures_and_its_sections(seeded, db):
    accepted = Report.objects.filter(status="accepted").select_related("unit", "period").prefetch_related("figures")
    assert accepted.exists()
    for report in accepted:
        statistics = statistics_for(report.unit.kind, report.period.kind)
        values = {figure.code: figure.value for figure in report.figures.all()}
        assert set(values) == {stat.code for stat in statistics}, report
        _cleaned, errors = validate(values, statistics, complete=True)
        assert errors == {}, report
        assert all(getattr(report, name).strip() for name in ("steering", "results", "assessment", "next_tasks"))
        if "satisfaction_tthc" in values:
            assert 85 <= values["satisfaction_tthc"] <= 99


def test_on_time_flags_agree_with_the_deadline_of_the_units_level(seeded, db):
    items = [
        *AgencyPlan.objects.exclude(first_submitted_at=None).select_related("plan"),
        *Report.objects.exclude(first_submitted_at=None).select_related("period", "unit"),
    ]
    assert len(items) > 150
    for item in items:
        assert item.on_time == (local(item.first_submitted_at) <= item.due_date()), item
        assert item.first_submitted_at.year == 2023 and item.submitted_at >= item.first_submitted_at
        if item.status in ("accepted", "returned"):
            assert item.reviewed_at.year == 2023 and item.reviewed_at > item.submitted_at
    commune = Report.objects.filter(unit__kind=UnitKind.COMMUNE, period__kind="Q1").select_related("period").first()
    assert commune.due_date() == commune.period.due_commune


def test_each_submission_and_review_is_in_the_event_log_with_the_right_actor(seeded, db):
    items = [
        *AgencyPlan.objects.exclude(first_submitted_at=None).select_related("unit"),
        *Report.objects.exclude(first_submitted_at=None).select_related("unit__parent"),
    ]
    for item in items:
        events = events_of(item)
        submits = [e for e in events if e.action == "submit"]
        assert submits and submits[0].at == item.first_submitted_at and submits[-1].at == item.submitted_at
        assert submits[0].on_time == item.on_time
        assert all(Membership.objects.get(user=e.actor).role == Role.HEAD for e in submits)
        reviews = [e for e in events if e.action in ("accept", "return")]
        if item.status in ("accepted", "returned"):
            assert reviews[-1].at == item.reviewed_at and reviews[-1].actor == item.reviewed_by
            reviewer = Membership.objects.get(user=item.reviewed_by)
            if item.unit.kind == UnitKind.COMMUNE:
                assert (reviewer.role, reviewer.unit_id) == (Role.DISTRICT_OFFICER, item.unit.parent_id)
            else:
                assert reviewer.role == Role.ADMINISTRATOR
        assert [e.at for e in events] == sorted(e.at for e in events)
    made = get_user_model().objects.filter(username__endswith=".lanhdao", membership__unit__code="SNV").get()
    assert not made.has_usable_password()


def test_the_audit_log_dates_the_work_in_2023(seeded, db):
    report_type = ContentType.objects.get_for_model(Report)
    entries = LogEntry.objects.filter(content_type=report_type)
    assert entries.exists()
    assert not entries.exclude(timestamp__year=2023).exists()
    assert not entries.filter(actor=None).exists()


def test_task_progress_at_the_end_of_2023(plan):
    counts = Counter()
    for unit in issuing_units(2023):
        rows = TaskProgress.objects.filter(unit=unit, task__plan=plan)
        assert rows.count() == tasks_for_unit(unit, plan).count()
        counts.update(rows.with_effective_status(YEAR_END).values_list("effective_status", flat=True))
    total = sum(counts.values())
    assert counts[rules.DONE] > total * 0.7
    assert 0 < counts[rules.OVERDUE] < total * 0.05
    assert counts[rules.IN_PROGRESS] > 0 and counts[rules.NOT_STARTED] > 0
    done = TaskProgress.objects.filter(status=rules.DONE)
    assert not done.exclude(completed_on__year=2023).exists()
    assert ProgressNote.objects.filter(at__year=2023).count() == ProgressNote.objects.count() > 0


def test_the_province_report_of_q1_compiles_from_accepted_reports(seeded, db):
    period = ReportPeriod.objects.get(year=2023, kind="Q1")
    compiled = compile_report(period)
    accepted = Report.objects.filter(period=period, status="accepted").count()
    assert compiled.accepted_reports == accepted > 0
    issued = next(total for total in compiled.statistics if total.stat.code == "legal_docs_issued")
    assert (
        issued.total > 0
        and issued.units
        == Report.objects.filter(period=period, status="accepted", unit__kind__in=("department", "district")).count()
    )
    states = Counter(submission.state for submission in compiled.submissions)
    assert states["late"] == workflow.REPORT_MIX["Q1"].late
    # The province report synthesises the units' narratives by theme, clause by clause (the same clause once, with
    # the units that wrote it): every clause of every accepted report's steering text is there (clauses that name
    # their unit are merged with the like clauses of other units, so those are left out).
    narrative = " ".join(str(block) for part in compiled.section("steering").walk() for block in part.blocks).lower()
    written = set(
        Report.objects.filter(period=period, status="accepted").exclude(steering="").values_list("steering", flat=True)
    )
    clauses = {clause.strip(" .").lower() for text in written for clause in text.split(";")}
    clauses = {clause for clause in clauses if not clause.startswith("lãnh đạo")}
    assert len(clauses) > 3 and all(clause in narrative for clause in clauses)


def test_a_second_run_changes_nothing(seeded, db):
    models = (AgencyPlan, AgencyPlanItem, TaskProgress, ProgressNote, Report, ReportFigure, ReviewEvent, LogEntry)
    before = [model.objects.count() for model in models] + [get_user_model().objects.count()]
    output = StringIO()
    assert workflow.seed_demo_workflow(stdout=output) is None
    call_command("seed_demo_workflow", "--seed", "7", stdout=output)
    after = [model.objects.count() for model in models] + [get_user_model().objects.count()]
    assert after == before
    assert "already present" in output.getvalue()


def test_the_first_run_reports_its_counts(seeded):
    assert "Agency plans 2023: 29 units" in seeded.output
    assert "Reports Q1 2023" in seeded.output and "review events" in seeded.output
    assert seeded.summary["on_time_corrected"] == 0
    assert seeded.summary["agency_plans"]["late"] == workflow.PLANS_LATE
