"""The value of every plan target per level and period — ONE function for the dashboard, the scorecards, the
generated report and `cchc targets`, so that they give the same number for the same target, level and period.

Where a value comes from is the target's declared source (plan file `source`, cchc.plans.models.Target.Source):

* dossiers, catalogue — the stored IndicatorValue of the unit (with the units below it) for the period and level
  (cchc.indicators.metrics.TARGET_METRICS); targets that also have report statistics (2.5a, 2.5b) fall back on them;
* reports — figures of ACCEPTED periodic reports over the unit and the units below it (REPORTED below): a share is
  Σ parts / Σ wholes; a percent figure is weighted by its basis statistic (Σ percent × basis / Σ basis), never a plain
  mean. A statistic is cumulative from the start of the year unless statistics.yaml says `cumulative: false`, in
  which case the windows up to the period are added up;
* entered — the accepted TargetEntry of the latest report period that ends within the period, per level;
* baseline — (base − current) / base, the current count being the report statistic named in `source.detail`;
* survey — the survey index of the year (3.4: the lower of the health and the education index, both shown);
* agency_plans — departments and districts whose own plan was signed (issued_on) on or before the plan's deadline,
  over all departments and districts that must issue one (drafts do not count: they are not issued).

Entries, baselines, surveys and agency plans are facts of the whole province: they are shown at the province only.
Levels are "P", "D", "C" and "all" (the whole province).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from cchc.accounts import access
from cchc.agencyplans.models import AgencyPlan, plan_due_date
from cchc.agencyplans.services import issuing_units
from cchc.dossiers.models import Dossier
from cchc.indicators import engine
from cchc.indicators.metrics import TARGET_METRICS
from cchc.indicators.models import IndicatorValue
from cchc.indicators.periods import Period
from cchc.plans.models import Plan, Target, Threshold
from cchc.reports.models import Report, ReportFigure, ReportPeriod
from cchc.reports.statistics import all_statistics
from cchc.review.models import ReviewState
from cchc.targets import rules
from cchc.units.models import Unit, UnitKind

LEVELS = ("P", "D", "C", "all")
REPORT_UNIT_KIND = {"P": UnitKind.DEPARTMENT, "D": UnitKind.DISTRICT, "C": UnitKind.COMMUNE}
CATALOGUE_METRICS = {m.code for m in engine.METRICS if m.population == "catalogue"}
# A threshold's level → the value level it is judged on.
VALUE_LEVEL = {"P": "P", "D": "D", "C": "C", "province": "all"}


@dataclass(frozen=True)
class Reported:
    """How a target is read from report figures: parts over wholes (counts), or a percent figure weighted by the
    count it is a share of (`basis`)."""

    parts: tuple[str, ...] = ()
    whole: str | None = None
    percent: str | None = None
    basis: str | None = None

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c for c in (*self.parts, self.whole, self.percent, self.basis) if c)


# Targets measured by the statistics annex: each part (or percent figure) is tied to the target in statistics.yaml and
# the whole is the statistic the parts are part_of; a percent's basis is the count it is a share of.
REPORTED: dict[str, Reported] = {
    "2.5a": Reported(percent="satisfaction_tthc", basis="satisfaction_respondents"),
    "2.5b": Reported(percent="satisfaction_land", basis="satisfaction_land_respondents"),
    "4.2": Reported(percent="commune_officials_standard", basis="commune_officials"),
    # Every unit that covers its recurrent spending, those that also cover their investment spending included (the
    # two disjoint groups of Decree 60/2021 that statistics.yaml ties to 5.1a).
    "5.1a": Reported(parts=("psu_autonomy_recurrent_investment", "psu_autonomy_recurrent"), whole="psu_total"),
    "6.1": Reported(parts=("info_systems_connected",), whole="info_systems"),
    "6.3": Reported(percent="work_files_online", basis="work_files_total"),
    "6.4": Reported(parts=("inspections_digital",), whole="inspections_total"),
}


@dataclass
class TargetValue:
    code: str
    level: str  # P, D, C, all
    source: str  # a Target.Source value; "none" when nothing gives a value
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    period: str = ""  # the DHIS2 period code, or the title of the report period / survey the value is from
    link: str = ""
    qualitative: str | None = None
    parts: list[tuple[str, float | None]] = field(default_factory=list)  # e.g. 3.4: health and education indices
    reports: int = 0  # accepted reports the value is made from
    detail: dict = field(default_factory=dict)  # baseline: base, year, current, remaining; survey: national, …


@functools.cache
def _statistics_flags() -> dict[str, bool]:
    """code → cumulative (the position at the cut-off, from the start of the year) or not (per window): the
    `accumulation` each statistic declares in statistics.yaml (cumulative | window)."""
    return {stat.code: stat.is_cumulative for stat in all_statistics()}


def is_cumulative(code: str) -> bool:
    return _statistics_flags().get(code, True)


def report_windows(periods: list[ReportPeriod], end: dt.date, cumulative: bool) -> list[ReportPeriod]:
    """The report periods a figure is read from for a period ending on `end`: the latest report whose data ends by
    then (cumulative figures), or that report and the earlier ones before its window, without overlap (per-window
    figures are added up)."""
    done = sorted((p for p in periods if p.data_to <= end), key=lambda p: p.data_to, reverse=True)
    if not done:
        return []
    if cumulative:
        return done[:1]
    chain = [done[0]]
    for p in done[1:]:
        if p.data_to < chain[-1].data_from:
            chain.append(p)
    return chain


def _subtree(unit: Unit, prefix: str = "unit") -> Q:
    return Q(**{prefix: unit}) | Q(**{f"{prefix}__parent": unit}) | Q(**{f"{prefix}__parent__parent": unit})


def _accepted(queryset, user, as_of: dt.date | None):
    queryset = queryset.filter(status=ReviewState.ACCEPTED)
    if user is not None:
        queryset = queryset.restrict(user)
    if as_of is not None:
        queryset = queryset.filter(reviewed_at__lt=_end_of(as_of))
    return queryset


def _end_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))


def figure_link(unit: Unit, period: str, metric: str, level: str | None, user=None) -> str:
    """The records behind a figure: its procedures, or its dossiers where `user` (None: the command line) may open
    them; else the unit's indicator page, which every account reads (a link never leads to a 404)."""
    name = "indicators:procedures" if metric in CATALOGUE_METRICS else "indicators:dossiers"
    if name == "indicators:dossiers" and user is not None and not _may_open_dossiers(user, unit):
        return reverse("indicators:unit", args=[unit.code, period])
    query = {"metric": metric, "part": "denominator"}
    if level and level != "all":
        query["level"] = level
    return f"{reverse(name, args=[unit.code, period])}?{urlencode(query)}"


def _may_open_dossiers(user, unit: Unit) -> bool:
    return access.may(user, "view", Dossier(unit=unit))


def reports_link(year: int, unit: Unit) -> str:
    query = {"year": year, "status": ReviewState.ACCEPTED}
    if unit.kind in (UnitKind.DEPARTMENT, UnitKind.DISTRICT):
        query["kind"] = unit.kind
    return f"{reverse('reports:index')}?{urlencode(query)}"


class _Figures:
    """The figures of the accepted reports of the unit's subtree: one query for every report period of the year."""

    def __init__(self, unit: Unit, year: int, user, as_of: dt.date | None, codes: set[str]):
        self.periods = list(ReportPeriod.objects.filter(year=year))
        reports = _accepted(Report.objects.filter(_subtree(unit), period__year=year), user, as_of)
        # (period id, code) → [(unit kind, report id, value)]
        self.rows: dict[tuple[int, str], list[tuple[str, int, float]]] = defaultdict(list)
        for report_id, period_id, kind, code, value in ReportFigure.objects.filter(
            report__in=reports, code__in=codes
        ).values_list("report_id", "report__period_id", "report__unit__kind", "code", "value"):
            self.rows[(period_id, code)].append((kind, report_id, float(value)))

    def windows(self, codes, end: dt.date) -> list[ReportPeriod]:
        return report_windows(self.periods, end, all(is_cumulative(c) for c in codes))

    def values(self, code: str, windows: list[ReportPeriod], kinds) -> dict[tuple[int, int], float]:
        """(period id, report id) → value for the reports of units of `kinds`."""
        return {
            (p.pk, report_id): value
            for p in windows
            for kind, report_id, value in self.rows.get((p.pk, code), [])
            if kind in kinds
        }


def _reported(formula: Reported, figures: _Figures, end: dt.date, kinds) -> tuple[rules.Measure | None, int, list]:
    windows = figures.windows(formula.codes, end)
    if not windows:
        return None, 0, windows
    if formula.percent:
        percents = figures.values(formula.percent, windows, kinds)
        bases = figures.values(formula.basis, windows, kinds) if formula.basis else {}
        measure = rules.weighted_percent((percents[key], bases.get(key)) for key in percents)
        return measure, sum(1 for key in percents if bases.get(key)), windows
    wholes = figures.values(formula.whole, windows, kinds)
    parts: dict = defaultdict(float)
    for code in formula.parts:
        for key, value in figures.values(code, windows, kinds).items():
            parts[key] += value
    keys = list(wholes)  # the reports that give the whole; a part without its whole is left out
    whole = sum(wholes[key] for key in keys)
    if not whole:
        return None, 0, windows
    part = sum(parts.get(key, 0.0) for key in keys)
    return rules.Measure(100 * part / whole, part, whole), len(keys), windows


def _sum_statistic(figures: _Figures, code: str, end: dt.date) -> tuple[float | None, list]:
    windows = figures.windows([code], end)
    values = figures.values(code, windows, set(REPORT_UNIT_KIND.values()))
    return (sum(values.values()) if values else None), windows


def _window_title(windows: list[ReportPeriod]) -> str:
    return " + ".join(str(p.title) for p in reversed(windows))


def target_values(
    plan: Plan,
    unit: Unit,
    period: Period,
    user=None,
    as_of: dt.date | None = None,
    levels: tuple[str, ...] = LEVELS,
    targets: list[Target] | None = None,
) -> dict[tuple[str, str], TargetValue]:
    """(target code, level) → TargetValue for every target of `plan` and every level in `levels`, as `user` may see
    it (None: every accepted item) and as known at the end of `as_of` (None: now). A constant number of queries."""
    from cchc.targets.models import Survey, SurveyResult, TargetEntry

    if targets is None:
        targets = list(Target.objects.filter(plan=plan).select_related("baseline").order_by("order"))
    year = period.start.year
    is_province = unit.kind == UnitKind.PROVINCE
    metrics = {TARGET_METRICS[t.code] for t in targets if t.code in TARGET_METRICS}
    stored = {
        (lv, metric): (n, d)
        for lv, metric, n, d in IndicatorValue.objects.filter(
            unit=unit, period=period.code, metric__in=metrics, level__in=levels
        ).values_list("level", "metric", "numerator", "denominator")
    }
    codes = {code for formula in REPORTED.values() for code in formula.codes}
    codes |= {t.source_detail for t in targets if t.value_source == Target.Source.BASELINE and t.source_detail}
    figures = _Figures(unit, year, user, as_of, codes)

    entries: dict[tuple[str, str], TargetEntry] = {}
    surveys: dict[str, Survey] = {}
    lines: dict[int, list[rules.SurveyLine]] = defaultdict(list)
    sources = {t.value_source for t in targets}
    if is_province and Target.Source.ENTERED in sources:
        found = _accepted(
            TargetEntry.objects.filter(target__in=targets, period__data_to__lte=period.end).select_related("period"),
            user,
            as_of,
        ).order_by("period__data_to")
        for entry in found:  # the latest period wins
            entries[(entry.target_id, entry.level)] = entry
    if is_province and Target.Source.SURVEY in sources:
        survey_rows = Survey.objects.filter(year=year, ended_on__lte=period.end)
        if as_of is not None:
            survey_rows = survey_rows.filter(created_at__lt=_end_of(as_of))
        surveys = {s.index: s for s in survey_rows}
        for row in SurveyResult.objects.filter(survey__in=list(surveys.values())) if surveys else []:
            lines[row.survey_id].append(
                rules.SurveyLine(
                    row.service,
                    row.criterion,
                    row.respondents,
                    float(row.share_satisfied) if row.share_satisfied is not None else None,
                    float(row.mean_score) if row.mean_score is not None else None,
                )
            )
    agency = _agency_plans(plan, user, as_of) if is_province and Target.Source.AGENCY_PLANS in sources else {}

    result: dict[tuple[str, str], TargetValue] = {}
    for target in targets:
        source = target.value_source
        metric = TARGET_METRICS.get(target.code)
        formula = REPORTED.get(target.code)
        for level in levels:
            tv = TargetValue(target.code, level, Target.Source.NONE)
            if metric and (level, metric) in stored and source in ("dossiers", "catalogue", "reports", "none"):
                n, d = stored[(level, metric)]
                if d:
                    tv.value, tv.numerator, tv.denominator = 100 * n / d, n, d
                    tv.source = "catalogue" if metric in CATALOGUE_METRICS else "dossiers"
                    tv.period = period.code
                    tv.link = figure_link(unit, period.code, metric, level, user)
            if tv.value is None and formula and source in ("dossiers", "catalogue", "reports", "none"):
                kinds = {REPORT_UNIT_KIND[level]} if level in REPORT_UNIT_KIND else set(REPORT_UNIT_KIND.values())
                measure, n, windows = _reported(formula, figures, period.end, kinds)
                if measure is not None:
                    tv.value, tv.numerator, tv.denominator = measure.value, measure.numerator, measure.denominator
                    tv.source, tv.reports, tv.period = "reports", n, _window_title(windows)
                    tv.link = reports_link(year, unit)
            if tv.value is None and is_province:
                if source == Target.Source.ENTERED:
                    _entered(tv, entries.get((target.pk, level)))
                elif source == Target.Source.BASELINE and level == "all":
                    _baseline(tv, target, figures, period)
                elif source == Target.Source.SURVEY and level == "all":
                    _survey(tv, target, surveys, lines)
                elif source == Target.Source.AGENCY_PLANS and level in agency:
                    issued, total = agency[level]
                    if total:
                        tv.value, tv.numerator, tv.denominator = 100 * issued / total, issued, total
                        tv.source, tv.period = "agency_plans", str(plan.agency_plan_deadline or plan.year)
                        tv.link = reverse("agencyplans:overview", args=[plan.year])
            result[(target.code, level)] = tv
    return result


def _entered(tv: TargetValue, entry) -> None:
    if entry is None or entry.measure is None:
        return
    measure = entry.measure
    tv.value, tv.numerator, tv.denominator = measure.value, measure.numerator, measure.denominator
    tv.qualitative = measure.qualitative
    tv.source, tv.period, tv.link = "entered", str(entry.period.title), entry.get_absolute_url()


def _baseline(tv: TargetValue, target: Target, figures: _Figures, period: Period) -> None:
    baseline = getattr(target, "baseline", None)
    if baseline is None or not target.source_detail:
        return
    current, windows = _sum_statistic(figures, target.source_detail, period.end)
    if current is None:
        return
    goal = next((t.value for t in target.thresholds.all() if t.unit == Threshold.Unit.PERCENT_REDUCTION), 0.0)
    found = rules.reduction(baseline.value, int(current), goal)
    if found is None:
        return
    tv.value, tv.numerator, tv.denominator = found.percent, float(found.reduced), float(found.base)
    tv.source, tv.period, tv.link = "baseline", _window_title(windows), baseline.get_absolute_url()
    tv.detail = {
        "base_year": baseline.year,
        "base": found.base,
        "current": found.current,
        "goal_count": found.goal_count,
        "remaining": found.remaining,
        "deadline": target.deadline.isoformat(),
        "source_document": baseline.source_document,
    }


def _survey(tv: TargetValue, target: Target, surveys: dict, lines: dict) -> None:
    wanted = [code.strip() for code in (target.source_detail or "").split(",") if code.strip()]
    methods = rules.methods()
    parts = []
    for index in wanted:
        survey = surveys.get(index)
        if survey is None or survey.method not in methods and index not in methods:
            parts.append((index, None))
            continue
        method = methods.get(index) or methods[survey.method]
        found = rules.survey_index(lines.get(survey.pk, []), method)
        parts.append((index, found.value))
        tv.detail[index] = {
            "survey": survey.pk,
            "respondents": found.respondents,
            "sample_size": survey.sample_size,
            "national": float(survey.national_value) if survey.national_value is not None else None,
        }
    if not parts or any(value is None for _, value in parts):
        return
    tv.value = min(value for _, value in parts)  # every index must reach the threshold
    tv.parts = parts if len(parts) > 1 else []
    tv.source = "survey"
    shown = [surveys[index] for index, _ in parts]
    tv.period = ", ".join(f"{s.started_on:%d/%m/%Y}–{s.ended_on:%d/%m/%Y}" for s in shown[:1])
    tv.link = (
        shown[0].get_absolute_url()
        if len(shown) == 1
        else f"{reverse('targets:surveys')}?{urlencode({'year': shown[0].year})}"
    )


def _agency_plans(plan: Plan, user, as_of: dt.date | None) -> dict[str, tuple[int, int]]:
    """level → (units whose plan was signed by the deadline, units that must issue one): P departments, D districts."""
    deadline = plan_due_date(plan)
    units = list(issuing_units(plan.year))
    issued_ids = set(
        AgencyPlan.objects.filter(plan=plan, issued_on__lte=deadline, unit__in=units)
        .exclude(status=ReviewState.DRAFT)
        .filter(Q(first_submitted_at__lt=_end_of(as_of)) if as_of else Q())
        .values_list("unit_id", flat=True)
    )
    by_level: dict[str, list[int]] = {"P": [0, 0], "D": [0, 0], "all": [0, 0]}
    for unit in units:
        level = "P" if unit.kind == UnitKind.DEPARTMENT else "D"
        for key in (level, "all"):
            by_level[key][1] += 1
            by_level[key][0] += unit.pk in issued_ids
    return {level: (n, d) for level, (n, d) in by_level.items()}


def value_for_threshold(values: dict, code: str, threshold_level: str) -> TargetValue | None:
    return values.get((code, VALUE_LEVEL[threshold_level]))
