"""Descendants of a unit (the hierarchy is three levels deep: province → district → commune)."""

from cchc.units.models import Unit


def subtree_ids(unit: Unit) -> list[int]:
    """The unit and every unit below it, whatever their validity (figures follow the stored hierarchy)."""
    ids, frontier = [unit.pk], [unit.pk]
    while frontier:
        frontier = list(Unit.objects.filter(parent_id__in=frontier).values_list("id", flat=True))
        ids.extend(frontier)
    return ids
