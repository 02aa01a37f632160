from django.contrib import admin

from cchc.formats.fields import admin_number_overrides
from cchc.indicators.models import EnteredValue, IndicatorValue


@admin.register(EnteredValue)
class EnteredValueAdmin(admin.ModelAdmin):
    list_display = [
        "unit",
        "period",
        "metric",
        "numerator",
        "denominator",
        "ratio",
        "source",
        "entered_by",
        "entered_at",
    ]
    list_filter = ["metric", "period"]
    search_fields = ["unit__name", "unit__code", "metric"]
    autocomplete_fields = ["unit"]
    readonly_fields = ["entered_by", "entered_at"]
    formfield_overrides = admin_number_overrides()

    def save_model(self, request, obj, form, change):
        obj.entered_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    list_display = ["unit", "period", "level", "metric", "numerator", "denominator", "computed_at"]
    list_filter = ["metric", "level"]
    search_fields = ["unit__code", "period"]

    def has_add_permission(self, request):
        return False  # computed from dossiers: never typed in

    def has_change_permission(self, request, obj=None):
        return False
