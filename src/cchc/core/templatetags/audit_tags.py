from auditlog.models import LogEntry
from django import template

register = template.Library()


@register.inclusion_tag("core/_history.html", takes_context=True)
def history(context, obj, limit: int = 20):
    """The latest changes of an object: who, when, what changed (before → after)."""
    entries = LogEntry.objects.get_for_object(obj).select_related("actor").order_by("-timestamp")[:limit]
    user = context.get("user")
    return {"entries": entries, "obj": obj, "can_search": bool(user and user.is_staff)}
