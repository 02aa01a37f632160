"""Issue 13 (Medium): an accepted (locked) report is read-only in /admin/ too, even for a superuser; it is unlocked
only by an explicit reopen by Sở Nội vụ, with a comment, recorded as a review event and in the audit log."""

import pytest
from auditlog.models import LogEntry

from cchc.reports.models import Report
from cchc.reports.tests.conftest import complete_report
from cchc.review.models import ReviewEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(q1):
    report = complete_report("593", q1)
    Report.objects.filter(pk=report.pk).update(status="accepted")
    report.refresh_from_db()
    return report


def test_a_superuser_cannot_edit_an_accepted_report_in_the_admin(accepted, admin_client):
    url = f"/admin/reports/report/{accepted.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200 and 'name="_save"' not in page.text, "shown read-only"
    response = admin_client.post(url, {"steering": "Sửa lén sau khi đã chấp nhận", "unit": accepted.unit_id})
    assert response.status_code == 403
    assert admin_client.post(f"/admin/reports/report/{accepted.pk}/delete/", {"post": "yes"}).status_code == 403
    accepted.refresh_from_db()
    assert accepted.status == "accepted" and accepted.steering != "Sửa lén sau khi đã chấp nhận"


def test_only_the_province_reopens_with_a_comment_and_it_is_recorded(accepted, accounts, client):
    for who in ("editor", "head", "leader"):
        client.force_login(accounts[who])
        response = client.post(accepted.get_absolute_url(), {"action": "reopen", "comment": "Mở lại"})
        assert response.status_code in (403, 404), who
    client.force_login(accounts["snv"])
    page = client.get(accepted.get_absolute_url())
    assert 'id="reopen-report"' in page.text
    assert client.post(accepted.get_absolute_url(), {"action": "reopen", "comment": ""}).status_code == 400
    response = client.post(accepted.get_absolute_url(), {"action": "reopen", "comment": "Số liệu mục 1.1 sai"})
    assert response.status_code == 302
    accepted.refresh_from_db()
    assert accepted.status == "returned"
    event = ReviewEvent.objects.get(object_id=accepted.pk, action="reopen")
    assert event.actor == accounts["snv"] and event.comment == "Số liệu mục 1.1 sai"
    assert event.from_state == "accepted" and event.to_state == "returned"
    change = LogEntry.objects.get_for_object(accepted).filter(action=LogEntry.Action.UPDATE).latest("timestamp")
    assert change.actor == accounts["snv"] and change.changes_dict["status"] == ["accepted", "returned"]
