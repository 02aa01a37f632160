"""The scoring API: scoped like the pages, each write by the right role in the right state, locked once final."""
# ruff: noqa: F811 — the fixtures are imported from tests/pages.py (no conftest of its own in this app)

import pytest
from rest_framework.test import APIClient

from cchc.scoring.models import Assessment
from cchc.scoring.tests.pages import commune_set, district_set, final, opened, pdf, submitted  # noqa: F401

pytestmark = pytest.mark.django_db

BASE = "/api/scoring/assessments/"


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def accounts(make_account):
    return {
        "editor": make_account("593", "editor"),
        "head": make_account("593", "head"),
        "council": make_account("SNV", "administrator"),
        "other": make_account("594", "editor"),
    }


def as_user(api, user):
    api.force_authenticate(user)
    return api


def test_anonymous_gets_401(api, district_set):
    for url in (BASE, "/api/scoring/ranking/?year=2023&kind=district", "/api/scoring/sets/"):
        assert api.get(url).status_code == 401, url


def test_a_draft_is_seen_only_by_its_unit(api, district_set, accounts):
    draft = opened(district_set, "593")
    as_user(api, accounts["editor"])
    listed = api.get(BASE, {"year": 2023}).json()["results"]
    assert [a["unit_code"] for a in listed] == ["593"]
    assert listed[0]["allowed_actions"] == ["fill"]
    for user in (accounts["other"], accounts["council"]):
        as_user(api, user)
        assert api.get(BASE).json()["results"] == []
        assert api.get(f"{BASE}{draft.pk}/").status_code == 404
        assert api.patch(f"{BASE}{draft.pk}/scores/", {"scores": []}, format="json").status_code == 404


def test_the_editor_patches_self_scores_bounded_by_the_maximum(api, district_set, accounts):
    draft = opened(district_set, "593")
    as_user(api, accounts["editor"])
    url = f"{BASE}{draft.pk}/scores/"
    response = api.patch(url, {"scores": [{"criterion": "1.1", "self_score": 4.5}]}, format="json")
    assert response.status_code == 400
    assert response.json()["scores"]["1.1"]["self_score"] == "The score cannot exceed the maximum of 4."
    response = api.patch(url, {"scores": [{"criterion": "1.1", "self_score": 3.5, "self_note": "KH"}]}, format="json")
    assert response.status_code == 200
    row = next(s for s in response.json()["scores"] if s["criterion"] == "1.1")
    assert row["self_score"] == "3.50" and row["self_note"] == "KH"
    appraisal = {"scores": [{"criterion": "1.1", "appraised_score": 1}]}
    assert api.patch(url, appraisal, format="json").status_code == 403  # not the council, not submitted


def test_only_the_head_submits_and_the_council_appraises(api, district_set, accounts, pdf):
    draft = opened(district_set, "593")
    from cchc.scoring import services
    from cchc.scoring.tests.pages import SELF_ROWS

    services.save_self_scores(draft, accounts["editor"], SELF_ROWS)
    services.add_evidence(draft.scores.get(criterion__code="1.1"), accounts["editor"], pdf())
    as_user(api, accounts["editor"])
    assert api.post(f"{BASE}{draft.pk}/submit/").status_code == 403
    as_user(api, accounts["head"])
    response = api.post(f"{BASE}{draft.pk}/submit/")
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    as_user(api, accounts["editor"])
    assert api.post(f"{BASE}{draft.pk}/finalise/").status_code == 403
    as_user(api, accounts["council"])
    rows = {"scores": [{"criterion": "2.1", "appraised_score": "4.5", "appraisal_note": ""}]}
    response = api.post(f"{BASE}{draft.pk}/appraise/", rows, format="json")
    assert response.status_code == 400 and "appraisal_note" in response.json()["scores"]["2.1"]
    rows["scores"][0]["appraisal_note"] = "Chưa công khai đủ"
    response = api.post(f"{BASE}{draft.pk}/appraise/", rows, format="json")
    assert response.status_code == 200 and response.json()["status"] == "appraised"
    assert (
        api.post(
            f"{BASE}{draft.pk}/explain/", {"scores": [{"criterion": "2.1", "unit_explanation": "x"}]}, format="json"
        ).status_code
        == 403
    )
    as_user(api, accounts["editor"])
    explanation = {"scores": [{"criterion": "2.1", "unit_explanation": "Đã niêm yết"}]}
    assert api.post(f"{BASE}{draft.pk}/explain/", explanation, format="json").status_code == 200
    assert api.post(f"{BASE}{draft.pk}/explain/", explanation, format="json").status_code == 409  # once only
    as_user(api, accounts["council"])
    response = api.post(f"{BASE}{draft.pk}/finalise/")
    assert response.status_code == 200 and response.json()["status"] == "final"


def test_a_final_sheet_refuses_every_write(api, district_set, accounts, pdf):
    sheet = final(district_set, "593", accounts["editor"], accounts["head"], accounts["council"], pdf())
    for user in (accounts["editor"], accounts["head"], accounts["council"]):
        as_user(api, user)
        detail = api.get(f"{BASE}{sheet.pk}/").json()
        assert detail["index"] == "70.59" and detail["allowed_actions"] == []
        assert (
            api.patch(
                f"{BASE}{sheet.pk}/scores/", {"scores": [{"criterion": "1.1", "self_score": 4}]}, format="json"
            ).status_code
            == 403
        )
        assert (
            api.patch(
                f"{BASE}{sheet.pk}/scores/", {"scores": [{"criterion": "1.1", "appraised_score": 4}]}, format="json"
            ).status_code
            == 403
        )
        for step in ("submit", "appraise", "explain", "finalise"):
            assert api.post(f"{BASE}{sheet.pk}/{step}/", {}, format="json").status_code == 403, step
    assert str(Assessment.objects.get(pk=sheet.pk).scores.get(criterion__code="1.1").final_score) == "3.00"


def test_the_administrator_does_not_appraise_a_commune(api, commune_set, make_account, pdf):
    sheet = submitted(commune_set, "22915", make_account("22915", "editor"), make_account("22915", "head"), pdf())
    as_user(api, make_account("SNV", "administrator"))
    assert api.get(f"{BASE}{sheet.pk}/").status_code == 200
    assert api.post(f"{BASE}{sheet.pk}/appraise/", {}, format="json").status_code == 403
    as_user(api, make_account("593", "district_officer"))
    assert api.post(f"{BASE}{sheet.pk}/appraise/", {}, format="json").status_code == 200


def test_ranking_and_sets(api, district_set, accounts, pdf):
    final(district_set, "593", accounts["editor"], accounts["head"], accounts["council"], pdf())
    url = "/api/scoring/ranking/?year=2023&kind=district"
    as_user(api, accounts["other"])
    assert api.get(url).status_code == 404  # not published yet
    assert api.get("/api/scoring/ranking/?year=2023").status_code == 400
    as_user(api, accounts["council"])
    data = api.get(url).json()
    assert data["published"] is False
    assert data["results"][0].items() >= {"rank": 1, "unit_code": "593", "index": "70.59", "band": "Khá"}.items()
    assert data["results"][0]["areas"] == {"1": "78.57", "2": "75.00", "TR": None}
    as_user(api, accounts["other"])
    sets = api.get("/api/scoring/sets/", {"year": 2023, "kind": "district"}).json()["results"]
    assert [c["code"] for c in sets[0]["criteria"]][:3] == ["1", "1.1", "1.2"]
    assert api.post("/api/scoring/sets/", {}).status_code == 405


def test_the_endpoints_are_in_the_schema(admin_client):
    schema = admin_client.get("/api/schema/").content.decode()  # the schema is for logged-in accounts (issue 13)
    for path in ("/api/scoring/assessments/{id}/scores/", "/api/scoring/ranking/", "/api/scoring/sets/"):
        assert path in schema


def test_the_list_takes_a_bounded_number_of_queries(api, district_set, make_account, django_assert_max_num_queries):
    from cchc.units.models import Unit

    for unit in Unit.objects.filter(kind="district").order_by("code")[:6]:
        opened(district_set, unit.code)
    Assessment.objects.update(status="submitted")
    as_user(api, make_account("SNV", "administrator"))
    with django_assert_max_num_queries(12):
        results = api.get(BASE, {"year": 2023, "kind": "district"}).json()["results"]
    assert len(results) == 6


def test_evidence_is_uploaded_by_the_unit_and_checked_by_content(api, district_set, accounts, pdf):
    from django.core.files.uploadedfile import SimpleUploadedFile

    draft = opened(district_set, "593")
    url = f"{BASE}{draft.pk}/evidence/"
    as_user(api, accounts["other"])
    assert api.post(url, {"criterion": "1.1", "file": pdf()}, format="multipart").status_code == 404
    as_user(api, accounts["editor"])
    fake = SimpleUploadedFile("kh.pdf", b"MZ\x90\x00 not a pdf")
    response = api.post(url, {"criterion": "1.1", "file": fake}, format="multipart")
    assert response.status_code == 400 and "kh.pdf is not a PDF" in response.json()["file"][0]
    response = api.post(url, {"criterion": "1.1", "file": pdf("kh.pdf")}, format="multipart")
    assert response.status_code == 200
    row = next(s for s in response.json()["scores"] if s["criterion"] == "1.1")
    assert row["evidence"][0]["original_name"] == "kh.pdf"
    api.force_login(accounts["editor"])  # the download is the page's (session), scoped like the sheet
    assert api.get(row["evidence"][0]["url"]).status_code == 200
    assert api.post(url, {"criterion": "9.9", "file": pdf()}, format="multipart").status_code == 400
