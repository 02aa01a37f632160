from importlib import resources

import yaml

from cchc.workdays.models import DayOverride


def load_day_overrides() -> int:
    """Add the shipped announced day changes that are not there yet; edits in the admin are kept."""
    text = resources.files("cchc.workdays").joinpath("data/day-overrides.yaml").read_text("utf-8")
    created = 0
    for entry in yaml.safe_load(text):
        _, was_created = DayOverride.objects.get_or_create(
            date=entry["date"], defaults={"kind": entry["kind"], "note": entry.get("note", "")}
        )
        created += was_created
    return created
