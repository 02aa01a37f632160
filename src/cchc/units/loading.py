"""Write unit records to the database: idempotent, all or nothing."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from cchc.units.divisions import UnitRecord
from cchc.units.models import Unit


@transaction.atomic
def sync_units(records: Iterable[UnitRecord], update_existing: bool = True) -> tuple[int, int]:
    """Create or update units keyed by (code, valid_from), parents before children.

    Returns (created, updated).

    With update_existing=False, units already present are left as an administrator may have edited them.
    """
    created = updated = 0
    by_code: dict[str, Unit] = {}
    for record in records:
        parent = by_code.get(record.parent_code) if record.parent_code else None
        if record.parent_code and parent is None:
            parent = (
                Unit.objects.valid_on(record.valid_from).filter(code=record.parent_code).order_by("-valid_from").first()
                or Unit.objects.filter(code=record.parent_code).order_by("-valid_from").first()
            )
            if parent is None:
                raise ValueError(f"unit {record.code}: parent {record.parent_code} is unknown")
        method = Unit.objects.update_or_create if update_existing else Unit.objects.get_or_create
        unit, was_created = method(
            code=record.code,
            valid_from=record.valid_from,
            defaults={
                "name": record.name,
                "kind": record.kind,
                "division_type": record.division_type,
                "parent": parent,
                "is_scored": record.is_scored,
                "source": record.source,
                "sort_order": record.sort_order,
            },
        )
        by_code[record.code] = unit
        created += was_created
        updated += not was_created
    return created, updated
