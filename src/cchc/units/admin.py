from django.contrib import admin

from cchc.units.models import Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "division_type", "parent", "valid_from", "valid_to", "is_scored"]
    list_filter = ["kind", "division_type", "is_scored"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]
    date_hierarchy = "valid_from"
