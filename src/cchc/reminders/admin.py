from django.contrib import admin

from cchc.reminders.models import Notice


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "unit", "event", "title", "due", "emailed_at", "email_attempts", "read_at"]
    list_filter = ["event", "kind", ("emailed_at", admin.EmptyFieldListFilter), ("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["event_key", "title", "user__username", "user__email", "unit__name", "unit__code"]
    date_hierarchy = "created_at"
    list_select_related = ["user", "unit"]
    # Written by the reminder job; the admin only looks (and may clear emailed_at to send a notice again).
    readonly_fields = [
        "user",
        "unit",
        "event_key",
        "item_key",
        "event",
        "kind",
        "title",
        "due",
        "url",
        "message",
        "created_at",
        "email_attempts",
        "email_error",
    ]

    def has_add_permission(self, request):
        return False
