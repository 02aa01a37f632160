from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cchc.reports.models import Report, ReportPeriod
from cchc.reports.services import NARRATIVE_FIELDS
from cchc.reports.validation import show


class ReportPeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportPeriod
        fields = [
            "id",
            "year",
            "kind",
            "data_from",
            "data_to",
            "ministry_due",
            "due_department",
            "due_district",
            "due_commune",
        ]


@extend_schema_field({"type": "object", "additionalProperties": {"type": "string", "nullable": True}})
class FiguresField(serializers.Field):
    """The figures as {code: value}; values are decimal strings (counts without decimals). A null or empty value
    removes the figure. Codes and rules: data/statistics.yaml."""

    def to_representation(self, figures):
        return {figure.code: show(figure.value) for figure in figures.all()}

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError("expected an object {code: value}")
        return data


class ReportSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    period = ReportPeriodSerializer(read_only=True)
    due = serializers.DateField(source="due_date", read_only=True)
    figures = FiguresField(required=False)
    submitted_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    reviewed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    prepared_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Report
        fields = [
            "id",
            "unit",
            "period",
            "due",
            "status",
            *NARRATIVE_FIELDS,
            "figures",
            "prepared_by",
            "prepared_at",
            "first_submitted_at",
            "submitted_at",
            "submitted_by",
            "on_time",
            "reviewed_at",
            "reviewed_by",
            "review_comment",
            "task_snapshot",
        ]
        read_only_fields = [
            "status",
            "prepared_at",
            "first_submitted_at",
            "submitted_at",
            "on_time",
            "reviewed_at",
            "review_comment",
            "task_snapshot",
        ]


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")
