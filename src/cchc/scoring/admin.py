"""Admin: set fields an administrator may change (deadline, bands, status); criteria and scores are read-only here
because they change only through validated imports (import_criteria) and the workflow (services.py)."""

from django.contrib import admin

from cchc.core.admin_locks import LockedParentInline, LockedReadOnlyAdmin
from cchc.scoring.models import Assessment, CriteriaSet, Criterion, Score, SurveyResult


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ["code", "title", "maximum", "method", "cap", "source_key"]
    readonly_fields = fields
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CriteriaSet)
class CriteriaSetAdmin(admin.ModelAdmin):
    list_display = ["year", "kind", "name", "status", "self_assessment_due", "published_at"]
    list_filter = ["year", "kind", "status"]
    readonly_fields = ["published_at", "published_by", "created_at"]
    inlines = [CriterionInline]


class ScoreInline(LockedParentInline, admin.TabularInline):
    model = Score
    extra = 0
    fields = ["criterion", "self_score", "not_applicable", "appraised_score", "final_score", "source"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Assessment)
class AssessmentAdmin(LockedReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["unit", "criteria_set", "status", "on_time", "excluded"]
    list_filter = ["criteria_set__year", "criteria_set__kind", "status", "excluded"]
    search_fields = ["unit__code", "unit__name"]
    readonly_fields = [
        "criteria_set",
        "unit",
        "status",
        "on_time",
        "created_at",
    ]
    inlines = [ScoreInline]


@admin.register(SurveyResult)
class SurveyResultAdmin(admin.ModelAdmin):
    list_display = ["criterion", "unit", "value", "imported_from", "imported_at"]
    list_filter = ["criterion__criteria_set__year", "criterion__criteria_set__kind"]
    search_fields = ["unit__code", "unit__name", "criterion__code"]
    readonly_fields = ["criterion", "unit", "value", "imported_from", "imported_at", "imported_by"]
