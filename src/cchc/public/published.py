"""What the public page shows for a year, as plain (cacheable) data: only published aggregates.

- the plan's targets with their thresholds and the province's computed dossier figures (ratios over all dossiers,
  never a single dossier);
- figures that units reported, summed over ACCEPTED reports only (a draft, a submitted or a returned report never
  counts: nothing is public before the province has accepted it);
- the Decision 766 score of the province, its departments and districts;
- the ranking of departments and districts from the scorecards;
- the PAR index of the year once the scoring app has published it.

No names of people, no comments, no files. `data_version` says when any of it last changed, so the page is
computed once per change and answered 304 to a browser that has it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging

from django.db.models import Count, Max, Sum
from django.utils import timezone

from cchc.agencyplans.models import AgencyPlan
from cchc.indicators.metrics import TARGET_METRICS, ratio
from cchc.indicators.models import EnteredValue, last_computed
from cchc.indicators.periods import periods_of_year
from cchc.indicators.queries import entered_many, figures_many, index766, metrics766
from cchc.plans.models import Plan, Target
from cchc.reports.models import Report, ReportFigure, ReportPeriod
from cchc.reports.statistics import all_statistics
from cchc.review.models import ReviewState
from cchc.scorecards.queries import build_cards, peers
from cchc.units.models import Unit, UnitKind

log = logging.getLogger(__name__)
EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
LEVELS = ("P", "D", "C")


def data_version(year: int) -> tuple[dt.datetime, str]:
    """(last change, token) of everything the page shows: indicator computations, entered 766 values, report
    submissions and acceptances, agency plan submissions, the plan itself (five aggregate queries)."""
    moments = [
        last_computed([p.code for p in periods_of_year(year)]),
        EnteredValue.objects.filter(period__startswith=str(year)).aggregate(at=Max("entered_at"))["at"],
        *Report.objects.filter(period__year=year).aggregate(a=Max("reviewed_at"), s=Max("first_submitted_at")).values(),
        AgencyPlan.objects.filter(plan__year=year).aggregate(at=Max("first_submitted_at"))["at"],
        Plan.objects.filter(year=year).aggregate(at=Max("updated_at"))["at"],
        _index_published_at(year),
    ]
    present = [m for m in moments if m is not None]
    last = max(present) if present else EPOCH
    token = hashlib.sha1("|".join(m.isoformat() if m else "-" for m in moments).encode()).hexdigest()[:16]
    return last.replace(microsecond=0), token


def _index_published_at(year: int) -> dt.datetime | None:
    """When the scoring app last published (or withdrew) the year's PAR index, if it tells (optional)."""
    try:
        from cchc.scoring.publication import published_at
    except (ImportError, AttributeError):
        return None
    try:
        return published_at(year)
    except Exception:  # never let another app's helper break the public page
        log.exception("published_at(%s) failed", year)
        return None


def plan_for(year: int) -> Plan | None:
    """Only a plan in force or closed is published (a draft plan is not)."""
    return Plan.objects.filter(year=year).exclude(status=Plan.Status.DRAFT).first()


def published_years() -> list[int]:
    return list(Plan.objects.exclude(status=Plan.Status.DRAFT).order_by("-year").values_list("year", flat=True))


def province_for(year: int) -> Unit | None:
    return Unit.objects.in_year(year).filter(kind=UnitKind.PROVINCE).order_by("-valid_from").first()


def _threshold_rows(target: Target) -> list[dict]:
    order = {"province": 0, "P": 1, "D": 2, "C": 3}
    return [
        {"level": t.level, "op": t.get_op_display(), "value": str(t.display_value), "raw": t.value, "opcode": t.op}
        for t in sorted(target.thresholds.all(), key=lambda t: order.get(t.level, 9))
    ]


def _met(threshold: dict | None, value: float | None) -> bool | None:
    if threshold is None or value is None:
        return None
    if threshold["opcode"] == ">=":
        return value >= threshold["raw"]
    if threshold["opcode"] == "<=":
        return value <= threshold["raw"]
    return value == threshold["raw"]


def reported_figures(year: int) -> dict:
    """Count statistics summed over the accepted reports of the latest period of the year that has any
    (percentages are not summed: an average of ratios would mislead)."""
    accepted = Report.objects.filter(period__year=year, status=ReviewState.ACCEPTED)
    period = ReportPeriod.objects.filter(pk__in=accepted.values("period_id")).order_by("-data_to").first()
    if period is None:
        return {"period": None, "reports": 0, "by_target": {}}
    stats = {s.code: s for s in all_statistics() if s.target and not s.is_percent}
    rows = (
        ReportFigure.objects.filter(report__in=accepted.filter(period=period), code__in=stats)
        .values("code")
        .order_by("code")
        .annotate(total=Sum("value"), reports=Count("report_id"))
    )
    by_target: dict[str, list[dict]] = {}
    for row in rows:
        stat = stats[row["code"]]
        by_target.setdefault(stat.target, []).append(
            {
                "code": stat.code,
                "label": stat.label,
                "label_en": stat.label_en,
                "total": row["total"],
                "reports": row["reports"],
            }
        )
    return {
        "period": {"kind": period.kind, "title": str(period.get_kind_display()), "data_to": period.data_to},
        "reports": accepted.filter(period=period).count(),
        "by_target": by_target,
    }


def targets(year: int, plan: Plan | None, province: Unit | None, reported: dict) -> list[dict]:
    """The plan's areas and targets, with the province's computed value for the targets of area 2 and the
    reported figures (`reported_figures(year)["by_target"]`) of the others."""
    if plan is None:
        return []
    stored = figures_many([province.pk], str(year)).get(province.pk, {}) if province else {}
    areas = []
    for area in plan.areas.order_by("number").prefetch_related("targets__thresholds"):
        rows = []
        for target in sorted(area.targets.all(), key=lambda t: (t.order, t.code)):
            thresholds = _threshold_rows(target)
            values = {}
            metric = TARGET_METRICS.get(target.code)
            if metric:
                by_level = stored.get(metric, {})
                for level in ("all", *LEVELS):
                    if level in by_level:
                        values[level] = ratio(*by_level[level])
            whole = next((t for t in thresholds if t["level"] == "province"), None)
            rows.append(
                {
                    "code": target.code,
                    "name": target.name,
                    "name_en": target.name_en,
                    "thresholds": thresholds,
                    "computed": bool(metric),
                    "values": values,
                    "levels": [
                        {"level": t["level"], "value": values.get(t["level"]), "met": _met(t, values.get(t["level"]))}
                        for t in thresholds
                        if t["level"] in LEVELS and t["level"] in values
                    ],
                    "province_value": values.get("all"),
                    "province_met": _met(whole, values.get("all")),
                    "reported": reported.get(target.code, []),
                }
            )
        areas.append({"number": area.number, "name": area.name, "name_en": area.name_en, "targets": rows})
    return areas


def index_rows(year: int, province: Unit | None) -> list[dict]:
    """The 766 score of the province, then its scored departments and districts (two queries)."""
    units = ([province] if province else []) + peers(UnitKind.DEPARTMENT, year) + peers(UnitKind.DISTRICT, year)
    period = str(year)
    ids = [u.pk for u in units]
    stored, entered = figures_many(ids, period), entered_many(ids, period)
    rows = []
    for unit in units:
        scored = index766(unit, period, metrics766(unit, period, stored.get(unit.pk, {}), entered.get(unit.pk, {})))
        rows.append(
            {
                "code": unit.code,
                "name": unit.name,
                "kind": unit.kind,
                "total": scored["total"],
                "max": scored["max"],
                "band": scored["band"],
                "band_en": scored["band_en"],
                "groups": scored["groups"],
            }
        )
    return rows


def ranking(year: int, on: dt.date) -> dict[str, list[dict]]:
    """Departments and districts as the scorecards rank them, with the figures the public may see."""
    result = {}
    for kind in (UnitKind.DEPARTMENT, UnitKind.DISTRICT):
        cards = build_cards(peers(kind, year), year, on)
        cards.sort(key=lambda c: (c.rank is None, c.rank or 0, c.code))
        result[kind] = [
            {
                "rank": c.rank,
                "code": c.code,
                "name": c.name,
                "score": c.score,
                "targets_met": c.targets_met,
                "targets_judged": c.targets_judged,
                "on_time_share": c.on_time_share,
            }
            for c in cards
        ]
    return result


def par_index(year: int) -> list[dict] | None:
    """The PAR index of the year as the scoring app published it; None before (or without that app)."""
    try:
        from cchc.scoring.publication import published_index
    except (ImportError, AttributeError):
        return None
    try:
        rows = published_index(year)
    except Exception:  # the public page must not fail because another app's publication does
        log.exception("published_index(%s) failed", year)
        return None
    if not rows:
        return None
    keys = ("unit_code", "unit_name", "kind", "index", "rank", "band")
    return [{key: row.get(key) for key in keys} for row in rows]


def build(year: int, on: dt.date | None = None) -> dict:
    on = on or timezone.localdate()
    plan = plan_for(year)
    province = province_for(year)
    reported = reported_figures(year)
    index766_rows = index_rows(year, province)
    return {
        "year": year,
        # The plan as a published document (no signer: no names of officials on this page).
        "plan": {"title": plan.title, "number": plan.document_number, "issued_on": plan.issued_on} if plan else None,
        "province": {"code": province.code, "name": province.name} if province else None,
        "areas": targets(year, plan, province, reported["by_target"]),
        "reported": reported,
        "index766": index766_rows,
        "chart": {"labels": [r["name"] for r in index766_rows], "total": [r["total"] for r in index766_rows]},
        "ranking": ranking(year, on) if plan else {},
        "par_index": par_index(year),
        "as_of": on,
    }
