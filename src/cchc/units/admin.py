from django.contrib import admin

from cchc.units.models import Unit, UnitEvent, UnitEventLink


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "division_type", "parent", "valid_from", "valid_to", "is_scored"]
    list_filter = ["kind", "division_type", "is_scored"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]
    date_hierarchy = "valid_from"


class UnitEventLinkInline(admin.TabularInline):
    model = UnitEventLink
    extra = 0
    fields = ["side", "position", "code", "name", "unit", "share", "is_default"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(UnitEvent)
class UnitEventAdmin(admin.ModelAdmin):
    """Read-only here: an event is recorded through /units/events/new/ or `cchc import_unit_events`, which also close
    the predecessors and open the successors."""

    list_display = ["date", "kind", "key", "basis"]
    list_filter = ["kind", "date"]
    search_fields = ["key", "basis", "links__code", "links__name"]
    inlines = [UnitEventLinkInline]
    readonly_fields = ["key", "date", "kind", "basis", "note", "source", "created_at", "created_by"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
