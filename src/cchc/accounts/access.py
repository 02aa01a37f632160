"""The one permission path: which rows an account may see or act on, and whether it may take an action.

Two entry points, both built on `scope`'s vocabulary (unit, role, drafts private to their unit):

- `restrict(queryset, user, action="view")` (also `Model.objects.restrict(user, action)` on models whose
  manager is a `RestrictedQuerySet`) keeps the rows the account may see ("view") or act on ("change",
  "submit", "review"). Pages, API views (through `RestrictFilterBackend`, a default filter backend of the
  API), exports and the audit log fetch their rows through it, so a forbidden object answers 404.
- `may(user, action, obj=None)` answers one action: on an object (a row of a model with a rule, an unsaved
  row, a unit, an account) or, without an object, a role-wide action such as "import_dossiers".

A model says how its rows relate to units with a class attribute `access_rule` (declarations in
`cchc.restriction`, so that any app declares one without importing `accounts`):

    class Report(Reviewable):
        access_rule = UnitOwned("unit", state_field="status")   # private drafts, province sees the rest
    class Dossier(models.Model):
        access_rule = UnitOwned("unit", reach=SUBTREE)          # a unit sees its own rows and its children's
    class ReportFigure(models.Model):
        access_rule = Follows("report")                        # as the row it belongs to
    class Plan(models.Model):
        access_rule = Shared()                                 # every account reads; administrators write
    class Job(models.Model):
        access_rule = OwnedBy("created_by")                    # its author (and administrators)

A model without a rule cannot be restricted (ImproperlyConfigured): the access-table test and
tests/test_every_model_declares_access.py fail until it declares one. Roles, never Django model permissions
or `is_staff`, decide: see ROLE_ACTIONS.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q, QuerySet

from cchc.accounts import scope
from cchc.accounts.models import Role
from cchc.restriction import SUBTREE, Follows, OwnedBy, RestrictedQuerySet, RoleOnly, Shared, UnitOwned
from cchc.units.models import Unit

__all__ = ["RestrictedQuerySet", "may", "restrict", "rule_of", "has_role_action", "ROLE_ACTIONS", "scope_key"]

VIEW, CHANGE, SUBMIT, REVIEW = "view", "change", "submit", "review"

# Actions that are not about one unit's rows: the roles that may take them (a superuser counts as an
# administrator). The access-table test (accounts/tests/test_access_table.py) checks every route against these.
ROLE_ACTIONS: dict[str, set[str]] = {
    "manage_accounts": {Role.ADMINISTRATOR},
    "import_dossiers": {Role.ADMINISTRATOR},
    "view_audit_log": {Role.ADMINISTRATOR},
    "reopen": {Role.ADMINISTRATOR},
    "publish_results": {Role.ADMINISTRATOR},
    "manage_reference_data": {Role.ADMINISTRATOR},  # plans, units, calendar, criteria sets, entered 766 values
    "generate_documents": {Role.ADMINISTRATOR, Role.LEADER},
    "see_whole_province": {Role.ADMINISTRATOR, Role.LEADER},
    "monitor_progress": {Role.ADMINISTRATOR, Role.LEADER, Role.MONITOR},
}
# Rank of each role for actions on accounts: an administrator acts only on accounts at or below its own rank.
SUPERUSER_RANK = 3
ROLE_RANK = {Role.ADMINISTRATOR: 2}


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and getattr(user, "is_active", True)


def has_role_action(user, action: str) -> bool:
    if not _authenticated(user):
        return False
    if action not in ROLE_ACTIONS:
        raise ImproperlyConfigured(f"unknown action {action!r}: add it to ROLE_ACTIONS")
    if getattr(user, "is_superuser", False):
        return True
    return scope.role(user) in ROLE_ACTIONS[action]


def rank(user) -> int:
    """0 for unit accounts, 2 for province administrators, 3 for superusers (who may use /admin/)."""
    if getattr(user, "is_superuser", False):
        return SUPERUSER_RANK
    return ROLE_RANK.get(scope.role(user), 1 if scope.role(user) else 0)


def scope_key(user) -> str:
    """What decides the rows an account sees and the actions it may take, as a cache key: two accounts with the same
    key get the same answer from `restrict` and `may` for every rule but OwnedBy (rows of one account — a page that
    shows those adds the account's id to its key). Pages cached per viewer (cchc.core.pagecache) key on it."""
    if not _authenticated(user):
        return "anonymous"
    kind = "superuser" if getattr(user, "is_superuser", False) else "user"
    return f"{kind}:{scope.role(user)}:{scope.own_unit_id(user)}"


# --- interpreting the rules ----------------------------------------------------------------------------------

NOTHING = Q(pk__in=[])


def _path_id(obj, path: str):
    """The id at the end of a foreign-key path ("progress__unit" → obj.progress.unit_id)."""
    parts = path.split("__")
    for part in parts[:-1]:
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return getattr(obj, f"{parts[-1]}_id", None)


def _path_value(obj, path: str):
    for part in path.split("__"):
        obj = getattr(obj, part, None)
    return obj


def _reach(rule: UnitOwned, user) -> set[int] | None:
    return scope.subtree_unit_ids(user) if rule.reach == SUBTREE else scope.visible_unit_ids(user)


def _reviewed_q(field: str, user) -> Q | None:
    """Rows of the units the account reviews (scope.can_review); None when it reviews none."""
    if scope.is_administrator(user):
        return Q()
    ids = scope.reviewed_unit_ids(user)
    return Q(**{f"{field}__in": ids}) if ids else None


def _unit_owned_q(rule: UnitOwned, user, action: str) -> Q | None:
    field = rule.unit_field
    own_id = scope.own_unit_id(user)
    own = Q(**{field: own_id}) if own_id is not None else NOTHING
    private = Q(**{f"{rule.state_field}__in": rule.private_states}) if rule.state_field else None
    if action == VIEW:
        ids = _reach(rule, user)
        monitor = scope.monitored_unit_id(user) if rule.monitor_field else None
        if ids is None and private is None:
            return None  # the whole province, nothing private to hide
        others = Q() if ids is None else Q(**{f"{field}__in": ids})
        if private is not None:
            others &= ~private
        allowed = own | others
        if monitor is not None:
            allowed |= Q(**{rule.monitor_field: monitor})
        if private is not None and rule.reviewer_states:
            reviewed = _reviewed_q(field, user)
            if reviewed is not None:
                allowed |= reviewed & Q(**{f"{rule.state_field}__in": rule.reviewer_states})
        return allowed
    if action == CHANGE:
        return own if scope.role(user) in scope.EDITING_ROLES else NOTHING
    if action == SUBMIT:
        return own if scope.role(user) == Role.HEAD else NOTHING
    if action == REVIEW:
        # scope.can_review: the province reviews every unit, a district officer its communes.
        reviewed = Q() if scope.is_administrator(user) else Q(**{f"{field}__in": scope.reviewed_unit_ids(user)})
        return reviewed & ~private if private is not None else reviewed
    raise ImproperlyConfigured(f"unknown action {action!r}")


def _unit_owned_allows(rule: UnitOwned, user, action: str, obj) -> bool:
    unit_id = _path_id(obj, rule.unit_field)
    own = unit_id is not None and unit_id == scope.own_unit_id(user)
    is_private = bool(rule.state_field) and _path_value(obj, rule.state_field) in rule.private_states
    if action == VIEW:
        if own:
            return True
        if is_private:
            if _path_value(obj, rule.state_field) not in rule.reviewer_states:
                return False
            unit = Unit.objects.filter(pk=unit_id).first()
            return unit is not None and scope.can_review(user, unit)
        ids = _reach(rule, user)
        if ids is None or unit_id in ids:
            return True
        monitor = scope.monitored_unit_id(user) if rule.monitor_field else None
        return monitor is not None and _path_id(obj, rule.monitor_field) == monitor
    if action == CHANGE:
        return own and scope.role(user) in scope.EDITING_ROLES
    if action == SUBMIT:
        return own and scope.role(user) == Role.HEAD
    if action == REVIEW:
        unit = Unit.objects.filter(pk=unit_id).first()
        return not is_private and unit is not None and scope.can_review(user, unit)
    raise ImproperlyConfigured(f"unknown action {action!r}")


def _q(rule, user, action: str, model) -> Q | None:
    """A filter for the rows the account may take `action` on; None means every row."""
    if not _authenticated(user):
        return NOTHING
    if isinstance(rule, UnitOwned):
        return _unit_owned_q(rule, user, action)
    if isinstance(rule, Shared):
        return None if action == VIEW or has_role_action(user, rule.change_action) else NOTHING
    if isinstance(rule, OwnedBy):
        if rule.administrators and scope.is_administrator(user):
            return None
        return Q(**{rule.user_field: user.pk})
    if isinstance(rule, Follows):
        parent = model._meta.get_field(rule.parent_field).related_model
        inner = _q(rule_of(parent), user, action, parent)
        if inner is None:
            return None
        return Q(**{f"{rule.parent_field}__in": parent._default_manager.filter(inner).values("pk")})
    if isinstance(rule, RoleOnly):
        return None if has_role_action(user, rule.action) else NOTHING
    raise ImproperlyConfigured(f"{model._meta.label}: {rule!r} is not an access rule")


def _allows(rule, user, action: str, obj) -> bool:
    """The same decision as `_q`, for one object (saved or not), in Python."""
    if not _authenticated(user):
        return False
    if isinstance(rule, UnitOwned):
        return _unit_owned_allows(rule, user, action, obj)
    if isinstance(rule, Shared):
        return action == VIEW or has_role_action(user, rule.change_action)
    if isinstance(rule, OwnedBy):
        return (rule.administrators and scope.is_administrator(user)) or _path_id(obj, rule.user_field) == user.pk
    if isinstance(rule, Follows):
        parent = getattr(obj, rule.parent_field, None)
        return parent is not None and may(user, action, parent)
    if isinstance(rule, RoleOnly):
        return has_role_action(user, rule.action)
    raise ImproperlyConfigured(f"{type(obj).__name__}: {rule!r} is not an access rule")


# Rules for models of other packages (they cannot carry the attribute).
EXTERNAL_RULES: dict[str, object] = {
    "auth.User": RoleOnly("manage_accounts"),
}


def rule_of(model):
    rule = getattr(model, "access_rule", None)
    if rule is None:
        rule = EXTERNAL_RULES.get(model._meta.label)
    if rule is None:
        raise ImproperlyConfigured(
            f"{model._meta.label} declares no access_rule: say how its rows relate to units (see cchc.accounts.access)"
        )
    return rule


def restrict(queryset: QuerySet, user, action: str = VIEW) -> QuerySet:
    """The rows of `queryset` the account may see or act on (filtered in the database)."""
    condition = _q(rule_of(queryset.model), user, action, queryset.model)
    return queryset if condition is None else queryset.filter(condition)


def restrict_by_rule(queryset: QuerySet, user, rule, action: str = VIEW) -> QuerySet:
    """`restrict` with an explicit rule (for scope.visible / scope.editable, kept for older callers)."""
    condition = _q(rule, user, action, queryset.model)
    return queryset if condition is None else queryset.filter(condition)


def restrict_log(entries: QuerySet, user) -> QuerySet:
    """Audit-log entries (django-auditlog) of the objects the account may see, as the objects' own pages show them:
    an entry is visible when its object is (another unit's draft stays hidden however it got into the log). Entries of
    deleted objects remain for reference data only (nothing private can hide there)."""
    from auditlog.registry import auditlog
    from django.contrib.contenttypes.models import ContentType

    if not _authenticated(user):
        return entries.none()
    allowed = NOTHING
    for model in auditlog.get_models():
        content_type = ContentType.objects.get_for_model(model)
        condition = _q(rule_of(model), user, VIEW, model)
        if condition is None:
            allowed |= Q(content_type=content_type)
            continue
        visible = model._default_manager.filter(condition).values("pk")
        allowed |= Q(content_type=content_type, object_id__in=visible)
    return entries.filter(allowed)


def may(user, action: str, obj=None) -> bool:
    """May the account take `action` (on `obj`)? The one check every view and the workflow ask."""
    if not _authenticated(user):
        return False
    if obj is None:
        return has_role_action(user, action)
    from django.contrib.auth import get_user_model

    if isinstance(obj, Unit):
        if action == VIEW:
            return scope.can_see_unit(user, obj)
        if action == CHANGE:
            return scope.can_edit(user, obj)
        if action == SUBMIT:
            return scope.can_submit(user, obj)
        if action == REVIEW:
            return scope.can_review(user, obj)
        return has_role_action(user, action)
    if isinstance(obj, get_user_model()):
        # Acting on an account (edit, send a password link): administrators, never above their own rank.
        return has_role_action(user, "manage_accounts") and rank(obj) <= rank(user)
    if action in ROLE_ACTIONS:
        return has_role_action(user, action)
    return _allows(rule_of(type(obj)), user, action, obj)
