"""The report pages: who sees, writes, hands over, submits and reviews; an accepted report is locked."""

import pytest
from django.urls import reverse

from cchc.reports.models import Report
from cchc.reports.tests.conftest import DISTRICT_FIGURES, SECTIONS, complete_report, form_data, unit
from cchc.review.models import ReviewEvent

pytestmark = pytest.mark.django_db


def as_user(client, user):
    client.force_login(user)
    return client


def test_the_editor_opens_the_report_of_a_period_once(client, q1, accounts):
    as_user(client, accounts["editor"])
    page = client.get(reverse("reports:index"), {"year": 2023})
    assert page.status_code == 200 and "Viết báo cáo" in page.text
    response = client.post(reverse("reports:open"), {"period": q1.pk})
    report = Report.objects.get(unit__code="593", period=q1)
    assert response.url == report.get_absolute_url()
    client.post(reverse("reports:open"), {"period": q1.pk})
    assert Report.objects.filter(period=q1).count() == 1


def test_a_leader_cannot_open_a_report(client, q1, accounts):
    response = as_user(client, accounts["leader"]).post(reverse("reports:open"), {"period": q1.pk})
    assert response.status_code == 403


def test_a_figure_that_is_not_a_number_is_shown_next_to_its_field_and_nothing_is_saved(client, q1, accounts):
    report = Report.objects.create(unit=unit("593"), period=q1)
    as_user(client, accounts["editor"])
    response = client.post(report.get_absolute_url(), form_data(figures={"legal_docs_issued": "mười"}))
    assert response.status_code == 400
    assert 'data-field="legal_docs_issued"' in response.text
    report.refresh_from_db()
    assert report.steering == "" and not report.figures.exists()


def test_a_draft_is_saved_while_a_cross_check_fails_and_the_check_stops_the_hand_over(client, q1, accounts):
    report = Report.objects.create(unit=unit("593"), period=q1)
    as_user(client, accounts["editor"])
    figures = {**DISTRICT_FIGURES, "inspections_total": "10", "inspections_digital": "12"}
    response = client.post(report.get_absolute_url(), form_data(figures=figures), follow=True)
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.steering == SECTIONS["steering"]
    assert {f.code: int(f.value) for f in report.figures.all()}["inspections_digital"] == 12
    assert 'id="report-checks"' in response.text and "không được lớn hơn" in response.text

    response = client.post(report.get_absolute_url(), form_data("send", figures=figures))
    assert response.status_code == 400 and "không được lớn hơn" in response.text
    report.refresh_from_db()
    assert report.prepared_at is None and report.status == "draft"
    assert not ReviewEvent.objects.filter(object_id=report.pk, action="hand").exists()

    response = client.post(report.get_absolute_url(), form_data())
    assert response.status_code == 302
    assert {f.code: int(f.value) for f in report.figures.all()}["legal_docs_issued"] == 12


def test_another_units_editor_does_not_find_the_draft(client, q1, accounts):
    report = complete_report("593", q1)
    as_user(client, accounts["other_editor"])
    assert client.get(report.get_absolute_url()).status_code == 404
    assert client.post(report.get_absolute_url(), form_data()).status_code == 404
    as_user(client, accounts["leader"])
    assert client.get(report.get_absolute_url()).status_code == 404


def test_sending_to_the_head_needs_a_complete_report(client, q1, accounts):
    report = Report.objects.create(unit=unit("593"), period=q1)
    as_user(client, accounts["editor"])
    response = client.post(report.get_absolute_url(), form_data("send", figures={"psu_total": "3"}))
    assert response.status_code == 400
    assert "là bắt buộc" in response.text
    report.refresh_from_db()
    # What was typed is kept as the draft; it is not handed over.
    assert report.prepared_at is None and [f.code for f in report.figures.all()] == ["psu_total"]
    response = client.post(report.get_absolute_url(), form_data("send"))
    assert response.status_code == 302, response.text.split('id="report-errors"')[-1][:800]
    report.refresh_from_db()
    assert report.prepared_by == accounts["editor"] and report.status == "draft"


def test_the_editor_cannot_submit_and_the_head_can(client, q1, accounts):
    report = complete_report("593", q1)
    assert as_user(client, accounts["editor"]).post(report.get_absolute_url(), {"action": "submit"}).status_code == 403
    assert as_user(client, accounts["leader"]).post(report.get_absolute_url(), {"action": "submit"}).status_code == 404
    response = as_user(client, accounts["head"]).post(report.get_absolute_url(), {"action": "submit"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted" and report.on_time is True
    assert isinstance(report.task_snapshot, list) and report.task_snapshot  # the unit's tasks as they stood
    assert {"task_code", "status", "due"} <= set(report.task_snapshot[0])


def test_a_submitted_report_cannot_be_written_by_the_unit_nor_by_a_leader(client, q1, accounts):
    report = complete_report("593", q1)
    as_user(client, accounts["head"]).post(report.get_absolute_url(), {"action": "submit"})
    assert as_user(client, accounts["editor"]).post(report.get_absolute_url(), form_data()).status_code == 403
    as_user(client, accounts["leader"])
    assert client.get(report.get_absolute_url()).status_code == 200  # leaders read submitted reports
    assert client.post(report.get_absolute_url(), {"action": "accept"}).status_code == 403
    assert client.post(report.get_absolute_url(), form_data()).status_code == 403


def test_return_needs_a_comment_then_the_unit_corrects_and_resubmits(client, q1, accounts):
    report = complete_report("593", q1)
    as_user(client, accounts["head"]).post(report.get_absolute_url(), {"action": "submit"})
    as_user(client, accounts["snv"])
    response = client.post(report.get_absolute_url(), {"action": "return", "comment": " "})
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.status == "submitted"
    client.post(report.get_absolute_url(), {"action": "return", "comment": "Bổ sung số liệu kiểm tra."})
    report.refresh_from_db()
    assert report.status == "returned"

    page = as_user(client, accounts["editor"]).get(report.get_absolute_url())
    assert "Bổ sung số liệu kiểm tra." in page.text and 'id="report-form"' in page.text
    assert as_user(client, accounts["other_editor"]).get(report.get_absolute_url()).status_code == 404
    as_user(client, accounts["editor"]).post(report.get_absolute_url(), form_data("send"))
    as_user(client, accounts["head"]).post(report.get_absolute_url(), {"action": "submit"})
    report.refresh_from_db()
    assert report.status == "submitted"
    assert list(ReviewEvent.objects.filter(object_id=report.pk).values_list("action", flat=True)) == [
        "submit",
        "return",
        "hand",
        "submit",
    ]


def test_an_accepted_report_is_read_only_and_refuses_every_post(client, q1, accounts):
    report = complete_report("593", q1)
    as_user(client, accounts["head"]).post(report.get_absolute_url(), {"action": "submit"})
    as_user(client, accounts["snv"]).post(report.get_absolute_url(), {"action": "accept"})
    report.refresh_from_db()
    assert report.status == "accepted"
    for user in ("editor", "head", "snv"):
        as_user(client, accounts[user])
        page = client.get(report.get_absolute_url())
        assert page.status_code == 200
        # Nothing to edit; only Sở Nội vụ gets the explicit reopen form (issue 13), which takes a comment.
        content = (
            page.text.split('id="timeline"')[0].split("</header>")[1].split('<form method="post" id="reopen-form"')
        )
        assert "<input" not in content[0] + content[-1].split("</form>", 1)[-1]
        assert ('id="reopen-report"' in page.text) == (user == "snv")
        assert 'id="save-report"' not in page.text
        for data in (form_data(), {"action": "submit"}, {"action": "return", "comment": "x"}, {"action": "accept"}):
            assert client.post(report.get_absolute_url(), data).status_code == 403
    report.refresh_from_db()
    assert report.status == "accepted" and report.figures.get(code="psu_total").value == 40


def test_the_province_sees_who_has_reported_without_seeing_drafts(client, q1, accounts):
    complete_report("593", q1)  # a draft: private to 593
    submitted = complete_report("594", q1)
    submitted.status, submitted.on_time = "submitted", True
    submitted.save()
    page = as_user(client, accounts["snv"]).get(reverse("reports:index"), {"year": 2023})
    assert page.status_code == 200
    row_593 = page.text.split('data-unit="593"')[1].split("</tr>")[0]
    row_594 = page.text.split('data-unit="594"')[1].split("</tr>")[0]
    assert 'data-status="missing"' in row_593 and 'data-status="draft"' not in row_593
    assert 'data-status="submitted"' in row_594 and 'data-timing="on_time"' in row_594
    only_submitted = as_user(client, accounts["snv"]).get(
        reverse("reports:index"), {"year": 2023, "status": "submitted"}
    )
    assert 'data-unit="594"' in only_submitted.text and 'data-unit="593"' not in only_submitted.text
    departments = client.get(reverse("reports:index"), {"year": 2023, "kind": "department"})
    assert 'data-unit="SNV"' in departments.text and 'data-unit="594"' not in departments.text
    assert 'data-unit="TTHCC"' not in departments.text  # not scored: does not report


def test_the_review_queue_is_for_reviewers(client, q1, accounts):
    report = complete_report("593", q1)
    report.status = "submitted"
    report.save()
    page = as_user(client, accounts["snv"]).get(reverse("reports:review"))
    assert report.get_absolute_url() in page.text
    assert as_user(client, accounts["editor"]).get(reverse("reports:review")).status_code == 403
    assert as_user(client, accounts["leader"]).get(reverse("reports:review")).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, q1):
    report = complete_report("593", q1)
    for url in (reverse("reports:index"), reverse("reports:review"), report.get_absolute_url()):
        assert "/login/" in client.get(url).url
