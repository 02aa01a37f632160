"""A sheet's workflow runs on the review engine: every step (submit, appraise, explain, finalise, publish) is a
ReviewEvent with its author and moment, on the sheet's timeline, in the API and among the audit log's workflow
steps; the migration turns the former per-step columns into the same events."""

import datetime as dt
import importlib
from types import SimpleNamespace

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone, translation

from cchc.review.models import ReviewEvent
from cchc.scoring import services
from cchc.scoring.models import Assessment
from cchc.scoring.tests.core_helpers import make_set, on_time_dossiers, run_to_final, unit

CHAIN = [
    ("submit", "draft", "submitted"),
    ("appraise", "submitted", "appraised"),
    ("explain", "appraised", "explained"),
    ("finalise", "explained", "final"),
    ("publish", "final", "final"),
]


@pytest.fixture
def final_sheet(plan_2023, make_account):
    district = unit("593")
    on_time_dossiers(district, 92, 100)
    people = {
        "editor": make_account("593", "editor"),
        "head": make_account("593", "head"),
        "council": make_account("SNV", "administrator"),
    }
    criteria_set = make_set()
    assessment = run_to_final(criteria_set, district, people["editor"], people["head"], people["council"])
    services.publish(criteria_set, people["council"])
    return assessment, people


def test_every_step_is_an_event_with_its_author_in_order(final_sheet):
    assessment, people = final_sheet
    steps = services.timeline(assessment)
    assert [(s.action, s.from_state, s.to_state) for s in steps] == CHAIN
    authors = [s.actor for s in steps]
    assert authors == [people["head"], people["council"], people["editor"], people["council"], people["council"]]
    assert steps[0].on_time is True and all(s.unit_id == assessment.unit_id for s in steps)
    assert [s.at for s in steps] == sorted(s.at for s in steps)
    assert assessment.criteria_set.published_at == steps[-1].at


def test_a_step_at_a_given_moment_is_dated_then(plan_2023, make_account):
    """The services take the moment of a step (the demo plays a past year with it)."""
    moment = dt.datetime(2023, 12, 4, 9, 30, tzinfo=dt.UTC)
    criteria_set = make_set()
    assessment = services.open_assessment(criteria_set, unit("593"), at=moment)
    services.save_self_scores(
        assessment,
        make_account("593", "editor"),
        [{"criterion": code, "not_applicable": True} for code in ("A.1", "A.2", "B.1")],
    )
    services.submit(assessment, make_account("593", "head"), at=moment)
    (step,) = services.timeline(assessment)
    assert (step.action, step.at, step.on_time) == ("submit", moment, True)
    assert Assessment.objects.get(pk=assessment.pk).created_at == moment


def test_the_sheet_page_and_the_api_show_the_steps(final_sheet, client):
    assessment, people = final_sheet
    client.force_login(people["editor"])
    html = client.get(f"/scoring/2023/{assessment.unit.code}/").content.decode()
    timeline = html[html.index('id="timeline"') :]
    for action, _from, _to in CHAIN:
        assert f'data-action="{action}"' in timeline
    assert people["council"].username in timeline
    body = client.get(f"/api/scoring/assessments/{assessment.pk}/").json()
    assert [(s["action"], s["to_state"], s["by"]) for s in body["steps"]] == [
        (action, to, author.username)
        for (action, _from, to), author in zip(
            CHAIN,
            [people["head"], people["council"], people["editor"], people["council"], people["council"]],
            strict=True,
        )
    ]
    assert body["submitted_at"] and body["finalised_at"] and body["explained_at"]


def test_the_steps_are_workflow_steps_of_the_audit_log(final_sheet, client):
    assessment, people = final_sheet
    client.force_login(people["council"])
    response = client.get("/audit/", {"workflow": "on"})
    entries = response.context["entries"]
    events = {e.pk for e in ReviewEvent.objects.filter(object_id=assessment.pk, content_type__model="assessment")}
    logged_events = {
        int(e.object_pk)
        for e in entries
        if e.content_type == ContentType.objects.get_for_model(ReviewEvent) and e.action == LogEntry.Action.CREATE
    }
    assert events and events <= logged_events
    status_changes = [e for e in entries if e.content_type == ContentType.objects.get_for_model(Assessment)]
    assert {tuple(e.changes["status"]) for e in status_changes} >= {("draft", "submitted"), ("explained", "final")}
    assert all(e.is_workflow for e in entries)
    with translation.override("en"):
        assert "Finalised" in [str(e.get_action_display()) for e in services.timeline(assessment)]


def test_the_migration_turns_the_former_columns_into_steps():
    migration = importlib.import_module("cchc.scoring.migrations.0003_steps_become_review_events")
    at = [timezone.make_aware(dt.datetime(2024, 1, day, 9)) for day in range(1, 6)]
    sheet = SimpleNamespace(
        status="final",
        excluded=False,
        exclusion_reason="",
        on_time=True,
        submitted_at=at[0],
        submitted_by_id=1,
        explained_at=at[1],
        explained_by_id=2,
        appraised_at=at[2],  # revised after the explanation: the council weighed it
        appraised_by_id=3,
        finalised_at=at[3],
        finalised_by_id=3,
    )
    steps = migration.steps_of(sheet, (at[4], 4))
    assert [(s["action"], s["from_state"], s["to_state"], s["actor_id"], s["at"]) for s in steps] == [
        ("submit", "draft", "submitted", 1, at[0]),
        ("explain", "appraised", "explained", 2, at[1]),
        ("appraise", "explained", "explained", 3, at[2]),
        ("finalise", "explained", "final", 3, at[3]),
        ("publish", "final", "final", 4, at[4]),
    ]
    assert steps[0]["on_time"] is True
    draft = SimpleNamespace(
        status="draft", excluded=True, exclusion_reason="Không gửi", submitted_at=None, explained_at=None,
        appraised_at=None, finalised_at=None,
    )  # fmt: skip
    assert [(s["action"], s["comment"]) for s in migration.steps_of(draft, (at[4], 4))] == [("publish", "Không gửi")]
    assert migration.steps_of(draft, None) == []
