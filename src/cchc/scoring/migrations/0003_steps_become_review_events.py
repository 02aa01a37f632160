"""The sheets' per-step columns become steps of the review engine: one ReviewEvent per step they recorded (with its
author and moment), then the columns go. Reversible: going back fills the columns from the latest step of each kind.

What the columns held is what is written: the latest submission, appraisal, explanation and finalisation of each
sheet (an appraisal made before an explanation and revised after it kept only its latest moment), and the set's
publication as a step of each of its final or left-out sheets.
"""

from django.db import migrations

FIELDS = {"submit": "submitted", "appraise": "appraised", "explain": "explained", "finalise": "finalised"}


def steps_of(sheet, published) -> list[dict]:
    steps = []
    if sheet.submitted_at:
        steps.append(
            dict(action="submit", from_state="draft", to_state="submitted", actor_id=sheet.submitted_by_id,
                 at=sheet.submitted_at, on_time=sheet.on_time)
        )  # fmt: skip
    if sheet.explained_at:
        steps.append(
            dict(action="explain", from_state="appraised", to_state="explained", actor_id=sheet.explained_by_id,
                 at=sheet.explained_at)
        )  # fmt: skip
    if sheet.appraised_at:
        revised = sheet.explained_at is not None and sheet.appraised_at > sheet.explained_at
        state = "explained" if revised else "appraised"
        steps.append(
            dict(action="appraise", from_state="explained" if revised else "submitted", to_state=state,
                 actor_id=sheet.appraised_by_id, at=sheet.appraised_at)
        )  # fmt: skip
    if sheet.finalised_at:
        steps.append(
            dict(action="finalise", from_state="explained" if sheet.explained_at else "appraised", to_state="final",
                 actor_id=sheet.finalised_by_id, at=sheet.finalised_at)
        )  # fmt: skip
    if published is not None and (sheet.status == "final" or sheet.excluded):
        at, by = published
        steps.append(
            dict(action="publish", from_state=sheet.status, to_state=sheet.status, actor_id=by, at=at,
                 comment=sheet.exclusion_reason if sheet.excluded else "")
        )  # fmt: skip
    return sorted(steps, key=lambda step: step["at"])


def columns_to_events(apps, schema_editor):
    Assessment = apps.get_model("scoring", "Assessment")
    ReviewEvent = apps.get_model("review", "ReviewEvent")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label="scoring", model="assessment")
    events = []
    sheets = Assessment.objects.select_related("criteria_set").order_by("pk")
    for sheet in sheets.iterator(chunk_size=500):
        criteria_set = sheet.criteria_set
        published = (criteria_set.published_at, criteria_set.published_by_id) if criteria_set.published_at else None
        for step in steps_of(sheet, published):
            events.append(ReviewEvent(content_type=content_type, object_id=sheet.pk, unit_id=sheet.unit_id, **step))
    ReviewEvent.objects.bulk_create(events, batch_size=1000)


def events_to_columns(apps, schema_editor):
    Assessment = apps.get_model("scoring", "Assessment")
    ReviewEvent = apps.get_model("review", "ReviewEvent")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type = ContentType.objects.filter(app_label="scoring", model="assessment").first()
    if content_type is None:
        return
    events = ReviewEvent.objects.filter(content_type=content_type)
    latest: dict[int, dict] = {}
    for event in events.filter(action__in=list(FIELDS)).order_by("at", "pk"):
        latest.setdefault(event.object_id, {})[event.action] = event
    for sheet in Assessment.objects.filter(pk__in=list(latest)):
        for action, name in FIELDS.items():
            event = latest[sheet.pk].get(action)
            if event is not None:
                setattr(sheet, f"{name}_at", event.at)
                setattr(sheet, f"{name}_by_id", event.actor_id)
        sheet.save()
    events.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0002_assessment_version"),
        ("review", "0002_states_of_every_workflow"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(columns_to_events, events_to_columns),
        migrations.RemoveField(
            model_name="assessment",
            name="appraised_at",
        ),
        migrations.RemoveField(
            model_name="assessment",
            name="appraised_by",
        ),
        migrations.RemoveField(
            model_name="assessment",
            name="explained_at",
        ),
        migrations.RemoveField(
            model_name="assessment",
            name="explained_by",
        ),
        migrations.RemoveField(
            model_name="assessment",
            name="finalised_at",
        ),
        migrations.RemoveField(
            model_name="assessment",
            name="finalised_by",
        ),
        migrations.RemoveField(
            model_name="assessment",
            name="submitted_at",
        ),
        migrations.RemoveField(
            model_name="assessment",
            name="submitted_by",
        ),
    ]
