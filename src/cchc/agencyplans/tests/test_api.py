"""The agency plans API: scoped like the pages, with the review actions."""

import pytest
from rest_framework.test import APIClient

from cchc.accounts.models import ApiToken
from cchc.agencyplans.services import create_draft, unit_for_year
from cchc.review.services import apply

pytestmark = pytest.mark.django_db


def api(user=None):
    client = APIClient()
    if user:
        client.force_authenticate(user)
    return client


def test_anonymous_gets_401_or_403(signed_plan):
    for response in (
        api().get("/api/agency-plans/"),
        api().post(f"/api/agency-plans/{signed_plan.pk}/submit/"),
    ):
        assert response.status_code in (401, 403)


def test_token_authentication_lists_the_own_draft_with_its_items(signed_plan, make_account):
    user = make_account("STP", "editor")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {ApiToken.issue(user)[1]}")
    data = client.get("/api/agency-plans/").json()
    assert data["count"] == 1
    row = data["results"][0]
    assert row["unit_code"] == "STP" and row["status"] == "draft" and row["document_number"] == "15/KH-STP"
    assert row["items"] and row["items"][0]["task_code"]
    assert row["signed_document_url"].endswith("/agency-plans/2023/STP/document/")


def test_drafts_are_hidden_from_other_units_and_the_province(signed_plan, make_account):
    for user in (make_account("593", "editor"), make_account("SNV", "administrator")):
        assert api(user).get("/api/agency-plans/").json()["count"] == 0
        assert api(user).get(f"/api/agency-plans/{signed_plan.pk}/").status_code == 404
        assert api(user).post(f"/api/agency-plans/{signed_plan.pk}/submit/").status_code == 404


def test_only_the_head_submits(signed_plan, make_account):
    response = api(make_account("STP", "editor")).post(f"/api/agency-plans/{signed_plan.pk}/submit/")
    assert response.status_code == 403
    response = api(make_account("STP", "head")).post(f"/api/agency-plans/{signed_plan.pk}/submit/")
    assert response.status_code == 200 and response.json()["status"] == "submitted"


def test_an_incomplete_plan_cannot_be_submitted(plan_2023, make_account):
    draft = create_draft(plan_2023, unit_for_year("593", 2023))
    response = api(make_account("593", "head")).post(f"/api/agency-plans/{draft.pk}/submit/")
    assert response.status_code == 400
    assert "Fill in before submitting" in response.json()["detail"]


def test_review_by_the_administrator_only(signed_plan, make_account):
    head = make_account("STP", "head")
    apply(signed_plan, "submit", head)
    url = f"/api/agency-plans/{signed_plan.pk}/"
    leader = api(make_account("60", "leader"))
    assert leader.get(url).status_code == 200
    assert leader.post(url + "accept/").status_code == 403
    assert api(head).post(url + "accept/").status_code == 403
    admin = api(make_account("SNV", "administrator"))
    response = admin.post(url + "return/", {"comment": ""}, format="json")
    assert response.status_code == 400 and "comment" in response.json()["detail"]
    response = admin.post(url + "return/", {"comment": "Thiếu người phụ trách"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "returned"
    assert admin.post(url + "accept/").status_code == 403  # returned: its reviewer still sees it, cannot accept it


def test_accepting_twice_is_a_400(signed_plan, make_account):
    apply(signed_plan, "submit", make_account("STP", "head"))
    admin = api(make_account("SNV", "administrator"))
    assert admin.post(f"/api/agency-plans/{signed_plan.pk}/accept/").status_code == 200
    assert admin.post(f"/api/agency-plans/{signed_plan.pk}/accept/").status_code == 400


def test_the_api_is_documented(client, plan_2023, make_account):
    client.force_login(make_account("SNV", "administrator"))
    schema = client.get("/api/schema/").content.decode()
    assert "/api/agency-plans/{id}/submit/" in schema


def test_filters(plan_2023, make_account):
    from cchc.agencyplans.models import AgencyPlan

    for code in ("STP", "593"):
        AgencyPlan.objects.create(plan=plan_2023, unit=unit_for_year(code, 2023), status="submitted")
    leader = api(make_account("60", "leader"))
    assert leader.get("/api/agency-plans/?year=2023").json()["count"] == 2
    assert [r["unit_code"] for r in leader.get("/api/agency-plans/?kind=district").json()["results"]] == ["593"]
    assert [r["unit_code"] for r in leader.get("/api/agency-plans/?unit=STP").json()["results"]] == ["STP"]
    assert leader.get("/api/agency-plans/?status=accepted").json()["count"] == 0
