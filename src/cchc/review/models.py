"""What every reviewable item carries, and the event log of its steps (submissions, reviews, appraisals).

`Reviewable` is the base of every item that moves through a workflow of `states.py`: a `status`, the version of the
lost-update guard, and one ReviewEvent per step taken (cchc.review.services.step). `Submission` adds the facts of the
submission workflow kept on the row for lists and filters (first submission, on time, latest review).
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cchc.core import audit
from cchc.restriction import RestrictedManager, UnitOwned
from cchc.review import states
from cchc.review.concurrency import Versioned
from cchc.review.states import STATE_LABELS, State


class ReviewState(models.TextChoices):
    # The words come from the one vocabulary (review/states.py).
    DRAFT = State.DRAFT, STATE_LABELS[states.Shown.DRAFT]
    SUBMITTED = State.SUBMITTED, STATE_LABELS[states.Shown.SUBMITTED]
    ACCEPTED = State.ACCEPTED, STATE_LABELS[states.Shown.ACCEPTED]
    RETURNED = State.RETURNED, STATE_LABELS[states.Shown.RETURNED]


class StepState(models.TextChoices):
    """Every state a step may leave or reach, in any workflow (the states of ReviewEvent)."""

    DRAFT = State.DRAFT, pgettext_lazy("review", "Draft")
    SUBMITTED = State.SUBMITTED, pgettext_lazy("review", "Submitted")
    ACCEPTED = State.ACCEPTED, pgettext_lazy("review", "Accepted")
    RETURNED = State.RETURNED, pgettext_lazy("review", "Returned for correction")
    APPRAISED = State.APPRAISED, pgettext_lazy("review", "Appraised (draft)")
    EXPLAINED = State.EXPLAINED, pgettext_lazy("review", "Explained by the unit")
    FINAL = State.FINAL, pgettext_lazy("review", "Final")


class Reviewable(Versioned):
    """Abstract: an item that moves through a workflow (`transitions`, a table of states.py) by recorded steps.

    Subclasses have a `status` field and a `unit` foreign key, and implement `due_date()` (the deadline that decides
    on-time, None without one). Every step is a ReviewEvent: its history is `cchc.review.services.history(item)`.
    """

    transitions: states.Transitions = states.TRANSITIONS

    class Meta:
        abstract = True

    def due_date(self):
        raise NotImplementedError


class Submission(Reviewable):
    """Abstract: the state and submission facts of an item that a unit submits and a reviewer accepts or returns."""

    status = models.CharField(_("status"), max_length=12, choices=ReviewState.choices, default=ReviewState.DRAFT)
    first_submitted_at = models.DateTimeField(_("first submitted"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    on_time = models.BooleanField(_("on time"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_comment = models.TextField(_("reviewer's comment"), blank=True)
    # The editor's hand-over to the head (cleared when the item comes back returned or reopened).
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent to the head by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    prepared_at = models.DateTimeField(_("sent to the head"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_editable(self) -> bool:
        from cchc.review.states import is_editable

        return is_editable(self.status)

    @property
    def is_locked(self) -> bool:
        return self.status == ReviewState.ACCEPTED

    @property
    def is_handed(self) -> bool:
        """Handed by the editor to the head, not yet submitted."""
        return self.prepared_at is not None and states.is_editable(self.status)

    @property
    def shown_status(self) -> str:
        """The state a person is told (see review/states.py: "awaiting the head's signature" once handed over)."""
        return states.shown(self.status, self.is_handed)

    def get_shown_status_display(self) -> str:
        return states.label(self.status, self.is_handed)


class ReviewEvent(models.Model):
    """One step of an item's workflow (submit, accept, return, appraise, finalise …): who, when, with what comment,
    and whether it was on time."""

    access_rule = UnitOwned("unit")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("action"), max_length=10)
    from_state = models.CharField(_("from"), max_length=12, choices=StepState.choices)
    to_state = models.CharField(_("to"), max_length=12, choices=StepState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("when"))
    comment = models.TextField(_("comment"), blank=True)
    on_time = models.BooleanField(_("on time"), null=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("review event")
        verbose_name_plural = _("review events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.item or f'{self.content_type.name} #{self.object_id}'}"

    def get_action_display(self) -> str:
        return str(states.ACTION_LABELS.get(self.action, self.action))


# The item is named in the entry (object_repr and "item"); its raw content type and id add nothing for a reader.
audit.register(ReviewEvent, exclude_fields=["id", "content_type", "object_id"])
