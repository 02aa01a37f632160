"""A commune's sheet is appraised by its own district's officers, not by the province and not by another district."""
# ruff: noqa: F811 — the fixtures are imported from tests/pages.py (no conftest of its own in this app)

import pytest

from cchc.scoring import services
from cchc.scoring.models import Assessment
from cchc.scoring.tests.pages import commune_set, pdf, submitted  # noqa: F401

pytestmark = pytest.mark.django_db

URL = "/scoring/2023/22915/"
APPRAISAL = {"action": "appraise", "appraised-1.1": "3", "appraisal-note-1.1": "Thiếu phân công"}


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def commune_sheet(commune_set, make_account, pdf):
    return submitted(commune_set, "22915", make_account("22915", "editor"), make_account("22915", "head"), pdf())


def test_the_province_administrator_reads_but_does_not_appraise_a_commune(client, commune_sheet, make_account):
    admin = make_account("SNV", "administrator")
    client.force_login(admin)
    page = client.get(URL)
    assert page.status_code == 200
    assert 'id="appraise-sheet"' not in page.content.decode()
    assert client.post(URL, APPRAISAL).status_code == 403
    assert client.post(URL + "act/", {"action": "finalise"}).status_code == 403
    assert Assessment.objects.get(pk=commune_sheet.pk).status == "submitted"


def test_the_service_refuses_the_administrator_on_a_commune_too(commune_sheet, make_account):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.appraise(commune_sheet, make_account("SNV", "administrator"), [])


def test_another_districts_officer_gets_404(client, commune_sheet, make_account):
    client.force_login(make_account("594", "district_officer"))
    assert client.get(URL).status_code == 404
    assert client.post(URL, APPRAISAL).status_code == 404


def test_its_districts_officer_appraises_and_finalises(client, commune_sheet, make_account):
    officer = make_account("593", "district_officer")
    client.force_login(officer)
    worklist = client.get("/scoring/2023/council/").content.decode()
    assert 'data-unit="22915" data-status="submitted"' in worklist
    assert 'id="appraise-sheet"' in client.get(URL).content.decode()
    assert client.post(URL, APPRAISAL).status_code == 302
    assert client.post(URL + "act/", {"action": "finalise"}).status_code == 302
    assert Assessment.objects.get(pk=commune_sheet.pk).status == "final"
