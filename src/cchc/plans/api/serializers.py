from rest_framework import serializers

from cchc.plans.models import Area, LegalBasis, Plan, Target, Task, Threshold


class LegalBasisSerializer(serializers.ModelSerializer):
    class Meta:
        model = LegalBasis
        fields = ["number", "kind", "issuer", "date", "title"]


class PlanSerializer(serializers.ModelSerializer):
    province = serializers.SlugRelatedField(slug_field="code", read_only=True)
    legal_bases = LegalBasisSerializer(many=True, read_only=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "year",
            "province",
            "title",
            "issuer",
            "document_number",
            "issued_on",
            "signer",
            "signer_title",
            "agency_plan_deadline",
            "status",
            "source",
            "legal_bases",
        ]


class AreaSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="plan.year", read_only=True)
    monitor = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Area
        fields = ["id", "plan", "number", "name", "name_en", "monitor"]


class ThresholdSerializer(serializers.ModelSerializer):
    class Meta:
        model = Threshold
        fields = ["level", "op", "value", "unit"]


class TargetSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="plan.year", read_only=True)
    area = serializers.IntegerField(source="area.number", read_only=True)
    thresholds = ThresholdSerializer(many=True, read_only=True)

    class Meta:
        model = Target
        fields = [
            "id",
            "plan",
            "code",
            "area",
            "name",
            "name_en",
            "kind",
            "thresholds",
            "deadline",
            "baseline_year",
            "final_year",
            "source_text",
            "note",
        ]


class TaskSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="plan.year", read_only=True)
    area = serializers.IntegerField(source="area.number", read_only=True)
    agencies = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    monitor = serializers.SlugRelatedField(slug_field="code", read_only=True)
    effective_status = serializers.CharField(read_only=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "plan",
            "code",
            "area",
            "label",
            "text",
            "agencies",
            "agency_groups",
            "monitor",
            "due",
            "recurring",
            "status",
            "effective_status",
        ]
