"""After an import, the figures computed from the dossiers are refreshed by the apps that compute them.

The import marks the (unit, year) pairs it changed (`models.RefreshMark`, in its transaction); the apps that keep
figures computed from dossiers register here, in their `AppConfig.ready()`, the function that settles every mark
(cchc.indicators registers `compute.refresh_pending`). So dossiers never imports the apps built on it.
"""

from __future__ import annotations

from cchc.core.hooks import Hook

figures_from_dossiers = Hook(
    """Refresh the figures computed from the dossiers for every (unit, year) pair marked by imports and return
    what was done: a list of results, each with `year`, `units` (None: every unit) and `values` (values stored)."""
)


def refresh_marked() -> list:
    """Every registered refresh, run now; their results in one list (empty when nothing was marked)."""
    return [result for results in figures_from_dossiers.call().values() for result in results]
