"""Who may open, edit, submit and review a unit's plan on its page."""

import pytest
from django.urls import reverse

from cchc.agencyplans.models import AgencyPlan
from cchc.agencyplans.services import create_draft, unit_for_year
from cchc.review.services import apply

pytestmark = pytest.mark.django_db

URL = "/agency-plans/2023/STP/"


def login(client, user):
    client.force_login(user)
    return client


def management(agency_plan, extra=1):
    items = list(agency_plan.lines.order_by("order", "pk"))
    data = {
        "items-TOTAL_FORMS": str(len(items) + extra),
        "items-INITIAL_FORMS": str(len(items)),
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "title": agency_plan.title,
        "document_number": agency_plan.document_number,
        "issued_on": "",
        "note": "",
    }
    for i, item in enumerate(items):
        data.update(
            {
                f"items-{i}-id": str(item.pk),
                f"items-{i}-agency_plan": str(agency_plan.pk),
                f"items-{i}-text": item.text,
                f"items-{i}-owner": "",
                f"items-{i}-start": "",
                f"items-{i}-due": item.due.isoformat() if item.due else "",
                f"items-{i}-order": str(item.order),
            }
        )
    return data, len(items)


def test_anonymous_is_sent_to_the_login_page(client, plan_2023):
    for url in ("/agency-plans/", "/agency-plans/2023/", URL, URL + "review/", URL + "document/"):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url


def test_the_units_editor_opening_its_plan_creates_the_draft(client, plan_2023, make_account):
    login(client, make_account("STP", "editor"))
    assert client.get("/agency-plans/").url == URL
    response = client.get(URL)
    assert response.status_code == 200
    assert AgencyPlan.objects.filter(unit__code="STP", status="draft").exists()
    assert b'id="plan-form"' in response.content


def test_another_units_editor_and_the_province_do_not_see_a_draft(client, plan_2023, make_account):
    create_draft(plan_2023, unit_for_year("STP", 2023))
    for user in (make_account("SKHDT", "editor"), make_account("SNV", "administrator"), make_account("60", "leader")):
        login(client, user)
        assert client.get(URL).status_code == 404
        assert client.post(URL, {}).status_code == 404
        assert client.post(URL + "review/", {"action": "accept"}).status_code == 404
    assert not AgencyPlan.objects.filter(unit__code="SKHDT").exists()  # nobody else's draft got created


def test_the_editor_saves_items_and_adds_an_own_task(client, plan_2023, make_account):
    login(client, make_account("STP", "editor"))
    client.get(URL)
    agency_plan = AgencyPlan.objects.get(unit__code="STP")
    data, n = management(agency_plan)
    data["items-0-owner"] = "Phòng Hành chính tư pháp"
    data[f"items-{n}-text"] = "Rà soát quy trình nội bộ"
    data[f"items-{n}-due"] = "2023-06-30"
    data[f"items-{n}-order"] = "99"
    response = client.post(URL, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    own = agency_plan.lines.get(is_own=True)
    assert own.task is None and own.text == "Rà soát quy trình nội bộ"
    assert agency_plan.lines.order_by("order", "pk").first().owner == "Phòng Hành chính tư pháp"


def test_a_start_after_the_due_date_is_refused_on_its_row(client, plan_2023, make_account):
    login(client, make_account("STP", "editor"))
    client.get(URL)
    agency_plan = AgencyPlan.objects.get(unit__code="STP")
    data, _ = management(agency_plan, extra=0)
    data["items-0-start"], data["items-0-due"] = "2023-05-01", "2023-04-01"
    response = client.post(URL, data)
    assert response.status_code == 400
    assert "must not be before the start date" in response.content.decode()


def test_a_province_task_cannot_be_removed(client, plan_2023, make_account):
    login(client, make_account("STP", "editor"))
    client.get(URL)
    agency_plan = AgencyPlan.objects.get(unit__code="STP")
    data, _ = management(agency_plan, extra=0)
    data["items-0-DELETE"] = "on"
    response = client.post(URL, data)
    assert response.status_code == 400
    assert "Row 1 is a province task" in response.content.decode()


def test_the_signed_document_is_checked_by_content(client, plan_2023, make_account, pdf):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(client, make_account("STP", "editor"))
    client.get(URL)
    agency_plan = AgencyPlan.objects.get(unit__code="STP")
    data, _ = management(agency_plan, extra=0)
    fake = SimpleUploadedFile("ke-hoach.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    response = client.post(URL, {**data, "signed_document": fake})
    assert response.status_code == 400
    assert "ke-hoach.pdf is not a PDF" in response.content.decode()
    response = client.post(URL, {**data, "signed_document": pdf("15-KH-STP.pdf")})
    assert response.status_code == 302
    agency_plan.refresh_from_db()
    assert agency_plan.signed_document_name == "15-KH-STP.pdf"
    assert len(agency_plan.signed_document_sha256) == 64
    download = client.get(URL + "document/")
    assert download.status_code == 200
    assert "15-KH-STP.pdf" in download["Content-Disposition"]


def test_only_the_head_submits_and_only_when_the_signed_plan_is_there(client, plan_2023, make_account, pdf):
    editor, head = make_account("STP", "editor"), make_account("STP", "head")
    login(client, editor)
    client.get(URL)
    assert client.post(URL + "review/", {"action": "submit"}).status_code == 403
    login(client, head)
    response = client.post(URL + "review/", {"action": "submit"}, follow=True)
    assert "Fill in before submitting" in response.content.decode()
    assert AgencyPlan.objects.get(unit__code="STP").status == "draft"


def test_submit_accept_then_locked(client, signed_plan, make_account):
    head, admin, leader = (
        make_account("STP", "head"),
        make_account("SNV", "administrator"),
        make_account("60", "leader"),
    )
    login(client, head)
    assert client.post(URL + "review/", {"action": "submit"}).status_code == 302
    signed_plan.refresh_from_db()
    assert signed_plan.status == "submitted"
    assert client.post(URL, {}).status_code == 403  # waiting for review: not editable
    login(client, leader)
    assert client.get(URL).status_code == 200
    assert client.post(URL + "review/", {"action": "accept"}).status_code == 403
    login(client, admin)
    response = client.get(URL)
    assert b'value="accept"' in response.content
    assert client.post(URL + "review/", {"action": "accept"}).status_code == 302
    signed_plan.refresh_from_db()
    assert signed_plan.status == "accepted"
    login(client, head)
    response = client.get(URL)
    assert b'id="plan-form"' not in response.content
    assert client.post(URL, {}).status_code == 403
    assert "15/KH-STP" in response.content.decode()


def test_a_return_needs_a_comment_and_reopens_the_plan(client, signed_plan, make_account):
    apply(signed_plan, "submit", make_account("STP", "head"))
    login(client, make_account("SNV", "administrator"))
    response = client.post(URL + "review/", {"action": "return", "comment": ""}, follow=True)
    assert "a return needs a comment" in response.content.decode()
    client.post(URL + "review/", {"action": "return", "comment": "Bổ sung người phụ trách"})
    signed_plan.refresh_from_db()
    assert signed_plan.status == "returned"
    assert client.get(URL).status_code == 200  # back with the unit, still visible to the reviewer who returned it
    login(client, make_account("STP", "editor"))
    response = client.get(URL)
    assert "Bổ sung người phụ trách" in response.content.decode()
    assert b'id="plan-form"' in response.content


def test_another_units_editor_cannot_see_a_submitted_plan(client, signed_plan, make_account):
    apply(signed_plan, "submit", make_account("STP", "head"))
    login(client, make_account("593", "editor"))
    assert client.get(URL).status_code == 404
    assert client.get(URL + "document/").status_code == 404
