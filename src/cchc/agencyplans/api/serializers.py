from rest_framework import serializers

from cchc.agencyplans.models import AgencyPlan, AgencyPlanItem


class AgencyPlanItemSerializer(serializers.ModelSerializer):
    task_code = serializers.CharField(source="task.code", read_only=True, allow_null=True, default=None)

    class Meta:
        model = AgencyPlanItem
        fields = ["id", "task_code", "text", "owner", "start", "due", "order", "is_own"]
        read_only_fields = fields


class AgencyPlanSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="plan.year", read_only=True)
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    due_date = serializers.DateField(read_only=True)
    signed_document_url = serializers.SerializerMethodField()
    items = AgencyPlanItemSerializer(source="lines", many=True, read_only=True)

    class Meta:
        model = AgencyPlan
        fields = [
            "id",
            "year",
            "unit_code",
            "unit_name",
            "title",
            "document_number",
            "issued_on",
            "note",
            "status",
            "due_date",
            "first_submitted_at",
            "submitted_at",
            "on_time",
            "reviewed_at",
            "review_comment",
            "signed_document_name",
            "signed_document_sha256",
            "signed_document_url",
            "items",
        ]
        read_only_fields = fields

    def get_signed_document_url(self, obj) -> str | None:
        if not obj.signed_document:
            return None
        from django.urls import reverse

        path = reverse("agencyplans:document", args=[obj.plan.year, obj.unit.code])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class ReviewActionSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")
