"""Units valid on a date and the reorganisation events, in the export contracts' shape."""

import datetime as dt

from django.conf import settings

from cchc.units.models import Unit, UnitEvent, UnitEventLink, UnitKind

KIND_ORDER = {"province": 0, "department": 1, "district": 2, "commune": 3}


def province_lineage(code: str) -> set[int]:
    """The province units with this code and, through the events, every province unit they succeeded."""
    ids = set(Unit.objects.filter(code=code, kind=UnitKind.PROVINCE).values_list("pk", flat=True))
    frontier = set(ids)
    while frontier:
        events = UnitEventLink.objects.filter(side=UnitEventLink.TO, unit_id__in=frontier).values_list("event_id")
        earlier = set(
            UnitEventLink.objects.filter(
                event_id__in=events, side=UnitEventLink.FROM, unit__kind=UnitKind.PROVINCE, unit__isnull=False
            ).values_list("unit_id", flat=True)
        )
        frontier = earlier - ids
        ids |= frontier
    return ids


def installation_province() -> str:
    return settings.CCHC_PROVINCE


def provinces_on(date: dt.date, code: str | None = None) -> list[Unit]:
    """The province `code` (default: the installation's) as it was on `date`: itself, or the provinces it succeeded.

    An installation that has not loaded that province (only the 2023 units) answers with the provinces it has.
    """
    code = code or installation_province()
    valid = Unit.objects.valid_on(date).filter(kind=UnitKind.PROVINCE)
    if not Unit.objects.filter(code=code, kind=UnitKind.PROVINCE).exists() and code == installation_province():
        return list(valid)
    return list(valid.filter(pk__in=province_lineage(code)))


def root_map(units) -> dict[int, int]:
    """unit id → id of its province, for units loaded with their parent ids."""
    parents = {u.pk: u.parent_id for u in units}
    missing = {p for p in parents.values() if p and p not in parents}
    while missing:
        found = dict(Unit.objects.filter(pk__in=missing).values_list("pk", "parent_id"))
        parents.update(found)
        missing = {p for p in found.values() if p and p not in parents}
    roots = {}
    for pk in parents:
        top = pk
        while parents.get(top):
            top = parents[top]
        roots[pk] = top
    return roots


def units_on(date: dt.date, province: str | None = None, all_provinces: bool = False) -> list[dict]:
    """[{code, name, kind, parent}] valid on `date`, of one province (default: the installation's) or of all."""
    units = list(Unit.objects.valid_on(date).select_related("parent").order_by("kind", "sort_order", "code"))
    if not all_provinces:
        wanted = {p.pk for p in provinces_on(date, province)}
        roots = root_map(units)
        units = [u for u in units if roots[u.pk] in wanted]
    rows = [
        {
            "code": unit.code,
            "name": unit.name,
            "kind": unit.kind,
            "parent": unit.parent.code if unit.parent_id else None,
        }
        for unit in units
    ]
    return sorted(rows, key=lambda row: (KIND_ORDER[row["kind"]], row["parent"] or "", row["code"]))


def unit_events(province: str | None = None) -> list[dict]:
    """[{date, kind, from, to, basis}] of the events that touched the province or the provinces it succeeded."""
    lineage = province_lineage(province or installation_province())
    events = UnitEvent.objects.prefetch_related("links__unit").order_by("date", "key")
    linked = [link.unit for e in events for link in e.links.all() if link.unit_id]
    roots = root_map(linked)
    rows = []
    for event in events:
        links = list(event.links.all())
        if lineage and not any(roots.get(link.unit_id) in lineage for link in links if link.unit_id):
            continue
        rows.append(
            {
                "date": event.date.isoformat(),
                "kind": event.kind,
                "from": [link.code for link in links if link.side == UnitEventLink.FROM],
                "to": [link.code for link in links if link.side == UnitEventLink.TO],
                "basis": event.basis,
            }
        )
    return rows
