from rest_framework import serializers

from cchc.reports.api.serializers import CommentSerializer  # noqa: F401 (one component for both APIs)
from cchc.targets.models import Baseline, EntryEvidence, Survey, SurveyResult, TargetEntry


class EntryEvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = EntryEvidence
        fields = ["id", "original_name", "kind", "size", "sha256", "uploaded_at"]
        read_only_fields = fields


class TargetEntrySerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="target.plan.year", read_only=True)
    target_code = serializers.CharField(source="target.code", read_only=True)
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    period_kind = serializers.CharField(source="period.kind", read_only=True)
    value = serializers.SerializerMethodField()
    evidence = EntryEvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = TargetEntry
        fields = [
            "id",
            "year",
            "target_code",
            "unit_code",
            "period_kind",
            "level",
            "numerator",
            "denominator",
            "percent",
            "basis",
            "qualitative",
            "note",
            "value",
            "status",
            "first_submitted_at",
            "on_time",
            "reviewed_at",
            "review_comment",
            "evidence",
        ]
        read_only_fields = [
            "level",
            "status",
            "first_submitted_at",
            "on_time",
            "reviewed_at",
            "review_comment",
        ]

    def get_value(self, obj) -> float | None:
        measure = obj.measure
        return measure.value if measure else None


class OpenEntrySerializer(serializers.Serializer):
    year = serializers.IntegerField()
    target_code = serializers.CharField()
    period_kind = serializers.CharField(help_text="Q1, H1, Q3 or Y")
    level = serializers.ChoiceField(choices=["all", "P", "D", "C"], default="all")


class BaselineSerializer(serializers.ModelSerializer):
    target_code = serializers.CharField(source="target.code", read_only=True)
    year_of_plan = serializers.IntegerField(source="target.plan.year", read_only=True)

    class Meta:
        model = Baseline
        fields = ["id", "target_code", "year_of_plan", "year", "value", "source_document", "note", "updated_at"]
        read_only_fields = fields


class SurveyResultSerializer(serializers.ModelSerializer):
    class Meta:
        model = SurveyResult
        fields = ["service", "criterion", "respondents", "share_satisfied", "mean_score"]


class SurveySerializer(serializers.ModelSerializer):
    results = SurveyResultSerializer(many=True, read_only=True)

    class Meta:
        model = Survey
        fields = [
            "id",
            "year",
            "index",
            "title",
            "organiser",
            "sample_size",
            "started_on",
            "ended_on",
            "method",
            "national_value",
            "results",
        ]
        read_only_fields = fields
