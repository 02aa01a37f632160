"""Units valid on a date, in the export contract's shape."""

import datetime as dt

from cchc.units.models import Unit


def units_on(date: dt.date) -> list[dict]:
    units = Unit.objects.valid_on(date).select_related("parent").order_by("kind", "sort_order", "code")
    kind_order = {"province": 0, "department": 1, "district": 2, "commune": 3}
    rows = [
        {
            "code": unit.code,
            "name": unit.name,
            "kind": unit.kind,
            "parent": unit.parent.code if unit.parent_id else None,
        }
        for unit in units
    ]
    return sorted(rows, key=lambda row: (kind_order[row["kind"]], row["parent"] or "", row["code"]))
