"""The whole audit log for administrators: who changed what, when, from what to what; workflow steps included.

Every registered model's creations, updates and deletions are in django-auditlog's LogEntry (the actor is
recorded by its middleware). Workflow steps appear twice, on purpose: the ReviewEvent row created by each
submit/accept/return, and the update of the reviewed item's `status`; the "workflow steps only" filter shows both.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict

import django_filters
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django import forms
from django.apps import apps
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast
from django.utils.dateformat import format as format_date
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.timezone import is_aware, localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.generic import ListView

from cchc.accounts import access
from cchc.formats import DATE_INPUT_FORMATS, format_number, parse_number
from cchc.formats.fields import DateInput, separators
from cchc.review.models import Reviewable, ReviewEvent

EMPTY = "—"
# auditlog's own labels ("create", "update") have no Vietnamese translation; these read as a log does.
ACTION_LABELS = {
    LogEntry.Action.CREATE: pgettext_lazy("audit", "Created"),
    LogEntry.Action.UPDATE: pgettext_lazy("audit", "Updated"),
    LogEntry.Action.DELETE: pgettext_lazy("audit", "Deleted"),
    LogEntry.Action.ACCESS: pgettext_lazy("audit", "Viewed"),
}


BOOLEAN_LABELS = {True: pgettext_lazy("boolean", "Yes"), False: pgettext_lazy("boolean", "No")}


def may_read_log(user) -> bool:
    return access.may(user, "view_audit_log")


def logged_content_types():
    """Content types of the models that auditlog records (the choices of the object-type filter)."""
    models_ = auditlog.get_models()
    ids = [ct.pk for ct in ContentType.objects.get_for_models(*models_).values()]
    return ContentType.objects.filter(pk__in=ids).order_by("app_label", "model")


def reviewable_content_types() -> list[ContentType]:
    found = [m for m in apps.get_models() if issubclass(m, Reviewable)]
    return list(ContentType.objects.get_for_models(*found).values()) if found else []


def workflow_q() -> Q:
    """Log entries that are workflow steps: review events, and status changes of reviewable items."""
    review_events = Q(content_type=ContentType.objects.get_for_model(ReviewEvent))
    status_changes = Q(
        content_type__in=reviewable_content_types(), action=LogEntry.Action.UPDATE, changes__has_key="status"
    )
    return review_events | status_changes


class ContentTypeChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{str(obj.name).capitalize()} ({obj.app_label})"


class ContentTypeFilter(django_filters.ModelChoiceFilter):
    field_class = ContentTypeChoice


class AuditLogFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_text", label=_("Text (object or change)"))
    actor = django_filters.CharFilter(field_name="actor__username", lookup_expr="iexact", label=_("Who (username)"))
    content_type = ContentTypeFilter(
        queryset=lambda request: logged_content_types(), label=_("Object type"), empty_label=_("All types")
    )
    object_id = django_filters.CharFilter(field_name="object_pk", label=_("Object id"))
    action = django_filters.ChoiceFilter(
        choices=list(ACTION_LABELS.items()), label=_("Action"), empty_label=_("All actions")
    )
    date_from = django_filters.DateFilter(
        field_name="timestamp",
        lookup_expr="date__gte",
        label=_("From"),
        widget=DateInput(),
        input_formats=DATE_INPUT_FORMATS,
    )
    date_to = django_filters.DateFilter(
        field_name="timestamp",
        lookup_expr="date__lte",
        label=_("To"),
        widget=DateInput(),
        input_formats=DATE_INPUT_FORMATS,
    )
    workflow = django_filters.BooleanFilter(
        method="filter_workflow", label=_("Workflow steps only"), widget=forms.CheckboxInput
    )

    class Meta:
        model = LogEntry
        fields = ["q", "actor", "content_type", "object_id", "action", "date_from", "date_to", "workflow"]

    def filter_text(self, queryset, name, value):
        text = value.strip()
        if not text:
            return queryset
        # The JSON of the changes is text with non-ASCII letters written as \\uXXXX on SQLite and as themselves on
        # PostgreSQL: look for both spellings.
        escaped = json.dumps(text)[1:-1]
        queryset = queryset.annotate(changes_as_text=Cast("changes", models.TextField()))
        return queryset.filter(
            Q(object_repr__icontains=text)
            | Q(changes_as_text__icontains=text)
            | Q(changes_as_text__icontains=escaped)
            | Q(changes_text__icontains=text)
        )

    def filter_workflow(self, queryset, name, value):
        return queryset.filter(workflow_q()) if value else queryset


# --- display ----------------------------------------------------------------------------------------------------


def _format_value(field, raw, related: dict) -> str:
    """A stored change value (a string, as auditlog keeps it) as a person reads it."""
    if raw is None or raw == "None" or raw == "":
        return EMPTY
    if field is None:
        return str(raw)
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(raw, raw))
    if is_foreign_key(field):
        found = related.get((field.related_model, str(raw)))
        return str(found) if found is not None else f"#{raw}"
    if field.many_to_many:
        return str(raw)
    internal = field.get_internal_type()
    if internal == "DateField" and (day := parse_date(str(raw))):
        return format_date(day, "d/m/Y")
    if internal == "DateTimeField" and (moment := parse_datetime(str(raw))):
        # The log keeps datetimes as the database gave them, in UTC; show them in local time like the timestamps.
        moment = moment if is_aware(moment) else moment.replace(tzinfo=dt.UTC)
        return format_date(localtime(moment), "d/m/Y H:i")
    if internal == "BooleanField":
        return str(BOOLEAN_LABELS[raw in ("True", "true", True)])
    if internal == "JSONField":
        return str(_("(recorded data)"))  # a snapshot or settings: the page of the object shows it, not its JSON
    if internal in (
        "IntegerField",
        "BigIntegerField",
        "PositiveIntegerField",
        "PositiveBigIntegerField",
        "PositiveSmallIntegerField",
        "SmallIntegerField",
        "DecimalField",
        "FloatField",
    ):
        try:
            return format_number(parse_number(str(raw), ".", ","), None, *separators(), strip=True)
        except ValueError:
            return str(raw)
    return str(raw)


def m2m_change(values) -> tuple[str, str]:
    """A many-to-many change as (before, after): the objects added or removed."""
    if not isinstance(values, dict):
        return EMPTY, json.dumps(values, ensure_ascii=False)
    names = ", ".join(str(name) for name in values.get("objects", [])) or EMPTY
    if values.get("operation") == "delete":
        return names, EMPTY
    return EMPTY, "+ " + names


def is_foreign_key(field) -> bool:
    return field is not None and bool(field.many_to_one or field.one_to_one) and field.concrete


def _field(model, name):
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    # A reverse relation can share a name with a stored key; only the model's own fields describe a change.
    return field if field.concrete or field.many_to_many else None


def annotate_entries(entries: list[LogEntry]) -> None:
    """Give each entry `rows` [(field label, before, after)], `target` (the object, when it still exists),
    `target_url` and `is_workflow`, with one query per model on the page (not one per row)."""
    review_ct = ContentType.objects.get_for_model(ReviewEvent)
    reviewable_ids = {ct.pk for ct in reviewable_content_types()}

    # The logged objects, by type.
    pks_by_type: dict[ContentType, set[str]] = defaultdict(set)
    for entry in entries:
        pks_by_type[entry.content_type].add(entry.object_pk)
    objects: dict[tuple[int, str], models.Model] = {}
    for content_type, pks in pks_by_type.items():
        model = content_type.model_class()
        if model is None:
            continue
        found = model._default_manager.filter(pk__in=pks)
        if model is ReviewEvent:
            found = found.prefetch_related("item")  # its link is the reviewed item's page
        for obj in found:
            objects[(content_type.pk, str(obj.pk))] = obj

    # The related objects named in foreign-key changes, by model.
    wanted: dict[type, set[str]] = defaultdict(set)
    for entry in entries:
        model = entry.content_type.model_class()
        for name, values in (entry.changes or {}).items():
            field = _field(model, name)
            if is_foreign_key(field):
                wanted[field.related_model].update(str(v) for v in values if v not in (None, "None", ""))
    related: dict[tuple[type, str], models.Model] = {}
    for model, pks in wanted.items():
        try:
            for obj in model._default_manager.filter(pk__in=pks):
                related[(model, str(obj.pk))] = obj
        except (ValueError, TypeError):  # a stored value that is no longer a valid key
            continue

    for entry in entries:
        model = entry.content_type.model_class()
        rows = []
        for name, values in (entry.changes or {}).items():
            field = _field(model, name)
            label = str(field.verbose_name) if field is not None else name
            if isinstance(values, list) and len(values) == 2:
                before, after = (_format_value(field, v, related) for v in values)
            else:  # a many-to-many change: {"type": "m2m", "operation": "add"/"delete", "objects": […]}
                before, after = m2m_change(values)
            if before == after == EMPTY:
                continue  # a creation lists every field; an empty one says nothing
            rows.append((label, before, after))
        entry.rows = rows
        entry.action_label = ACTION_LABELS.get(entry.action, entry.get_action_display())
        entry.target = objects.get((entry.content_type_id, str(entry.object_pk)))
        linked = entry.target
        if isinstance(linked, ReviewEvent):
            linked = linked.item
        entry.target_url = linked.get_absolute_url() if hasattr(linked, "get_absolute_url") else ""
        entry.is_workflow = entry.content_type_id == review_ct.pk or (
            entry.content_type_id in reviewable_ids
            and entry.action == LogEntry.Action.UPDATE
            and "status" in (entry.changes or {})
        )


class AuditLogView(LoginRequiredMixin, UserPassesTestMixin, ListView):
    """Searchable log of every recorded change, for the province's administrators (others: 403)."""

    template_name = "home/audit_log.html"
    context_object_name = "entries"
    paginate_by = 50

    def test_func(self):
        return may_read_log(self.request.user)

    def get_queryset(self):
        entries = access.restrict_log(LogEntry.objects.all(), self.request.user)
        entries = entries.select_related("actor", "content_type").order_by("-timestamp", "-pk")
        self.filterset = AuditLogFilterSet(self.request.GET or None, queryset=entries, request=self.request)
        return self.filterset.qs if self.filterset.is_bound else entries

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entries = list(context["entries"])
        annotate_entries(entries)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(entries=entries, filter=self.filterset, query=query.urlencode())
        obj_type = self.filterset.form.cleaned_data.get("content_type") if self.filterset.is_valid() else None
        if obj_type and self.request.GET.get("object_id"):
            context["object_filter"] = (obj_type, self.request.GET["object_id"])
        return context

    def get_template_names(self):
        if self.request.htmx and not self.request.htmx.boosted:
            return ["home/_audit_results.html"]
        return [self.template_name]
