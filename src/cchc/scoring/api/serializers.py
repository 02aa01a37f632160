from django.urls import reverse
from rest_framework import serializers

from cchc.review.models import ReviewEvent
from cchc.review.states import Action
from cchc.scoring import index, services
from cchc.scoring.models import Assessment, CriteriaSet, Criterion, Evidence, Score


class ScoringEvidenceSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["id", "original_name", "kind", "size", "sha256", "uploaded_at", "url"]
        read_only_fields = fields

    def get_url(self, obj) -> str:
        path = reverse("scoring:evidence", args=[obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class ScoringScoreSerializer(serializers.ModelSerializer):
    criterion = serializers.CharField(source="criterion.code", read_only=True)
    title = serializers.CharField(source="criterion.title", read_only=True)
    area = serializers.CharField(source="criterion.area_code", read_only=True)
    method = serializers.CharField(source="criterion.method", read_only=True)
    maximum = serializers.DecimalField(source="criterion.maximum", max_digits=7, decimal_places=2, read_only=True)
    evidence = ScoringEvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = Score
        fields = [
            "criterion",
            "title",
            "area",
            "method",
            "maximum",
            "source",
            "computed_figure",
            "self_score",
            "self_note",
            "not_applicable",
            "explanation_missing_evidence",
            "evidence",
            "appraised_score",
            "appraisal_note",
            "unit_explanation",
            "final_score",
        ]
        read_only_fields = fields


class StepSerializer(serializers.ModelSerializer):
    """One step of the sheet's workflow (a ReviewEvent)."""

    by = serializers.CharField(source="actor.username", read_only=True, default=None)

    class Meta:
        model = ReviewEvent
        fields = ["action", "from_state", "to_state", "by", "at", "comment", "on_time"]
        read_only_fields = fields


class AssessmentSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="criteria_set.year", read_only=True)
    kind = serializers.CharField(source="criteria_set.kind", read_only=True)
    criteria_set = serializers.PrimaryKeyRelatedField(read_only=True)
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    index = serializers.SerializerMethodField(
        help_text="points / applicable maximum × 100, 2 decimals (final once final)"
    )
    allowed_actions = serializers.SerializerMethodField()
    submitted_at = serializers.SerializerMethodField(help_text="the latest submission (a step in `steps`)")
    appraised_at = serializers.SerializerMethodField(help_text="the latest appraisal (a step in `steps`)")
    explained_at = serializers.SerializerMethodField(help_text="the unit's explanation (a step in `steps`)")
    finalised_at = serializers.SerializerMethodField(help_text="the final scores (a step in `steps`)")
    steps = StepSerializer(many=True, read_only=True)
    scores = ScoringScoreSerializer(many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "year",
            "kind",
            "criteria_set",
            "unit_code",
            "unit_name",
            "status",
            "submitted_at",
            "on_time",
            "appraised_at",
            "explained_at",
            "finalised_at",
            "steps",
            "excluded",
            "index",
            "allowed_actions",
            "scores",
        ]
        read_only_fields = fields

    @staticmethod
    def _last(obj, action: str):
        found = [step.at for step in obj.steps.all() if step.action == action]  # prefetched, oldest first
        return serializers.DateTimeField().to_representation(found[-1]) if found else None

    def get_submitted_at(self, obj) -> str | None:
        return self._last(obj, Action.SUBMIT)

    def get_appraised_at(self, obj) -> str | None:
        return self._last(obj, Action.APPRAISE)

    def get_explained_at(self, obj) -> str | None:
        return self._last(obj, Action.EXPLAIN)

    def get_finalised_at(self, obj) -> str | None:
        return self._last(obj, Action.FINALISE)

    def get_index(self, obj) -> str | None:
        stage = "final" if obj.status == "final" else "current"
        scores = list(obj.scores.all())  # prefetched with their criteria
        caps = self.context.setdefault("caps", {})  # one query per set, not per sheet, in a list
        if obj.criteria_set_id not in caps:
            caps[obj.criteria_set_id] = services.caps_of(obj.criteria_set)
        result = index.compute(services.items_of(scores, stage), caps[obj.criteria_set_id])
        shown = index.shown(result.index)
        return None if shown is None else str(shown)

    def get_allowed_actions(self, obj) -> list[str]:
        request = self.context.get("request")
        return services.allowed(request.user, obj) if request else []


class ScoreRowSerializer(serializers.Serializer):
    """One row of a PATCH or an action: the criterion's code and the fields being written. Scores are taken as
    text or numbers and checked by the service (bounded by the maximum, at most 2 decimals), which names the row."""

    criterion = serializers.CharField()
    self_score = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    self_note = serializers.CharField(required=False, allow_blank=True)
    not_applicable = serializers.BooleanField(required=False)
    explanation_missing_evidence = serializers.CharField(required=False, allow_blank=True)
    appraised_score = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    appraisal_note = serializers.CharField(required=False, allow_blank=True)
    unit_explanation = serializers.CharField(required=False, allow_blank=True)


class ScoreRowsSerializer(serializers.Serializer):
    scores = ScoreRowSerializer(many=True)


class OptionalScoreRowsSerializer(serializers.Serializer):
    scores = ScoreRowSerializer(many=True, required=False)


class CriterionSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent.code", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Criterion
        fields = ["code", "parent", "title", "maximum", "method", "cap", "source_key", "mapping", "guidance", "depth"]
        read_only_fields = fields


class CriteriaSetSerializer(serializers.ModelSerializer):
    criteria = CriterionSerializer(many=True, read_only=True)

    class Meta:
        model = CriteriaSet
        fields = [
            "id",
            "year",
            "kind",
            "name",
            "status",
            "source_note",
            "bands",
            "self_assessment_due",
            "published_at",
            "criteria",
        ]
        read_only_fields = fields


class RankingRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField(allow_null=True)
    unit_code = serializers.CharField()
    unit_name = serializers.CharField()
    index = serializers.DecimalField(source="shown", max_digits=7, decimal_places=2, allow_null=True)
    band = serializers.CharField(allow_null=True)
    points = serializers.DecimalField(max_digits=9, decimal_places=2)
    maximum = serializers.DecimalField(max_digits=9, decimal_places=2)
    bonus = serializers.DecimalField(max_digits=9, decimal_places=2)
    deduction = serializers.DecimalField(max_digits=9, decimal_places=2)
    areas = serializers.SerializerMethodField()
    previous_index = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    change = serializers.DecimalField(source="delta", max_digits=7, decimal_places=2, allow_null=True)

    def get_areas(self, row) -> dict[str, str | None]:
        return {code: (None if value is None else str(index.shown(value))) for code, value in row["areas"].items()}


class RankingSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    kind = serializers.CharField()
    published = serializers.BooleanField()
    published_at = serializers.DateTimeField(allow_null=True)
    results = RankingRowSerializer(many=True)


class EvidenceUploadSerializer(serializers.Serializer):
    criterion = serializers.CharField(help_text="code of the sub-criterion, e.g. 1.1")
    file = serializers.FileField(help_text="PDF, DOCX, XLSX, PNG or JPEG (checked by its content)")
