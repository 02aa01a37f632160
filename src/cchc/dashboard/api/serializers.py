"""The dashboard's rows as JSON: the same targets, values, thresholds, statuses, projections, sources and links."""

from rest_framework import serializers


class ProjectionSerializer(serializers.Serializer):
    value = serializers.FloatField(help_text="projected year-end value, percent")
    low = serializers.FloatField()
    high = serializers.FloatField()
    outcome = serializers.ChoiceField(choices=["will_meet", "at_risk", "will_miss"], allow_null=True)
    probability = serializers.FloatField(allow_null=True)
    months = serializers.IntegerField(help_text="months with cases the projection is built on")


class CellSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=["P", "D", "C", "province"])
    op = serializers.CharField(allow_null=True)
    threshold = serializers.FloatField(allow_null=True, help_text="at the end of the period (path point if multi-year)")
    threshold_year_end = serializers.FloatField(allow_null=True)
    value = serializers.FloatField(allow_null=True)
    numerator = serializers.FloatField(allow_null=True)
    denominator = serializers.FloatField(allow_null=True)
    source = serializers.ChoiceField(
        choices=["dossiers", "catalogue", "reports", "agency_plans", "survey", "baseline", "entered"], allow_null=True
    )
    source_period = serializers.CharField()
    link = serializers.CharField(help_text="the page listing what the figure is computed from")
    status = serializers.ChoiceField(choices=["met", "on_track", "at_risk", "missed", "no_data"])
    projection = ProjectionSerializer(allow_null=True)
    trend = serializers.ListField(child=serializers.FloatField(allow_null=True), help_text="monthly values, Jan–Dec")


class RowSerializer(serializers.Serializer):
    area = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    multi_year_path = serializers.BooleanField()
    status = serializers.ChoiceField(choices=["met", "on_track", "at_risk", "missed", "no_data"])
    cells = CellSerializer(many=True)


class RiskSerializer(serializers.Serializer):
    target = serializers.CharField()
    unit = serializers.CharField()
    level = serializers.CharField()
    value = serializers.FloatField(allow_null=True, help_text="value of the period shown")
    projection = ProjectionSerializer()
    threshold = serializers.FloatField()
    shortfall = serializers.FloatField()
    link = serializers.CharField()


class DashboardSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    period = serializers.CharField()
    unit = serializers.CharField()
    level = serializers.CharField()
    months_elapsed = serializers.IntegerField()
    year_complete = serializers.BooleanField()
    rows = RowSerializer(many=True)
    at_risk = RiskSerializer(many=True)
