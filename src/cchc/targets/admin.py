from django.contrib import admin

from cchc.targets.models import Baseline, EntryEvidence, Survey, SurveyResult, TargetEntry


class EvidenceInline(admin.TabularInline):
    model = EntryEvidence
    extra = 0
    fields = ["original_name", "kind", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


@admin.register(TargetEntry)
class TargetEntryAdmin(admin.ModelAdmin):
    list_display = ["target", "period", "level", "unit", "status", "updated_at"]
    list_filter = ["status", "period__year", "level"]
    readonly_fields = ["status", "first_submitted_at", "submitted_at", "submitted_by", "on_time", "reviewed_at"]
    inlines = [EvidenceInline]


@admin.register(Baseline)
class BaselineAdmin(admin.ModelAdmin):
    list_display = ["target", "year", "value", "source_document", "updated_at"]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


class ResultInline(admin.TabularInline):
    model = SurveyResult
    extra = 0


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["year", "index", "title", "organiser", "sample_size", "national_value"]
    list_filter = ["year", "index"]
    inlines = [ResultInline]
