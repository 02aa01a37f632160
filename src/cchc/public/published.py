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

from django.db.models import Count, Max, Q, Sum

from cchc.agencyplans.models import AgencyPlan
from cchc.core import clock
from cchc.indicators.metrics import TARGET_METRICS, ratio
from cchc.indicators.models import EnteredValue, last_computed
from cchc.indicators.periods import periods_of_year
from cchc.indicators.queries import entered_many, figures_many, index766, metrics766
from cchc.plans.models import Plan, Target
from cchc.plans.thresholds import describe, for_level, is_intermediate, verdict
from cchc.reports.models import Report, ReportFigure, ReportPeriod
from cchc.reports.statistics import all_statistics
from cchc.review.models import ReviewState
from cchc.scorecards.queries import build_cards, peers
from cchc.scoring import queries as scoring
from cchc.units.models import Unit, UnitKind

EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
LEVELS = ("P", "D", "C")


def data_version(year: int) -> tuple[dt.datetime, str]:
    """(last change, token) of everything the page shows: indicator computations, entered 766 values, report
    submissions and acceptances, agency plan submissions, the plan itself (five aggregate queries) — of the year and
    of the year before (the ranking shows last year's places) — and the publication of the year's PAR index (one)."""
    years = [year - 1, year]
    of_years = Q(period__startswith=str(year)) | Q(period__startswith=str(year - 1))
    moments = [
        last_computed([p.code for y in years for p in periods_of_year(y)]),
        EnteredValue.objects.filter(of_years).aggregate(at=Max("entered_at"))["at"],
        *Report.objects.filter(period__year__in=years)
        .aggregate(a=Max("reviewed_at"), s=Max("first_submitted_at"))
        .values(),
        AgencyPlan.objects.filter(plan__year__in=years).aggregate(at=Max("first_submitted_at"))["at"],
        Plan.objects.filter(year__in=years).aggregate(at=Max("updated_at"))["at"],
        _index_published_at(year),
    ]
    present = [m for m in moments if m is not None]
    last = max(present) if present else EPOCH
    token = hashlib.sha1("|".join(m.isoformat() if m else "-" for m in moments).encode()).hexdigest()[:16]
    return last.replace(microsecond=0), token


def _index_published_at(year: int) -> dt.datetime | None:
    """When the scoring app last published the year's PAR index (None before)."""
    return scoring.published_at(year)


def plan_for(year: int) -> Plan | None:
    """Only a plan in force or closed is published (a draft plan is not)."""
    return Plan.objects.filter(year=year).exclude(status=Plan.Status.DRAFT).first()


def published_years() -> list[int]:
    return list(Plan.objects.exclude(status=Plan.Status.DRAFT).order_by("-year").values_list("year", flat=True))


def province_for(year: int) -> Unit | None:
    return Unit.objects.in_year(year).filter(kind=UnitKind.PROVINCE).order_by("-valid_from").first()


def _threshold_rows(target: Target, year_end: dt.date) -> list[dict]:
    """The thresholds as judged at the year's end (a multi-year goal: its path point, with the goal beside it)."""
    order = {"province": 0, "P": 1, "D": 2, "C": 3}
    rows = []
    for t in sorted(target.thresholds.all(), key=lambda t: order.get(t.level, 9)):
        judged = describe(target, t, year_end)
        rows.append(
            {
                "level": t.level,
                "op": t.get_op_display(),
                "value": judged.split(" ", 1)[1] if judged else str(t.display_value),
                "goal": str(t.display_value) if is_intermediate(target, year_end.year) else "",
                "final_year": target.final_year,
            }
        )
    return rows


def _met(target: Target, threshold, value: float | None, year_end: dt.date) -> bool | None:
    return verdict(target, threshold, value, year_end)


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
    year_end = dt.date(year, 12, 31)
    areas = []
    for area in plan.areas.order_by("number").prefetch_related("targets__thresholds"):
        rows = []
        for target in sorted(area.targets.all(), key=lambda t: (t.order, t.code)):
            thresholds = _threshold_rows(target, year_end)
            threshold_of = {t.level: t for t in target.thresholds.all()}
            values = {}
            metric = TARGET_METRICS.get(target.code)
            if metric:
                by_level = stored.get(metric, {})
                for level in ("all", *LEVELS):
                    if level in by_level:
                        values[level] = ratio(*by_level[level])
            whole = for_level(threshold_of, "all")
            rows.append(
                {
                    "code": target.code,
                    "name": target.name,
                    "name_en": target.name_en,
                    "thresholds": thresholds,
                    "computed": bool(metric),
                    "values": values,
                    "levels": [
                        {
                            "level": t["level"],
                            "value": values.get(t["level"]),
                            "met": _met(target, threshold_of[t["level"]], values.get(t["level"]), year_end),
                        }
                        for t in thresholds
                        if t["level"] in LEVELS and t["level"] in values
                    ],
                    "province_value": values.get("all"),
                    "province_met": _met(target, whole, values.get("all"), year_end),
                    "reported": reported.get(target.code, []),
                }
            )
        areas.append({"number": area.number, "name": area.name, "name_en": area.name_en, "targets": rows})
    return areas


# The kinds of unit, each in its own table: departments, districts (until 30/6/2025) and communes are not peers.
KIND_ORDER = (UnitKind.PROVINCE, UnitKind.DEPARTMENT, UnitKind.DISTRICT, UnitKind.COMMUNE)
RANKED_KINDS = (UnitKind.DEPARTMENT, UnitKind.DISTRICT, UnitKind.COMMUNE)


def scored_units(kind: str, year: int) -> list[Unit]:
    """The scored units of a kind in the year, one version per code: departments and districts as the scorecards
    compare them, and every commune of the province (a commune's peers on the public page are all communes)."""
    if kind != UnitKind.COMMUNE:
        return peers(kind, year)
    latest: dict[str, Unit] = {}
    communes = Unit.objects.in_year(year).filter(kind=kind, is_scored=True)
    for unit in communes.order_by("sort_order", "code", "valid_from"):
        latest[unit.code] = unit
    return list(latest.values())


def index_rows(year: int, province: Unit | None) -> list[dict]:
    """The 766 score of the province, then its scored departments, districts and communes (two queries)."""
    units = ([province] if province else []) + [u for kind in RANKED_KINDS for u in scored_units(kind, year)]
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


def by_kind(rows: list[dict]) -> list[dict]:
    """[{"kind", "rows"}] in the order province, departments, districts, communes; kinds without rows left out."""
    return [
        {"kind": kind, "rows": [r for r in rows if r["kind"] == kind]}
        for kind in KIND_ORDER
        if any(r["kind"] == kind for r in rows)
    ]


def ranking(year: int, on: dt.date) -> dict[str, list[dict]]:
    """Departments, districts and communes, each ranked among their own kind as the scorecards rank them, with the
    figures the public may see; kinds with no unit in the year are left out."""
    result = {}
    for kind in RANKED_KINDS:
        units = scored_units(kind, year)
        if not units:
            continue
        cards = build_cards(units, year, on)
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


def with_previous_year(current: dict[str, list[dict]], previous: dict[str, list[dict]] | None) -> bool:
    """Add each unit's rank of the year before ("previous_rank", "change": places gained) when that year is
    published; returns whether there is a previous year at all (the page shows its columns only then)."""
    if not previous:
        for rows in current.values():
            for row in rows:
                row["previous_rank"], row["change"] = None, None
        return False
    for kind, rows in current.items():
        before = {r["code"]: r["rank"] for r in previous.get(kind, [])}
        for row in rows:
            row["previous_rank"] = before.get(row["code"])
            row["change"] = (
                row["previous_rank"] - row["rank"] if row["previous_rank"] is not None and row["rank"] else None
            )
    return True


def par_index(year: int) -> list[dict] | None:
    """The PAR index of the year as the scoring app published it; None before."""
    rows = scoring.published_index(year)
    if not rows:
        return None
    keys = ("unit_code", "unit_name", "kind", "index", "rank", "band")
    order = {kind: i for i, kind in enumerate(KIND_ORDER)}
    # Each kind in its own table (the page groups them): departments, districts, communes, ranks within each.
    rows = sorted(rows, key=lambda row: order.get(row.get("kind"), len(order)))
    return [{key: row.get(key) for key in keys} for row in rows]


def build(year: int, on: dt.date | None = None) -> dict:
    on = on or clock.today()
    plan = plan_for(year)
    province = province_for(year)
    reported = reported_figures(year)
    index766_rows = index_rows(year, province)
    ranked = ranking(year, on) if plan else {}
    previous = ranking(year - 1, dt.date(year - 1, 12, 31)) if plan and plan_for(year - 1) else None
    has_previous = with_previous_year(ranked, previous)
    return {
        "year": year,
        # The plan as a published document (no signer: no names of officials on this page).
        "plan": {"title": plan.title, "number": plan.document_number, "issued_on": plan.issued_on} if plan else None,
        "province": {"code": province.code, "name": province.name} if province else None,
        "areas": targets(year, plan, province, reported["by_target"]),
        "reported": reported,
        "index766": index766_rows,
        "index766_by_kind": by_kind(index766_rows),
        # The chart compares the province, its departments and districts; communes are in their own table.
        "chart": {
            "labels": [r["name"] for r in index766_rows if r["kind"] != UnitKind.COMMUNE],
            "total": [r["total"] for r in index766_rows if r["kind"] != UnitKind.COMMUNE],
        },
        "ranking": ranked,
        "previous_year": year - 1 if has_previous else None,
        "par_index": par_index(year),
        "as_of": on,
    }
