from rest_framework import serializers

from cchc.core.models import Job
from cchc.dossiers.forms import ImportForm
from cchc.dossiers.models import Dossier, Procedure


class ProcedureSerializer(serializers.ModelSerializer):
    class Meta:
        model = Procedure
        fields = [
            "id",
            "code",
            "name",
            "sector_code",
            "sector_name",
            "at_province",
            "at_district",
            "at_commune",
            "online_level",
            "eligible_full_online",
            "integrated_dvcqg",
            "has_fee",
            "online_payment",
            "paper_result",
            "time_limit",
            "time_unit",
            "internal",
            "source",
        ]


class DossierSerializer(serializers.ModelSerializer):
    procedure = serializers.SlugRelatedField(slug_field="code", read_only=True)
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Dossier
        exclude = ["id"]


class ImportRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["dossiers", "catalogue"])
    file = serializers.FileField()

    def validate(self, attrs):
        form = ImportForm(data={"kind": attrs["kind"]}, files={"file": attrs["file"]})
        if not form.is_valid():
            raise serializers.ValidationError(form.errors)
        return attrs


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
