from rest_framework import serializers

from cchc.units.models import Unit


class UnitSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)
    level = serializers.CharField(read_only=True)

    class Meta:
        model = Unit
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "level",
            "division_type",
            "parent",
            "valid_from",
            "valid_to",
            "is_scored",
            "source",
        ]
