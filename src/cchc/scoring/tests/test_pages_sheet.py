"""The scoring sheet: who opens it, who writes which column, bounds named by row, locked once final."""
# ruff: noqa: F811 — the fixtures are imported from tests/pages.py (no conftest of its own in this app)

import pytest

from cchc.scoring.models import Assessment, Score
from cchc.scoring.tests.pages import district_set, final, pdf, submitted  # noqa: F401

pytestmark = pytest.mark.django_db

URL = "/scoring/2023/593/"


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def self_post(**extra):
    data = {"action": "save"}
    for code in ("1.1", "1.2", "1.3", "2.1", "TR.1"):
        data[f"self-{code}"] = ""
        data[f"note-{code}"] = ""
        data[f"why-{code}"] = ""
    data.update(extra)
    return data


def test_anonymous_is_sent_to_log_in(client, district_set):
    for url in (URL, URL + "act/", "/scoring/2023/council/", "/scoring/2023/ranking/", "/scoring/sets/"):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response.url, url


def test_the_units_editor_opens_its_draft_and_another_unit_gets_404(client, district_set, make_account):
    client.force_login(make_account("593", "editor"))
    response = client.get(URL)
    assert response.status_code == 200 and 'id="open-sheet"' in response.content.decode()
    assert not Assessment.objects.exists()  # a GET writes nothing: the sheet is opened by its button (a POST)
    response = client.post(URL + "act/", {"action": "open"})
    assert response.status_code == 302 and response.url == URL
    content = client.get(URL).content.decode()
    assert 'name="self-1.1"' in content and 'id="save-sheet"' in content
    assert 'name="self-2.2"' not in content  # the survey row is read-only
    assert Assessment.objects.filter(unit__code="593", status="draft").exists()
    for user in (make_account("594", "editor"), make_account("SNV", "administrator"), make_account("60", "leader")):
        client.force_login(user)
        assert client.get(URL).status_code == 404
        assert client.post(URL, self_post()).status_code == 404
        assert client.post(URL + "act/", {"action": "submit"}).status_code == 404
        assert client.post(URL + "act/", {"action": "open"}).status_code == 404
    assert not Assessment.objects.filter(unit__code="594").exists()


def test_a_score_above_the_maximum_is_refused_on_its_row(client, district_set, make_account):
    client.force_login(make_account("593", "editor"))
    client.post(URL + "act/", {"action": "open"})
    response = client.post(URL, self_post(**{"self-1.1": "5", "self-1.2": "2"}))
    assert response.status_code == 400
    content = response.content.decode()
    assert "1.1: The score cannot exceed the maximum of 4." in content
    assert Score.objects.get(criterion__code="1.2").self_score is None  # nothing saved
    response = client.post(URL, self_post(**{"self-1.1": "abc"}))
    assert "1.1: Enter a number." in response.content.decode()


def test_the_editor_saves_scores_and_evidence(client, district_set, make_account, pdf):
    client.force_login(make_account("593", "editor"))
    client.post(URL + "act/", {"action": "open"})
    response = client.post(URL, self_post(**{"self-1.1": "3,5", "na-1.3": "on", "evidence-1.1": pdf("kh.pdf")}))
    assert response.status_code == 302, response.content.decode()[:2000]
    score = Score.objects.get(criterion__code="1.1")
    assert str(score.self_score) == "3.50"
    assert Score.objects.get(criterion__code="1.3").not_applicable
    evidence = score.evidence.get()
    page = client.get(URL).content.decode()
    assert f"/scoring/evidence/{evidence.pk}/" in page
    download = client.get(f"/scoring/evidence/{evidence.pk}/")
    assert download.status_code == 200 and "kh.pdf" in download["Content-Disposition"]
    client.force_login(make_account("594", "editor"))
    assert client.get(f"/scoring/evidence/{evidence.pk}/").status_code == 404


def test_evidence_is_checked_by_its_content(client, district_set, make_account):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(make_account("593", "editor"))
    client.post(URL + "act/", {"action": "open"})
    fake = SimpleUploadedFile("bien-ban.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(URL, self_post(**{"self-1.1": "3", "evidence-1.1": fake}))
    assert response.status_code == 400
    assert "1.1: bien-ban.pdf is not a PDF" in response.content.decode()
    assert Score.objects.get(criterion__code="1.1").self_score is None  # nothing half-written


def test_an_editor_cannot_submit_the_head_does(client, district_set, make_account, pdf):
    editor, head = make_account("593", "editor"), make_account("593", "head")
    client.force_login(editor)
    client.post(URL + "act/", {"action": "open"})
    assert 'id="submit-sheet"' not in client.get(URL).content.decode()
    assert client.post(URL + "act/", {"action": "submit"}).status_code == 403
    client.force_login(head)
    response = client.post(URL + "act/", {"action": "submit"})
    assert response.status_code == 400  # nothing scored yet: the rows are named
    assert "Give a score or mark it as not applicable." in response.content.decode()
    client.force_login(editor)
    client.post(
        URL,
        self_post(
            **{"self-1.1": "4", "evidence-1.1": pdf(), "self-1.2": "2.5", "why-1.2": "Lưu bản giấy", "na-1.3": "on"},
            **{"self-2.1": "5", "why-2.1": "Niêm yết", "self-TR.1": "1", "why-TR.1": "Trễ hạn"},
        ),
    )
    client.force_login(head)
    assert 'id="submit-sheet"' in client.get(URL).content.decode()
    assert client.post(URL + "act/", {"action": "submit"}).status_code == 302
    assessment = Assessment.objects.get(unit__code="593")
    assert assessment.status == "submitted" and assessment.on_time
    client.force_login(editor)
    assert client.post(URL, self_post(**{"self-1.1": "1"})).status_code == 403  # with the council now


def test_the_council_appraises_and_a_changed_score_needs_a_note(client, district_set, make_account, pdf):
    editor, head, council = (
        make_account("593", "editor"),
        make_account("593", "head"),
        make_account("SNV", "administrator"),
    )
    submitted(district_set, "593", editor, head, pdf())
    client.force_login(make_account("60", "leader"))
    assert client.get(URL).status_code == 200  # leaders read
    assert client.post(URL, {"action": "appraise", "appraised-1.1": "3"}).status_code == 403
    client.force_login(council)
    page = client.get(URL).content.decode()
    assert 'name="appraised-1.1" value="4.00"' in page
    response = client.post(URL, {"action": "appraise", "appraised-1.1": "3", "appraisal-note-1.1": ""})
    assert response.status_code == 400
    assert "1.1: Say why the appraised score differs from the self-score." in response.content.decode()
    response = client.post(URL, {"action": "appraise", "appraised-2.1": "7", "appraisal-note-2.1": "x"})
    assert "2.1: The score cannot exceed the maximum of 6." in response.content.decode()
    response = client.post(URL, {"action": "appraise", "appraised-1.1": "3", "appraisal-note-1.1": "Thiếu phân công"})
    assert response.status_code == 302
    assessment = Assessment.objects.get(unit__code="593")
    assert assessment.status == "appraised"
    assert str(assessment.scores.get(criterion__code="1.1").appraised_score) == "3.00"
    client.force_login(editor)
    page = client.get(URL).content.decode()
    assert "Thiếu phân công" in page and 'name="explain-1.1"' in page
    assert client.post(URL, {"action": "explain", "explain-1.1": "Phân công ở phụ lục"}).status_code == 302
    assert client.post(URL, {"action": "explain", "explain-1.2": "Lần hai"}).status_code == 403  # once only
    assert Assessment.objects.get(unit__code="593").status == "explained"


def test_after_final_every_post_is_refused(client, district_set, make_account, pdf):
    editor, head, council = (
        make_account("593", "editor"),
        make_account("593", "head"),
        make_account("SNV", "administrator"),
    )
    final(district_set, "593", editor, head, council, pdf())
    for user in (editor, head, council):
        client.force_login(user)
        page = client.get(URL).content.decode()
        assert 'id="sheet-form"' not in page and '<input type="text"' not in page
        for action in ("save", "appraise", "explain"):
            assert client.post(URL, {"action": action, "appraised-1.1": "4", "self-1.1": "4"}).status_code == 403
        for action in ("submit", "finalise"):
            assert client.post(URL + "act/", {"action": action}).status_code == 403
    score = Score.objects.get(criterion__code="1.1")
    assert str(score.final_score) == "3.00"
    assert 'id="index-total">70.59<' in client.get(URL).content.decode()


def test_viewing_a_draft_writes_nothing_and_its_button_adds_the_missing_rows(client, district_set, make_account):
    client.force_login(make_account("593", "editor"))
    client.post(URL + "act/", {"action": "open"})
    assessment = Assessment.objects.get(unit__code="593")
    rows = assessment.scores.count()
    assessment.scores.filter(criterion__code="1.3").delete()  # as a criterion added to the set after the opening
    page = client.get(URL).content.decode()
    assert 'id="reopen-sheet"' in page and 'name="self-1.3"' not in page
    assert assessment.scores.count() == rows - 1  # the view did not add it
    response = client.post(URL + "act/", {"action": "open"})
    assert response.status_code == 302
    assert assessment.scores.count() == rows
    assert 'name="self-1.3"' in client.get(URL).content.decode()
