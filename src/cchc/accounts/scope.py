"""Who may see and do what, from the account's unit and role.

One place answers every permission question so that pages, the API and the workflow agree:

- drafts (and returned items being corrected) are private to their own unit;
- an editor, a head, a monitor and a district officer edit their own unit's items; only the head submits;
- a district officer also sees and reviews its communes' submissions;
- a monitor also sees, across units, the progress of the tasks its unit monitors;
- the province administrator (Sở Nội vụ) and leaders see every unit's submitted and accepted items;
  the administrator reviews departments and districts, leaders only read;
- a superuser is a province administrator who may also use the Django admin.

Querysets are filtered in the database (a Q object per rule), never by a loop over objects.
"""

from __future__ import annotations

from django.db.models import QuerySet

from cchc.accounts.models import Membership, Role
from cchc.core import clock
from cchc.units.models import Unit, UnitKind

EDITING_ROLES = {Role.ADMINISTRATOR, Role.MONITOR, Role.EDITOR, Role.HEAD, Role.DISTRICT_OFFICER}
WHOLE_PROVINCE_ROLES = {Role.ADMINISTRATOR, Role.LEADER}
# States of a reviewable item that only its own unit sees (see cchc.review.states).
PRIVATE_STATES = ("draft", "returned")


def membership(user) -> Membership | None:
    """The account's unit and role (cached on the user object for the request)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_cchc_membership"):
        user._cchc_membership = Membership.objects.select_related("unit").filter(user=user).first()
    return user._cchc_membership


def role(user) -> str | None:
    found = membership(user)
    if found:
        return found.role
    return Role.ADMINISTRATOR if getattr(user, "is_superuser", False) else None


def own_unit(user) -> Unit | None:
    found = membership(user)
    return found.unit if found else None


def own_unit_id(user) -> int | None:
    found = membership(user)
    return found.unit_id if found else None


def is_administrator(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or role(user) == Role.ADMINISTRATOR


def sees_whole_province(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or role(user) in WHOLE_PROVINCE_ROLES


def reviewed_unit_ids(user) -> set[int]:
    """Communes whose submissions this district officer reviews (empty for everyone else, and once the district is
    dissolved: under the two-level government Sở Nội vụ reviews the communes)."""
    found = membership(user)
    if not found or found.role != Role.DISTRICT_OFFICER or found.unit.kind != UnitKind.DISTRICT:
        return set()
    if not found.unit.is_valid_on(clock.today()):
        return set()
    return set(Unit.objects.filter(parent_id=found.unit_id, kind=UnitKind.COMMUNE).values_list("pk", flat=True))


def visible_unit_ids(user) -> set[int] | None:
    """Units whose (non-private) items the account sees; None means every unit."""
    if not getattr(user, "is_authenticated", False):
        return set()
    if sees_whole_province(user):
        return None
    unit_id = own_unit_id(user)
    if unit_id is None:
        return set()
    return {unit_id} | reviewed_unit_ids(user)


def subtree_unit_ids(user) -> set[int] | None:
    """The account's unit and every unit below it (a district and its communes); None means every unit."""
    if not getattr(user, "is_authenticated", False):
        return set()
    if sees_whole_province(user):
        return None
    unit_id = own_unit_id(user)
    if unit_id is None:
        return set()
    ids, frontier = {unit_id}, [unit_id]
    while frontier:
        frontier = list(Unit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids.update(frontier)
    return ids


def can_see_unit(user, unit: Unit | int) -> bool:
    ids = visible_unit_ids(user)
    unit_id = unit if isinstance(unit, int) else unit.pk
    return ids is None or unit_id in ids


def can_edit(user, unit: Unit | int) -> bool:
    """May write the unit's drafts: its own editors, heads, monitors and district officers (and administrators
    for the province's own unit)."""
    unit_id = unit if isinstance(unit, int) else unit.pk
    return role(user) in EDITING_ROLES and own_unit_id(user) == unit_id


def can_submit(user, unit: Unit | int) -> bool:
    """Only the unit's head submits on its behalf."""
    unit_id = unit if isinstance(unit, int) else unit.pk
    return role(user) == Role.HEAD and own_unit_id(user) == unit_id


def can_review(user, unit: Unit) -> bool:
    """Communes are reviewed by their district's officers; departments and districts by the province."""
    if unit.kind == UnitKind.COMMUNE:
        return unit.pk in reviewed_unit_ids(user) or is_administrator(user)
    return is_administrator(user)


def monitored_unit_id(user) -> int | None:
    """The unit whose monitored tasks and areas this account follows across units (monitors, administrators)."""
    if role(user) in {Role.MONITOR, Role.ADMINISTRATOR}:
        return own_unit_id(user)
    return None


def visible(queryset: QuerySet, user, unit_field: str = "unit", state_field: str | None = "status") -> QuerySet:
    """The rows of `queryset` the account may see — kept for code written before the one permission path: it is
    `access.restrict` with the rule UnitOwned(unit_field, state_field). New code declares `access_rule` on the model
    and calls `Model.objects.restrict(user)`."""
    from cchc.accounts.access import restrict_by_rule
    from cchc.restriction import UnitOwned

    return restrict_by_rule(queryset, user, UnitOwned(unit_field, state_field=state_field), "view")


def editable(queryset: QuerySet, user, unit_field: str = "unit") -> QuerySet:
    """Rows of the account's own unit, for accounts that may edit there (`access.restrict(…, "change")`)."""
    from cchc.accounts.access import restrict_by_rule
    from cchc.restriction import UnitOwned

    return restrict_by_rule(queryset, user, UnitOwned(unit_field), "change")
