"""Scorecards of all units of a kind for a year, read set-based: a fixed number of queries whatever the number
of units (figures, entered 766 values, plan targets, task assignments, progress rows, own due dates, report
periods, reports, agency plans), then `cchc.scorecards.rules` does the arithmetic."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Q
from django.utils import timezone

from cchc.agencyplans.models import AgencyPlan, AgencyPlanItem, plan_due_date
from cchc.core import clock
from cchc.indicators.metrics import TARGET_METRICS, ratio
from cchc.indicators.queries import entered_many, figures_many, index766, metrics766
from cchc.plans.models import Plan, Target, Task
from cchc.plans.thresholds import describe, limit_on
from cchc.progress.models import OWN_DUE_STATES, TaskProgress
from cchc.reports.models import Report, ReportPeriod
from cchc.scorecards import rules
from cchc.units.models import LEVEL_OF_KIND, Unit, UnitKind

PEER_KINDS = (UnitKind.DEPARTMENT, UnitKind.DISTRICT, UnitKind.COMMUNE)
PLAN_ISSUING_KINDS = (UnitKind.DEPARTMENT, UnitKind.DISTRICT)


def default_year() -> int:
    """This year when its plan is in force, else the latest plan's year (the scorecards' default)."""
    plans = Plan.objects.exclude(status=Plan.Status.DRAFT)
    year = clock.today().year
    if plans.filter(year=year).exists():
        return year
    return plans.order_by("-year").values_list("year", flat=True).first() or year


def peers(kind: str, year: int, district: Unit | None = None) -> list[Unit]:
    """The units compared with each other: scored departments, scored districts, or the communes of a district.
    One version per code (the latest that existed in the year)."""
    units = Unit.objects.in_year(year).filter(kind=kind, is_scored=True)
    if kind == UnitKind.COMMUNE:
        units = units.filter(parent=district) if district else units.none()
    latest: dict[str, Unit] = {}
    for unit in units.order_by("sort_order", "code", "valid_from"):
        latest[unit.code] = unit
    return list(latest.values())


def unit_in_year(code: str, year: int) -> Unit | None:
    return Unit.objects.in_year(year).filter(code=code, kind__in=PEER_KINDS).order_by("-valid_from").first()


def plan_for_year(year: int) -> Plan | None:
    return (
        Plan.objects.filter(year=year).exclude(status=Plan.Status.DRAFT).first()
        or Plan.objects.filter(year=year).first()
    )


def _local_date(moment) -> dt.date | None:
    return timezone.localdate(moment) if moment else None


def _targets(plan: Plan | None) -> dict[str, Target]:
    if plan is None:
        return {}
    return {
        t.code: t
        for t in plan.targets.filter(code__in=TARGET_METRICS).select_related("plan").prefetch_related("thresholds")
    }


def target_results(
    unit: Unit, stored: dict, targets: dict[str, Target], year_end: dt.date | None = None
) -> list[rules.TargetResult]:
    """Each area-2 target at the unit's own level (P for departments, D for districts, C for communes), judged
    against the threshold of the year's end (the path point of a multi-year goal: cchc.plans.thresholds)."""
    level = str(LEVEL_OF_KIND[unit.kind])
    results = []
    for code, metric in TARGET_METRICS.items():
        by_level = stored.get(metric, {})
        numerator, denominator = by_level.get(level) or by_level.get("all") or (0, 0)
        target = targets.get(code)
        threshold = next((t for t in target.thresholds.all() if t.level == level), None) if target else None
        results.append(
            rules.TargetResult(
                code=code,
                name=target.name if target else code,
                name_en=(target.name_en if target else "") or "",
                value=ratio(numerator, denominator),
                numerator=numerator,
                denominator=denominator,
                op=threshold.op if threshold else None,
                threshold=_limit(target, threshold, year_end),
                threshold_display=_limit_display(target, threshold, year_end),
            )
        )
    return results


def _year_end(target: Target, year_end: dt.date | None) -> dt.date:
    return year_end or dt.date(target.plan.year, 12, 31)


def _limit(target: Target | None, threshold, year_end: dt.date | None) -> float | None:
    if target is None or threshold is None:
        return None
    return limit_on(target, threshold, _year_end(target, year_end))


def _limit_display(target: Target | None, threshold, year_end: dt.date | None) -> str:
    if target is None or threshold is None:
        return ""
    return describe(target, threshold, _year_end(target, year_end))


def task_lines(units: list[Unit], plan: Plan | None, on: dt.date) -> dict[int, list[rules.TaskLine]]:
    """unit id → its tasks with their effective status on `on` (four queries for all units).

    A district carries its communes' tasks too (cchc.plans.assignment), with its own progress row."""
    if plan is None or not units:
        return {}
    ids = [u.pk for u in units]
    districts = [u.pk for u in units if u.kind == UnitKind.DISTRICT]
    through = Task.agencies.through.objects.filter(task__plan=plan).filter(
        Q(unit_id__in=ids) | Q(unit__parent_id__in=districts, unit__kind=UnitKind.COMMUNE)
    )
    assigned: dict[int, set[int]] = defaultdict(set)
    wanted = set(ids)
    for task_id, unit_id, parent_id in through.values_list("task_id", "unit_id", "unit__parent_id"):
        if unit_id in wanted:
            assigned[unit_id].add(task_id)
        if parent_id in districts:
            assigned[parent_id].add(task_id)
    tasks = {pk: (code, order, due) for pk, code, order, due in plan.tasks.values_list("pk", "code", "order", "due")}
    stored = {
        (unit_id, task_id): status
        for unit_id, task_id, status in TaskProgress.objects.filter(task__plan=plan, unit_id__in=ids).values_list(
            "unit_id", "task_id", "status"
        )
    }
    own: dict[tuple[int, int], dt.date] = {}
    items = AgencyPlanItem.objects.filter(
        agency_plan__plan=plan,
        agency_plan__unit_id__in=ids,
        agency_plan__status__in=OWN_DUE_STATES,
        task__isnull=False,
        due__isnull=False,
    ).order_by("-pk")
    for unit_id, task_id, due in items.values_list("agency_plan__unit_id", "task_id", "due"):
        own[(unit_id, task_id)] = due  # ordered last first, so the first item per task wins
    result: dict[int, list[rules.TaskLine]] = {}
    for unit_id in ids:
        lines = []
        for task_id in sorted(assigned.get(unit_id, ()), key=lambda pk: tasks[pk][1]):
            code, _order, due = tasks[task_id]
            lines.append(rules.task_line(code, stored.get((unit_id, task_id)), due, own.get((unit_id, task_id)), on))
        result[unit_id] = lines
    return result


def report_submissions(units: list[Unit], year: int, on: dt.date) -> dict[int, list[rules.Submission]]:
    """unit id → one entry per report period of the year (two queries for all units)."""
    periods = list(ReportPeriod.objects.filter(year=year).order_by("data_to"))
    if not periods:
        return {u.pk: [] for u in units}
    reports = {
        (unit_id, period_id): (pk, first, on_time)
        for pk, unit_id, period_id, first, on_time in Report.objects.filter(
            period__in=periods, unit_id__in=[u.pk for u in units]
        ).values_list("pk", "unit_id", "period_id", "first_submitted_at", "on_time")
    }
    result = {}
    for unit in units:
        entries = []
        for period in periods:
            pk, first, on_time = reports.get((unit.pk, period.pk), (None, None, None))
            due = period.due_for(unit)
            entries.append(
                rules.Submission(
                    key=period.kind,
                    label=str(period.get_kind_display()),
                    due=due,
                    status=rules.submission_status(_local_date(first), on_time, due, on),
                    object_id=pk,
                )
            )
        result[unit.pk] = entries
    return result


def agency_plan_submissions(units: list[Unit], plan: Plan | None, on: dt.date) -> dict[int, rules.Submission]:
    """unit id → its agency plan's submission (departments and districts only; one query)."""
    issuing = [u for u in units if u.kind in PLAN_ISSUING_KINDS]
    if plan is None or not issuing:
        return {}
    due = plan_due_date(plan)
    found = {
        unit_id: (pk, first, on_time)
        for pk, unit_id, first, on_time in AgencyPlan.objects.filter(
            plan=plan, unit_id__in=[u.pk for u in issuing]
        ).values_list("pk", "unit_id", "first_submitted_at", "on_time")
    }
    result = {}
    for unit in issuing:
        pk, first, on_time = found.get(unit.pk, (None, None, None))
        result[unit.pk] = rules.Submission(
            key="plan",
            label="",
            due=due,
            status=rules.submission_status(_local_date(first), on_time, due, on),
            object_id=pk,
        )
    return result


def build_cards(units: list[Unit], year: int, on: dt.date | None = None) -> list[rules.Scorecard]:
    """Scorecards of `units` for `year` as seen on `on` (today by default), ranked among themselves."""
    on = on or clock.today()
    period = str(year)
    ids = [u.pk for u in units]
    stored = figures_many(ids, period)
    entered = entered_many(ids, period)
    plan = plan_for_year(year)
    targets = _targets(plan)
    tasks = task_lines(units, plan, on)
    reports = report_submissions(units, year, on)
    plans = agency_plan_submissions(units, plan, on)
    cards = []
    for unit in units:
        unit_stored = stored.get(unit.pk, {})
        metrics = metrics766(unit, period, unit_stored, entered.get(unit.pk, {}))
        cards.append(
            rules.Scorecard(
                unit_id=unit.pk,
                code=unit.code,
                name=unit.name,
                kind=unit.kind,
                year=year,
                targets=target_results(unit, unit_stored, targets, dt.date(year, 12, 31)),
                tasks=rules.summarise_tasks(tasks.get(unit.pk, []), on),
                reports=reports.get(unit.pk, []),
                agency_plan=plans.get(unit.pk),
                index766=index766(unit, period, metrics),
            )
        )
    return rules.rank(cards)


def card_for(unit: Unit, year: int, on: dt.date | None = None) -> rules.Scorecard:
    """One unit's card, ranked among its peers (the rank needs them all: the same queries, for the kind)."""
    group = peers(unit.kind, year, unit.parent if unit.kind == UnitKind.COMMUNE else None)
    if all(u.pk != unit.pk for u in group):
        group.append(unit)
    return next(c for c in build_cards(group, year, on) if c.unit_id == unit.pk)
