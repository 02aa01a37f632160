"""No lost updates on workflow objects: a version number checked and raised by every save (optimistic locking).

A model that inherits `Versioned` has a `version` column. Every update of an existing row is
`UPDATE … SET …, version = v + 1 WHERE id = … AND version = v`, with `v` the version the object was loaded with; when
no row matches, someone else saved the row in between and `ConcurrentChange` is raised: nothing is written (the
transaction rolls back) and the user is told to reload (cchc.core.middleware.BusyOrConflictMiddleware answers any
exception whose `status_code` is 409 with "reload the page"). It lives in `review`, with the workflow objects it
protects; progress and scoring use it too. A
form carries the version it showed (`version` field), so a change made while the form was open is caught too.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ConcurrentChange(Exception):
    """The row was changed by someone else since it was read."""

    status_code = 409  # what cchc.core.middleware answers (core does not import this app)

    def __init__(self, obj=None):
        self.obj = obj
        name = obj._meta.verbose_name if obj is not None else _("item")
        super().__init__(f"{name} #{getattr(obj, 'pk', '?')} was changed by someone else since it was read")


class Versioned(models.Model):
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):
        expected = self.version
        field = self._meta.get_field("version")
        values = [value for value in values if value[0] is not field] + [(field, None, expected + 1)]
        updated = super()._do_update(
            base_qs.filter(version=expected), using, pk_val, values, update_fields, forced_update
        )
        if updated:
            self.version = expected + 1
            return updated
        if base_qs.filter(pk=pk_val).exists():
            raise ConcurrentChange(self)
        return updated

    def touch(self) -> None:
        """Bump the version, raising ConcurrentChange if the row changed since this object was read: a save of rows
        that hang off this object (a sheet's scores) claims the whole object."""
        self.save(update_fields=["version"])

    def check_version(self, posted) -> None:
        """Raise ConcurrentChange when the version a form showed (`posted`) is not the one stored now."""
        if posted in (None, ""):
            return
        try:
            shown = int(posted)
        except (TypeError, ValueError):
            return
        if shown != self.version:
            raise ConcurrentChange(self)
