"""Write a validated plan to the database, copy a plan to the next year. All or nothing, idempotent."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db import transaction

from cchc.core import clock
from cchc.plans.models import Area, LegalBasis, Plan, Target, Task, Threshold
from cchc.plans.plan_file import AGENCY_GROUPS, PlanSpec, read_plan_file
from cchc.units.lineage import UnitMapper
from cchc.units.models import Unit


def shipped_plan_path(year: int = 2023) -> Path:
    return Path(__file__).parent / "data" / f"plan-{year}.yaml"


def units_for_plan_year(year: int) -> dict[str, Unit]:
    """Units that existed at some point of the plan year, by code (the latest version wins)."""
    units = Unit.objects.in_year(year)
    return {unit.code: unit for unit in units.order_by("valid_from")}


def load_plan_text(text: str) -> tuple[Plan, bool]:
    """Validate and store a plan file; raises PlanFileError (and writes nothing) when it is rejected."""
    import yaml

    try:
        year = int((yaml.safe_load(text) or {}).get("plan", {}).get("year"))
    except (yaml.YAMLError, AttributeError, TypeError, ValueError):
        year = clock.today().year  # validation below reports the real problem
    units = units_for_plan_year(year)
    spec = read_plan_file(text, set(units))
    return save_plan(spec, units)


def expand_agencies(entries: tuple[str, ...], units: dict[str, Unit]) -> list[Unit]:
    result: dict[int, Unit] = {}
    for entry in entries:
        if entry in AGENCY_GROUPS:
            kind = AGENCY_GROUPS[entry]
            for unit in units.values():
                if unit.kind == kind and unit.is_scored:
                    result[unit.pk] = unit
        else:
            result[units[entry].pk] = units[entry]
    return list(result.values())


@transaction.atomic
def save_plan(spec: PlanSpec, units: dict[str, Unit]) -> tuple[Plan, bool]:
    """Create or replace the plan of (province, year): entries are matched by code, removed ones deleted."""
    plan, created = Plan.objects.update_or_create(
        province=units[spec.province],
        year=spec.year,
        defaults={
            "title": spec.title,
            "issuer": spec.issuer,
            "document_number": spec.document_number,
            "issued_on": spec.issued_on,
            "signer": spec.signer,
            "signer_title": spec.signer_title,
            "agency_plan_deadline": spec.agency_plan_deadline,
            "source": spec.source,
        },
    )
    plan.legal_bases.filter(order__gte=len(spec.legal_bases)).delete()
    for i, b in enumerate(spec.legal_bases):
        LegalBasis.objects.update_or_create(
            plan=plan,
            order=i,
            defaults={"number": b.number, "kind": b.kind, "issuer": b.issuer, "date": b.date, "title": b.title},
        )

    areas: dict[int, Area] = {}
    for area in spec.areas:
        areas[area.number], _ = Area.objects.update_or_create(
            plan=plan,
            number=area.number,
            defaults={"name": area.name, "name_en": area.name_en, "monitor": units[area.monitor]},
        )

    plan.targets.exclude(code__in=[t.code for t in spec.targets]).delete()
    for order, target in enumerate(spec.targets):
        row, _ = Target.objects.update_or_create(
            plan=plan,
            code=target.code,
            defaults={
                "area": areas[target.area],
                "order": order,
                "name": target.name,
                "name_en": target.name_en,
                "kind": target.kind,
                "deadline": target.deadline,
                "baseline_year": target.baseline_year,
                "final_year": target.final_year,
                "source_text": target.source_text,
                "note": target.note,
                "value_source": target.source.kind,
                "responsible": units[target.source.responsible] if target.source.responsible else None,
                "due_periods": ",".join(target.source.due),
                "source_detail": target.source.detail,
            },
        )
        row.thresholds.exclude(level__in=[t.level for t in target.thresholds]).delete()
        for t in target.thresholds:
            Threshold.objects.update_or_create(
                target=row, level=t.level, defaults={"op": t.op, "value": t.value, "unit": t.unit}
            )

    plan.tasks.exclude(code__in=[t.code for t in spec.tasks]).delete()
    for order, task in enumerate(spec.tasks):
        row, _ = Task.objects.update_or_create(
            plan=plan,
            code=task.code,
            defaults={
                "area": areas[task.area],
                "order": order,
                "label": task.label,
                "text": task.text,
                "agency_groups": list(task.agencies),
                "monitor": units[task.monitor],
                "due": task.due,
                "recurring": task.recurring,
            },
        )
        row.agencies.set(expand_agencies(task.agencies, units))
    plan.areas.exclude(number__in=list(areas)).delete()
    return plan, created


def shift_year(date: dt.date | None, years: int, plan_year: int) -> dt.date | None:
    """Move a date of the plan year to the same day of the new year; later (multi-year) dates stay."""
    if date is None or date.year > plan_year:
        return date
    try:
        return date.replace(year=date.year + years)
    except ValueError:  # 29 February
        return date.replace(year=date.year + years, day=28)


@transaction.atomic
def copy_plan(source: Plan, year: int, log: list[str] | None = None) -> Plan:
    """Copy a plan to another year as a draft: the same areas, targets and tasks, with the plan year's
    dates moved by the years between (multi-year deadlines stay).

    Units that no longer exist on 1 January of the new year are mapped through the unit events: a task given to
    dissolved or merged units goes to their successors (each once), a monitoring agency to the unit that took its
    figures, "@districts" to the communes when there are no districts; every mapping is added to `log`."""
    log = log if log is not None else []
    start = dt.date(year, 1, 1)
    mapper = UnitMapper(start)
    mapped: dict[int, str] = {}

    def single(unit: Unit) -> Unit:
        if unit.is_valid_on(start):
            return unit
        new = mapper.single(unit)
        if new is None:
            raise ValueError(f"{unit.name} ({unit.code}) has no successor on {start:%d/%m/%Y}")
        if unit.pk not in mapped:
            mapped[unit.pk] = f"{unit.name} ({unit.code}) → {new.name} ({new.code})"
            log.append(mapped[unit.pk])
        return new

    province = single(source.province)
    if Plan.objects.filter(province=province, year=year).exists():
        raise ValueError(f"a plan for {year} already exists")
    years = year - source.year
    old_year = source.year
    old_name, new_name = (
        source.province.name.removeprefix("Tỉnh ").strip(),
        province.name.removeprefix("Tỉnh ").strip(),
    )
    plan = Plan.objects.create(
        year=year,
        province=province,
        title=source.title.replace(str(old_year), str(year)).replace(old_name, new_name),
        issuer=source.issuer.replace(old_name, new_name),
        signer=source.signer,
        signer_title=source.signer_title,
        agency_plan_deadline=shift_year(source.agency_plan_deadline, years, old_year),
        status=Plan.Status.DRAFT,
        source=f"copy of {source.title}",
        copied_from=source,
    )
    LegalBasis.objects.bulk_create(
        LegalBasis(
            plan=plan,
            order=b.order,
            number=b.number,
            kind=b.kind,
            issuer=b.issuer,
            date=b.date,
            title=b.title,
        )
        for b in source.legal_bases.all()
    )
    areas = {}
    for area in source.areas.all():
        areas[area.pk] = Area.objects.create(
            plan=plan, number=area.number, name=area.name, name_en=area.name_en, monitor=single(area.monitor)
        )
    in_year = units_for_plan_year(year)
    has_districts = any(u.kind == "district" for u in in_year.values())
    dropped: list[str] = []
    for target in source.targets.prefetch_related("thresholds"):
        copy = Target.objects.create(
            plan=plan,
            area=areas[target.area_id],
            code=target.code,
            order=target.order,
            name=target.name,
            name_en=target.name_en,
            kind=target.kind,
            deadline=shift_year(target.deadline, years, old_year),
            baseline_year=target.baseline_year,
            final_year=max(target.final_year, year) if target.final_year == old_year else target.final_year,
            source_text=target.source_text,
            note=target.note,
            value_source=target.value_source,
            responsible=target.responsible,
            due_periods=target.due_periods,
            source_detail=target.source_detail,
        )
        # A threshold of the district level has nothing to measure once there are no districts: it is left out
        # (the province and commune levels and the whole province keep theirs), and the log says so.
        thresholds = [t for t in target.thresholds.all() if has_districts or t.level != Threshold.Level.DISTRICT]
        if len(thresholds) < len(target.thresholds.all()):
            dropped.append(target.code)
        Threshold.objects.bulk_create(
            Threshold(target=copy, level=t.level, op=t.op, value=t.value, unit=t.unit) for t in thresholds
        )
    if dropped:
        log.append(
            f"district-level thresholds left out (no district level on {start:%d/%m/%Y}): targets {', '.join(dropped)}"
        )
    regrouped: list[str] = []
    for task in source.tasks.prefetch_related("agencies"):
        groups = list(task.agency_groups or [])
        if not has_districts and "@districts" in groups:
            groups = [g for g in groups if g != "@districts"]
            if "@communes" not in groups:
                groups.append("@communes")
            regrouped.append(task.code)
        by_group = {u.pk for u in expand_agencies(tuple(g for g in groups if g in AGENCY_GROUPS), in_year)}
        old_by_group = {u.pk for u in expand_agencies(tuple(task.agency_groups or ()), units_for_plan_year(old_year))}
        agencies: dict[int, Unit] = {u.pk: u for u in Unit.objects.filter(pk__in=by_group)}
        for unit in task.agencies.all():
            if unit.pk in old_by_group:
                continue  # given through a group: the group is expanded again on the new structure
            if unit.is_valid_on(start):
                agencies[unit.pk] = unit
                continue
            successors = mapper.many(unit)
            if unit.pk not in mapped:
                names = ", ".join(f"{u.name} ({u.code})" for u in successors) or "—"
                mapped[unit.pk] = f"{unit.name} ({unit.code}) → {names}"
                log.append(mapped[unit.pk])
            agencies.update((u.pk, u) for u in successors)
        copy = Task.objects.create(
            plan=plan,
            area=areas[task.area_id],
            code=task.code,
            order=task.order,
            label=task.label,
            text=task.text,
            agency_groups=groups,
            monitor=single(task.monitor),
            due=shift_year(task.due, years, old_year),
            recurring=task.recurring,
        )
        copy.agencies.set(agencies.values())
    if regrouped:
        log.append(f"@districts → @communes (no district level on {start:%d/%m/%Y}): tasks {', '.join(regrouped)}")
    return plan
