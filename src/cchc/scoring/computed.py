"""Sub-criteria the system scores from its own data: the figure, its text, and the points from the set's mapping.

Each source (criteria.COMPUTED_SOURCES) reads the figure for many units in a few queries; `compute_for_set` scores
every computed sub-criterion of a set for all its units at once. The figure is kept as text on the score (e.g.
"Tỷ lệ hồ sơ đúng hạn 2023: 92,7% (1.234/1.331)") so the unit and the council see what the points come from.
Scores are recomputed while the sheet is a draft or submitted; once appraised the council's value stands.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format

from cchc.agencyplans.models import AgencyPlan, plan_due_date
from cchc.core import clock
from cchc.indicators.queries import entered_many, figures_many, index766, metrics766
from cchc.plans.models import Task
from cchc.progress.models import TaskProgress
from cchc.reports.models import Report, ReportPeriod
from cchc.scoring.criteria import COMPUTED_SOURCES
from cchc.scoring.models import Assessment, Score
from cchc.scoring.workflow import State

CENT = Decimal("0.01")
RECOMPUTED_STATES = (State.DRAFT, State.SUBMITTED)


@dataclass(frozen=True)
class Figure:
    value: Decimal | None  # None: no data
    text: str


def points_for(figure: Decimal | float | None, mapping: dict, maximum: Decimal) -> Decimal | None:
    """Points for a figure by the mapping: thresholds (the highest step the figure reaches; none reached = 0) or
    linear (0 at `from`, the maximum at `to`, straight in between, clamped). None without a figure."""
    if figure is None:
        return None
    figure = Decimal(str(figure))
    if mapping["type"] == "thresholds":
        steps = sorted(mapping["steps"], key=lambda step: Decimal(str(step["at_least"])), reverse=True)
        for step in steps:
            if figure >= Decimal(str(step["at_least"])):
                return min(Decimal(str(step["points"])), maximum)
        return Decimal(0)
    low, high = Decimal(str(mapping["from"])), Decimal(str(mapping["to"]))
    share = min(max((figure - low) / (high - low), Decimal(0)), Decimal(1))
    return (maximum * share).quantize(CENT, rounding=ROUND_HALF_UP)


def vn_number(value, decimals: int = 0) -> str:
    """'1.234', '92,7': Vietnamese grouping and decimal comma, whatever the request's language."""
    text = f"{Decimal(str(value)):,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


_n = vn_number


def _percent(numerator: int, denominator: int) -> Decimal | None:
    return Decimal(100) * numerator / denominator if denominator else None


def _on_time_rate(units, year, today):
    stored = figures_many([u.pk for u in units], str(year))
    result = {}
    for unit in units:
        numerator, denominator = stored.get(unit.pk, {}).get("PROCESSING_ON_TIME", {}).get("all", (0, 0))
        value = _percent(numerator, denominator)
        if value is None:
            text = f"Tỷ lệ hồ sơ đúng hạn {year}: chưa có hồ sơ được giải quyết"
        else:
            text = f"Tỷ lệ hồ sơ đúng hạn {year}: {_n(value, 1)}% ({_n(numerator)}/{_n(denominator)})"
        result[unit.pk] = Figure(value, text)
    return result


def _index766(units, year, today):
    ids = [u.pk for u in units]
    stored, entered = figures_many(ids, str(year)), entered_many(ids, str(year))
    result = {}
    for unit in units:
        metrics = metrics766(unit, str(year), stored.get(unit.pk, {}), entered.get(unit.pk, {}))
        scored = index766(unit, str(year), metrics)
        if not scored["max"]:
            result[unit.pk] = Figure(None, f"Điểm Chỉ số 766 năm {year}: chưa có số liệu")
            continue
        value = Decimal(str(scored["total"])) * 100 / Decimal(str(scored["max"]))
        text = "Điểm Chỉ số 766 năm {year}: {total}/{max} điểm ({share}%)".format(
            year=year,
            total=_n(scored["total"], 2),
            max=_n(scored["max"], 2),
            share=_n(value, 1),
        )
        result[unit.pk] = Figure(value, text)
    return result


def _agency_plan_on_time(units, year, today):
    plans = {
        row.unit_id: row for row in AgencyPlan.objects.filter(plan__year=year, unit__in=units).select_related("plan")
    }
    result = {}
    for unit in units:
        found = plans.get(unit.pk)
        if found is None or found.first_submitted_at is None:
            result[unit.pk] = Figure(Decimal(0), f"Kế hoạch CCHC năm {year}: chưa gửi")
            continue
        submitted = timezone.localdate(found.first_submitted_at)
        on_time = bool(found.on_time)
        text = "Kế hoạch CCHC năm {year}: gửi ngày {submitted}, hạn {due} ({verdict})".format(
            year=year,
            submitted=date_format(submitted, "d/m/Y"),
            due=date_format(plan_due_date(found.plan), "d/m/Y"),
            verdict="đúng hạn" if on_time else "trễ hạn",
        )
        result[unit.pk] = Figure(Decimal(1 if on_time else 0), text)
    return result


def _report_counts(units, year, today):
    """unit id → (reports due by `today`, of which first submitted on time)."""
    periods = list(ReportPeriod.objects.filter(year=year))
    on_time = dict(
        Report.objects.filter(period__in=periods, unit__in=units)
        .values("unit_id")
        .annotate(n=Count("pk", filter=Q(on_time=True)))
        .values_list("unit_id", "n")
    )
    counts = {}
    for unit in units:
        due = sum(1 for period in periods if period.due_for(unit) <= today)
        counts[unit.pk] = (due, min(on_time.get(unit.pk, 0), due) if due else 0)
    return counts


def _reports_on_time_share(units, year, today):
    result = {}
    for unit_id, (due, on_time) in _report_counts(units, year, today).items():
        text = f"Báo cáo CCHC định kỳ năm {year} gửi đúng hạn: {on_time}/{due} báo cáo đến hạn"
        result[unit_id] = Figure(_percent(on_time, due), text)
    return result


def _reports_late_count(units, year, today):
    result = {}
    for unit_id, (due, on_time) in _report_counts(units, year, today).items():
        text = f"Báo cáo CCHC định kỳ năm {year} trễ hạn hoặc chưa gửi: {due - on_time}/{due} báo cáo đến hạn"
        result[unit_id] = Figure(Decimal(due - on_time), text)
    return result


def _progress_done_share(units, year, today):
    through = Task.agencies.through
    assigned: dict[int, set[int]] = {}
    for task_id, unit_id in through.objects.filter(task__plan__year=year, unit__in=units).values_list(
        "task_id", "unit_id"
    ):
        assigned.setdefault(unit_id, set()).add(task_id)
    done: dict[int, set[int]] = {}
    for task_id, unit_id in TaskProgress.objects.filter(
        task__plan__year=year, unit__in=units, status="done", completed_on__lte=today
    ).values_list("task_id", "unit_id"):
        done.setdefault(unit_id, set()).add(task_id)
    result = {}
    for unit in units:
        tasks = assigned.get(unit.pk, set())
        finished = len(tasks & done.get(unit.pk, set()))
        text = f"Nhiệm vụ của kế hoạch CCHC năm {year} đã hoàn thành: {finished}/{len(tasks)}"
        result[unit.pk] = Figure(_percent(finished, len(tasks)), text)
    return result


SOURCES = {
    "dossiers.on_time_rate": _on_time_rate,
    "dossiers.index766": _index766,
    "agencyplan.on_time": _agency_plan_on_time,
    "reports.on_time_share": _reports_on_time_share,
    "reports.late_count": _reports_late_count,
    "progress.done_share": _progress_done_share,
}
assert set(SOURCES) == set(COMPUTED_SOURCES), "every declared source has its figure"


def figures(source_key: str, units, year: int, today: dt.date | None = None) -> dict[int, Figure]:
    """{unit id: Figure} for the source. The text is stored with the score as part of the record, so it is written
    in Vietnamese, the language of the assessment documents, not in the language of whoever triggered it."""
    today = today or clock.today()
    return SOURCES[source_key](list(units), year, min(today, dt.date(year, 12, 31)))


@transaction.atomic
def compute_for_set(criteria_set, units=None, today: dt.date | None = None) -> int:
    """Score every computed sub-criterion of the set for its units' open sheets (draft or submitted); returns the
    number of scores written."""
    leaves = list(criteria_set.criteria.filter(is_leaf=True).exclude(source_key=""))
    if not leaves:
        return 0
    assessments = Assessment.objects.filter(criteria_set=criteria_set, status__in=RECOMPUTED_STATES)
    if units is not None:
        assessments = assessments.filter(unit__in=units)
    assessments = list(assessments.select_related("unit"))
    if not assessments:
        return 0
    unit_list = [a.unit for a in assessments]
    scores = {
        (s.assessment_id, s.criterion_id): s
        for s in Score.objects.filter(assessment__in=assessments, criterion__in=leaves)
    }
    changed = []
    for key in {leaf.source_key for leaf in leaves}:
        found = figures(key, unit_list, criteria_set.year, today)
        for leaf in (leaf for leaf in leaves if leaf.source_key == key):
            for assessment in assessments:
                score = scores.get((assessment.pk, leaf.pk))
                if score is None or score.not_applicable:
                    continue
                figure = found[assessment.unit_id]
                score.appraised_score = points_for(figure.value, leaf.mapping, leaf.maximum)
                score.computed_figure = figure.text
                changed.append(score)
    Score.objects.bulk_update(changed, ["appraised_score", "computed_figure"])
    return len(changed)
