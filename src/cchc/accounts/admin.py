from django.contrib import admin

from cchc.accounts.models import Membership


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "role", "email_reminders"]
    list_filter = ["role", "unit__kind"]
    search_fields = ["user__username", "user__email", "unit__code", "unit__name"]
    autocomplete_fields = ["user", "unit"]
