"""The one API shape of a long job (core.models.Job): imports, documents, exports all answer with it."""

from rest_framework import serializers

from cchc.core.models import Job


class JobSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "title",
            "status",
            "done",
            "total",
            "percent",
            "message",
            "result",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields
