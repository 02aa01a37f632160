from django.contrib import admin

from cchc.agencyplans.models import AgencyPlan, AgencyPlanItem
from cchc.core.admin_locks import LockedParentInline, LockedReadOnlyAdmin


class ItemInline(LockedParentInline, admin.TabularInline):
    model = AgencyPlanItem
    extra = 0
    raw_id_fields = ["task"]


@admin.register(AgencyPlan)
class AgencyPlanAdmin(LockedReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["unit", "plan", "document_number", "status", "first_submitted_at", "on_time"]
    list_filter = ["plan__year", "status", "on_time", "unit__kind"]
    search_fields = ["unit__name", "unit__code", "document_number", "title"]
    raw_id_fields = ["unit", "submitted_by", "reviewed_by"]
    readonly_fields = ["signed_document_name", "signed_document_sha256", "created_at", "updated_at"]
    inlines = [ItemInline]
