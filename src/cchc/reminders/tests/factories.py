from cchc.reminders.models import Notice


def notice(user, unit, key="report:2023-Q1", event="upcoming", read=False, **fields):
    from django.utils import timezone

    values = dict(
        user=user,
        unit=unit,
        event_key=f"{key}:{unit.code}:{event}",
        item_key=f"{key}:{unit.code}",
        event=event,
        kind="report",
        title=f"Báo cáo {key}",
        due="2023-03-10",
        url=f"/reports/{unit.code}/",
        message=f"Báo cáo {key} ({unit.name}) đến hạn ngày 10/03/2023: còn 7 ngày.",
        read_at=timezone.now() if read else None,
    )
    values.update(fields)
    return Notice.objects.create(**values)
