from functools import cache

from cchc.reminders.models import Notice


def unread_notices(request):
    """`unread_notice_count` for the navigation; the count is queried only if a template uses it."""
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return {"unread_notice_count": 0}

    @cache
    def count() -> int:
        return Notice.objects.for_user(user).unread().count()

    return {"unread_notice_count": count}
