"""A stored plan in the export contract's shape (the same shape the API and the JSON download use)."""

from cchc.plans.models import Plan, Threshold


def iso(date):
    return date.isoformat() if date else None


def plan_to_dict(plan: Plan) -> dict:
    areas = list(plan.areas.select_related("monitor"))
    area_number = {area.pk: area.number for area in areas}
    targets = plan.targets.select_related("responsible").prefetch_related("thresholds").order_by("order")
    tasks = plan.tasks.select_related("monitor").prefetch_related("agencies").order_by("order")
    return {
        "plan": {
            "year": plan.year,
            "province": plan.province.code,
            "title": plan.title,
            "issuer": plan.issuer,
            "document_number": plan.document_number or None,
            "issued_on": iso(plan.issued_on),
            "signer": plan.signer,
            "signer_title": plan.signer_title,
            "agency_plan_deadline": iso(plan.agency_plan_deadline),
            "status": plan.status,
            "source": plan.source,
            "legal_bases": [
                {
                    "number": b.number,
                    "kind": b.kind,
                    "issuer": b.issuer,
                    "date": iso(b.date),
                    "title": b.title,
                }
                for b in plan.legal_bases.all()
            ],
        },
        "areas": [{"number": a.number, "name": a.name, "name_en": a.name_en, "monitor": a.monitor.code} for a in areas],
        "targets": [
            {
                "code": t.code,
                "area": area_number[t.area_id],
                "name": t.name,
                "name_en": t.name_en,
                "kind": t.kind,
                "thresholds": [
                    {"level": th.level, "op": th.op, "value": th.value, "unit": th.unit}
                    for th in sorted(t.thresholds.all(), key=lambda th: Threshold.LEVEL_ORDER[th.level])
                ],
                "deadline": iso(t.deadline),
                "baseline_year": t.baseline_year,
                "final_year": t.final_year,
                "source": {
                    "kind": t.value_source,
                    "responsible": t.responsible.code if t.responsible else None,
                    "due": t.due_list,
                    "detail": t.source_detail or None,
                },
            }
            for t in targets
        ],
        "tasks": [
            {
                "code": t.code,
                "area": area_number[t.area_id],
                "label": t.label or None,
                "text": t.text,
                "agencies": sorted(unit.code for unit in t.agencies.all()),
                "agency_groups": t.agency_groups,
                "monitor": t.monitor.code,
                "due": iso(t.due),
                "recurring": t.recurring,
                "status": t.effective_status(),
            }
            for t in tasks
        ],
    }
