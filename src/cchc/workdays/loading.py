from cchc.workdays.models import DayOverride
from cchc.workdays.rules import shipped_day_overrides


def load_day_overrides() -> int:
    """Add the shipped announced day changes that are not there yet; edits in the admin are kept."""
    created = 0
    for entry in shipped_day_overrides():
        _, was_created = DayOverride.objects.get_or_create(
            date=entry["date"], defaults={"kind": entry["kind"], "note": entry.get("note", "")}
        )
        created += was_created
    return created
