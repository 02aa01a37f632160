from rest_framework import serializers

from cchc.indicators.index766 import default_catalogue
from cchc.indicators.models import EnteredValue
from cchc.indicators.periods import parse_period
from cchc.units.models import Unit


class EnteredValueSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", queryset=Unit.objects.all())
    entered_by = serializers.StringRelatedField(read_only=True)

    class Meta:
        model = EnteredValue
        fields = [
            "id",
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

    def validate_period(self, value):
        try:
            parse_period(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None
        return value

    def validate_metric(self, value):
        spec = default_catalogue().by_code.get(value)
        if spec is None:
            raise serializers.ValidationError("unknown 766 sub-indicator")
        if spec.source != "entered":
            raise serializers.ValidationError("computed from dossiers; cannot be entered")
        return value

    def validate(self, attrs):
        numerator, denominator = attrs.get("numerator"), attrs.get("denominator")
        if (numerator is None) != (denominator is None):
            raise serializers.ValidationError(
                {"denominator": "give both the numerator and the denominator, or neither"}
            )
        if numerator is not None and not 0 <= numerator <= denominator:
            raise serializers.ValidationError({"numerator": "must be between 0 and the denominator"})
        if numerator is None and attrs.get("ratio") is None:
            raise serializers.ValidationError({"ratio": "give the counts or the ratio"})
        ratio = attrs.get("ratio")
        if ratio is not None and not 0 <= ratio <= 100:
            raise serializers.ValidationError({"ratio": "must be between 0 and 100"})
        return attrs


class IndicatorQuerySerializer(serializers.Serializer):
    unit = serializers.CharField(help_text="unit code, e.g. 60, 593, SNV")
    period = serializers.CharField(help_text="2023, 2023S1, 2023Q1 or 202303")

    def validate_period(self, value):
        try:
            parse_period(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None
        return value
