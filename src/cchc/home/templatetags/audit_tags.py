from auditlog.models import LogEntry
from django import template
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.http import urlencode

register = template.Library()


@register.inclusion_tag("core/_history.html", takes_context=True)
def history(context, obj, limit: int = 20):
    """The latest changes of an object: who, when, what changed (before → after).

    Administrators also get a link to the whole audit log filtered to this object (its full history).
    """
    from cchc.home.audit_views import may_read_log

    entries = LogEntry.objects.get_for_object(obj).select_related("actor").order_by("-timestamp")[:limit]
    user = context.get("user")
    search_url = ""
    if user is not None and may_read_log(user):
        content_type = ContentType.objects.get_for_model(obj)
        search_url = reverse("audit-log") + "?" + urlencode({"content_type": content_type.pk, "object_id": obj.pk})
    return {"entries": entries, "obj": obj, "can_search": bool(search_url), "search_url": search_url}


@register.filter
def field_changes(entry: LogEntry) -> list[tuple[str, list]]:
    """(field label, [before, after]) pairs; a template's `.items` would pick a field named "items" instead.

    Fields empty before and after (a creation lists every field) are left out: they say nothing."""
    empty = {None, "", "None"}
    return [(label, values) for label, values in entry.changes_display_dict.items() if not set(values) <= empty]
