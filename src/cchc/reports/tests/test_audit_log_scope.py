"""Issue 13 (Medium): the audit log applies the object's own scope — an administrator does not read the content of
another unit's private draft in /audit/ when the report page itself answers 404."""

import pytest
from auditlog.models import LogEntry

from cchc.reports.models import Report
from cchc.reports.tests.conftest import DISTRICT_FIGURES, form_data, unit

pytestmark = pytest.mark.django_db
SECRET = "Nội dung nháp chưa gửi của Phan Thiết"


def logged_texts(client) -> str:
    response = client.get("/audit/", {"q": "Phan Thiết"})
    assert response.status_code == 200
    return " ".join(f"{e.object_repr} {e.changes}" for e in response.context["entries"]) + response.text


def test_a_drafts_history_is_hidden_until_the_draft_is_submitted(q1, accounts, client):
    report = Report.objects.create(unit=unit("593"), period=q1)
    client.force_login(accounts["editor"])
    data = form_data(figures=DISTRICT_FIGURES)
    data["results"] = SECRET
    assert client.post(report.get_absolute_url(), data).status_code == 302
    assert LogEntry.objects.get_for_object(report).exists()

    client.force_login(accounts["snv"])
    assert client.get(report.get_absolute_url()).status_code == 404
    assert SECRET not in logged_texts(client)
    assert client.get("/audit/", {"content_type": "", "object_id": report.pk}).status_code == 200
    assert SECRET not in client.get("/audit/", {"object_id": report.pk}).text

    Report.objects.filter(pk=report.pk).update(status="submitted")
    assert client.get(report.get_absolute_url()).status_code == 200
    assert SECRET in logged_texts(client), "once the province sees the report, it sees its history"
