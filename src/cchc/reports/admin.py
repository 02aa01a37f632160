from django.contrib import admin

from cchc.core.admin_locks import LockedParentInline, LockedReadOnlyAdmin
from cchc.reports.models import Report, ReportFigure, ReportPeriod


@admin.register(ReportPeriod)
class ReportPeriodAdmin(admin.ModelAdmin):
    list_display = [
        "year",
        "kind",
        "data_from",
        "data_to",
        "due_department",
        "due_district",
        "due_commune",
        "ministry_due",
    ]
    list_filter = ["year", "kind"]


class ReportFigureInline(LockedParentInline, admin.TabularInline):
    model = ReportFigure
    extra = 0


@admin.register(Report)
class ReportAdmin(LockedReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["period", "unit", "status", "on_time", "first_submitted_at", "reviewed_at"]
    list_filter = ["period__year", "period__kind", "status", "on_time", "unit__kind"]
    search_fields = ["unit__code", "unit__name"]
    list_select_related = ["period", "unit"]
    autocomplete_fields = ["unit"]
    # The workflow's own facts change only through submit/accept/return (cchc.review.services).
    readonly_fields = [
        "status",
        "first_submitted_at",
        "submitted_at",
        "submitted_by",
        "on_time",
        "reviewed_at",
        "reviewed_by",
        "review_comment",
        "prepared_by",
        "prepared_at",
        "task_snapshot",
    ]
    inlines = [ReportFigureInline]
