"""The one permission path in the API: every generic view's rows go through `access.restrict` (a default filter
backend) and every write through `access.may` (a default permission class).

A view names the role action the whole endpoint needs with `required_action` (e.g. "import_dossiers"), the one its
writes need with `write_action` (e.g. "manage_reference_data"), and the object action of each of its own actions
with `object_actions` (update, partial update and delete are "change"; workflow steps such as submit or accept are
decided by the workflow service, which asks `may` itself)."""

from __future__ import annotations

from rest_framework import permissions
from rest_framework.filters import BaseFilterBackend

from cchc.accounts import access

OBJECT_ACTIONS = {"update": access.CHANGE, "partial_update": access.CHANGE, "destroy": access.CHANGE}


class RestrictFilterBackend(BaseFilterBackend):
    """Keeps the rows the account may see: a forbidden object answers 404, as on the pages."""

    def filter_queryset(self, request, queryset, view):
        return access.restrict(queryset, request.user, access.VIEW)


class May(permissions.BasePermission):
    """Logged in; the endpoint's `required_action` if it names one; `may(user, object_action, obj)` for writes."""

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        required = getattr(view, "required_action", None)
        if required is not None and not access.may(request.user, required):
            return False
        writing = getattr(view, "write_action", None)
        return request.method in permissions.SAFE_METHODS or writing is None or access.may(request.user, writing)

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True  # the row came through RestrictFilterBackend
        actions = {**OBJECT_ACTIONS, **getattr(view, "object_actions", {})}
        action = actions.get(getattr(view, "action", None))
        return action is None or access.may(request.user, action, obj)
