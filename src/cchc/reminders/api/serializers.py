from rest_framework import serializers

from cchc.reminders.models import Notice


class NoticeSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notice
        fields = [
            "id",
            "unit",
            "event_key",
            "item_key",
            "event",
            "kind",
            "title",
            "due",
            "url",
            "message",
            "created_at",
            "emailed_at",
            "read_at",
            "is_read",
        ]
        read_only_fields = fields


class OwedUnitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()


class OwedItemSerializer(serializers.Serializer):
    key = serializers.CharField(source="item.key")
    unit = OwedUnitSerializer()
    kind = serializers.CharField(source="item.kind")
    title = serializers.CharField(source="item.title")
    due = serializers.DateField(source="item.due")
    url = serializers.CharField(source="item.url")
    days_left = serializers.IntegerField()
    days_late = serializers.IntegerField()
    overdue = serializers.BooleanField()
