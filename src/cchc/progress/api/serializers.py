from django.urls import reverse
from rest_framework import serializers

from cchc.core import clock
from cchc.progress import rules
from cchc.progress.models import EFFECTIVE_STATUS_CHOICES, Evidence, ProgressStatus, TaskProgress


class TaskProgressSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="task.plan.year", read_only=True)
    task_code = serializers.CharField(source="task.code", read_only=True)
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    status = serializers.ChoiceField(choices=ProgressStatus.choices, required=False)
    effective_due = serializers.DateField(read_only=True)
    effective_status = serializers.ChoiceField(choices=EFFECTIVE_STATUS_CHOICES, read_only=True)
    evidence_count = serializers.IntegerField(read_only=True)
    updated_by = serializers.CharField(source="updated_by.get_username", read_only=True, default=None)

    class Meta:
        model = TaskProgress
        fields = [
            "id",
            "year",
            "task_code",
            "unit_code",
            "status",
            "completed_on",
            "effective_due",
            "effective_status",
            "evidence_count",
            "updated_at",
            "updated_by",
        ]
        read_only_fields = ["updated_at"]

    def validate(self, data):
        status = data.get("status", self.instance.status if self.instance else rules.NOT_STARTED)
        completed_on = data.get("completed_on", self.instance.completed_on if self.instance else None)
        if status != rules.DONE and "completed_on" not in data:
            completed_on = None  # leaving "done" clears the date
        try:
            data["completed_on"] = rules.completion_date(status, completed_on, clock.today())
        except rules.CompletionError as error:
            raise serializers.ValidationError({error.field: [error.message]}) from None
        return data


class EvidenceSerializer(serializers.ModelSerializer):
    task_code = serializers.CharField(source="progress.task.code", read_only=True)
    unit_code = serializers.CharField(source="progress.unit.code", read_only=True)
    year = serializers.IntegerField(source="progress.task.plan.year", read_only=True)
    download_url = serializers.SerializerMethodField()
    uploaded_by = serializers.CharField(source="uploaded_by.get_username", read_only=True, default=None)

    class Meta:
        model = Evidence
        fields = [
            "id",
            "progress",
            "year",
            "task_code",
            "unit_code",
            "original_name",
            "kind",
            "size",
            "sha256",
            "uploaded_by",
            "uploaded_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, obj) -> str:
        path = reverse("progress:evidence", args=[obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path
