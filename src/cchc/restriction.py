"""How a model's rows relate to units and accounts: the declarations that the one permission path reads.

A model declares `access_rule = …` with one of these; `cchc.accounts.access` interprets it (`restrict`, `may`).
They live here, in a plain module below every app (it imports none), so any app's models — accounts' and units'
included — declare a rule without an import cycle. `RestrictedQuerySet` gives `Model.objects.restrict(user,
action)`, through the interpreter that cchc.accounts installs when Django starts (`install`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

VISIBLE, SUBTREE = "visible", "subtree"
PRIVATE_STATES = ("draft", "returned")  # review states that only the item's own unit sees
# ... except that the reviewers of the unit keep seeing what they returned (it was submitted to them; the unit is
# correcting it): Sở Nội vụ, and a district officer for its communes.
REVIEWER_STATES = ("returned",)


@dataclass(frozen=True)
class UnitOwned:
    """Rows that belong to a unit (`unit_field`, a path such as "progress__unit").

    reach VISIBLE: the unit's own accounts, a district officer's communes, the whole province for administrators
    and leaders; rows whose `state_field` is in `private_states` only for their own unit.
    reach SUBTREE: the own unit and every unit below it (a district sees its communes' dossiers); the whole
    province for administrators and leaders.
    `monitor_field` (e.g. "task__monitor"): a monitor also sees rows whose task its unit monitors.
    `reviewer_states`: private states that the unit's reviewers see too (a returned item stays with its reviewer).
    """

    unit_field: str = "unit"
    state_field: str | None = None
    reach: str = VISIBLE
    monitor_field: str | None = None
    private_states: tuple[str, ...] = PRIVATE_STATES
    reviewer_states: tuple[str, ...] = REVIEWER_STATES


@dataclass(frozen=True)
class Shared:
    """Reference data (plans, units, the catalogue, criteria sets, computed figures): every account reads it;
    only accounts with the role action `change_action` change it."""

    change_action: str = "manage_reference_data"


@dataclass(frozen=True)
class OwnedBy:
    """Rows of one account (jobs, notices, tokens): that account; with `administrators`, also administrators."""

    user_field: str = "user"
    administrators: bool = False


@dataclass(frozen=True)
class Follows:
    """Rows that belong to another row (a report's figures, a score's evidence): as that row."""

    parent_field: str


@dataclass(frozen=True)
class RoleOnly:
    """Rows only accounts with the role action `action` see or touch (e.g. memberships: "manage_accounts")."""

    action: str


_interpreter = None


def install(interpreter) -> None:
    """Set the function (queryset, user, action) → queryset that applies the rules (cchc.accounts does, at start)."""
    global _interpreter
    _interpreter = interpreter


class RestrictedQuerySet(models.QuerySet):
    """`Model.objects.restrict(user, action)`: the rows the account may see ("view") or act on."""

    def restrict(self, user, action: str = "view"):
        if _interpreter is None:
            raise RuntimeError("no access interpreter installed: is cchc.accounts in INSTALLED_APPS?")
        return _interpreter(self, user, action)


RestrictedManager = models.Manager.from_queryset(RestrictedQuerySet)
