from django.contrib import admin

from cchc.progress.models import Evidence, ProgressNote, TaskProgress


class NoteInline(admin.TabularInline):
    model = ProgressNote
    extra = 0
    raw_id_fields = ["author"]


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    fields = ["original_name", "kind", "size", "sha256", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


@admin.register(TaskProgress)
class TaskProgressAdmin(admin.ModelAdmin):
    list_display = ["task", "unit", "status", "completed_on", "updated_at", "updated_by"]
    list_filter = ["task__plan__year", "status", "unit__kind"]
    search_fields = ["task__code", "unit__code", "unit__name"]
    raw_id_fields = ["task", "unit", "updated_by"]
    inlines = [NoteInline, EvidenceInline]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["original_name", "progress", "kind", "size", "uploaded_by", "uploaded_at"]
    list_filter = ["kind"]
    search_fields = ["original_name", "sha256", "progress__task__code", "progress__unit__code"]
    # the stored file is downloaded through the scoped view, not a media address
    fields = ["progress", "original_name", "kind", "size", "sha256", "uploaded_by", "uploaded_at"]
    readonly_fields = ["original_name", "kind", "size", "sha256", "uploaded_by", "uploaded_at"]
    raw_id_fields = ["progress"]
