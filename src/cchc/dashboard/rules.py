"""The status of a target on the dashboard (pure: no database, no clock).

A target is judged on its value for the period shown ("the value": the stored figure of that year, quarter or
month, exactly what its drill-down lists) against the threshold that applies at the end of that period — the plan's
threshold, or for a multi-year goal the point of the straight line from the baseline to the goal
(`path_threshold`) — and on its year-end projection from the months up to the end of the period shown
(cchc.dashboard.projection, against the threshold at year end). "The year is over" means the period shown is the
whole year and it has ended. The first rule that applies wins:

1. no data   — there is no value (nothing counted, nothing reported) or no threshold to judge it against;
2. met       — the year is over and the year's value meets the threshold; or the value meets it and the
               projection says it will meet it at year end;
3. missed    — the year is over and the year's value does not meet the threshold;
4. on track  — the projection says it will meet the threshold (even if the value does not yet);
               or there is no projection yet (too few months) and the value meets it;
5. at risk   — everything else: the projection is uncertain or says it will miss, or there is no projection yet and
               the value is short of the threshold.
"""

from __future__ import annotations

from cchc.dashboard.projection import WILL_MEET, Projection
from cchc.plans.thresholds import meets, path_threshold  # noqa: F401 (one rule: cchc.plans.thresholds)

NO_DATA, MET, ON_TRACK, AT_RISK, MISSED = "no_data", "met", "on_track", "at_risk", "missed"
STATUSES = (MET, ON_TRACK, AT_RISK, MISSED, NO_DATA)
# Worst first: a row of several levels shows its worst level's status.
SEVERITY = {MISSED: 0, AT_RISK: 1, ON_TRACK: 2, MET: 3, NO_DATA: 4}


def status(
    value: float | None,
    op: str | None,
    threshold: float | None,
    year_complete: bool,
    projection: Projection | None = None,
) -> str:
    """One of met, on_track, at_risk, missed, no_data (rules in the module docstring)."""
    if value is None or op is None or threshold is None:
        return NO_DATA
    meets_now = meets(op, value, threshold)
    if year_complete:
        return MET if meets_now else MISSED
    will_meet = projection is not None and projection.outcome == WILL_MEET
    if meets_now and will_meet:
        return MET
    if will_meet or (projection is None and meets_now):
        return ON_TRACK
    return AT_RISK


def worst(statuses: list[str]) -> str:
    """The row's status: its worst judged level (no_data only when no level is judged)."""
    return min(statuses, key=SEVERITY.__getitem__) if statuses else NO_DATA
