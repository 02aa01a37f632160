from rest_framework import serializers

from cchc.dossiers.columns import PROCEDURE_FIELDS
from cchc.dossiers.forms import ImportForm
from cchc.dossiers.models import Dossier, Procedure


class ProcedureSerializer(serializers.ModelSerializer):
    class Meta:
        model = Procedure
        fields = ["id", *PROCEDURE_FIELDS, "source"]


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
