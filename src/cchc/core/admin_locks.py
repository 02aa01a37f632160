"""Locked items (an accepted report or plan, a final scoring sheet) are read-only in the Django admin too: no change,
no deletion, no change to their inline rows. Unlocking is an explicit, audited reopen by Sở Nội vụ on the item's
own page (cchc.review.services, action "reopen"), never an edit in the admin."""


def _locked(obj) -> bool:
    return obj is not None and bool(getattr(obj, "is_locked", False))


class LockedReadOnlyAdmin:
    def has_change_permission(self, request, obj=None):
        return not _locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _locked(obj) and super().has_delete_permission(request, obj)


class LockedParentInline:
    """An inline of a locked item: its rows can be neither added, changed nor deleted."""

    def has_add_permission(self, request, obj=None):
        return not _locked(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not _locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _locked(obj) and super().has_delete_permission(request, obj)
