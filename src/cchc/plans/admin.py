from django.contrib import admin

from cchc.plans.models import Area, LegalBasis, Plan, Target, Task, Threshold


class LegalBasisInline(admin.TabularInline):
    model = LegalBasis
    extra = 0


class AreaInline(admin.TabularInline):
    model = Area
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["year", "title", "province", "status", "agency_plan_deadline"]
    list_filter = ["status", "province"]
    inlines = [LegalBasisInline, AreaInline]


class ThresholdInline(admin.TabularInline):
    model = Threshold
    extra = 0


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "area", "kind", "value_source", "responsible", "due_periods", "deadline", "plan"]
    list_filter = ["plan", "area__number", "kind", "value_source"]
    search_fields = ["code", "name", "name_en"]
    inlines = [ThresholdInline]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["code", "short_text", "area", "monitor", "due", "recurring", "status", "plan"]
    list_filter = ["plan", "area__number", "status", "recurring", "monitor"]
    search_fields = ["code", "text"]
    filter_horizontal = ["agencies"]

    @admin.display(description="text")
    def short_text(self, obj):
        return obj.text[:100]
