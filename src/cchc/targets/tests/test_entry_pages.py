"""The journey of an entered value: the responsible unit enters it with evidence, its head submits, Sở Nội vụ
accepts or returns it; the dashboard then shows it with a link to the entry."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.demo.pdf import tiny_pdf
from cchc.plans.models import Target
from cchc.reports.models import ReportPeriod
from cchc.targets.models import TargetEntry


@pytest.fixture
def target(plan_2023):
    return Target.objects.get(plan=plan_2023, code="1.1")


@pytest.fixture
def year_period(plan_2023):
    return ReportPeriod.objects.get(year=2023, kind="Y")


def open_entry(client, target, period, level="all"):
    return client.post(f"/targets/{target.pk}/open/", {"period": period.pk, "level": level})


def pdf(name="bien-ban.pdf"):
    return SimpleUploadedFile(name, tiny_pdf(["Bien ban kiem tra"]), content_type="application/pdf")


def test_the_whole_journey_to_the_dashboard(client, make_account, target, year_period):
    editor, head = make_account("STP", "editor"), make_account("STP", "head")
    admin, other = make_account("SNV", "administrator"), make_account("STC", "editor")

    client.force_login(editor)
    response = open_entry(client, target, year_period)
    entry = TargetEntry.objects.get()
    assert response.status_code == 302 and response.url == f"/targets/entries/{entry.pk}/"
    assert entry.unit.code == "STP" and entry.status == "draft"

    # Vietnamese number input; a part larger than its whole is refused naming the field.
    response = client.post(entry.get_absolute_url(), {"numerator": "40", "denominator": "39", "note": ""})
    assert response.status_code == 400
    assert "Không được lớn hơn mẫu số" in response.content.decode()
    response = client.post(entry.get_absolute_url(), {"numerator": "38", "denominator": "39", "note": "Tổng hợp"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.numerator, entry.denominator) == (38, 39)

    # Drafts are the unit's own: another department and Sở Nội vụ do not see them.
    for account in (other, admin):
        client.force_login(account)
        assert client.get(entry.get_absolute_url()).status_code == 404

    client.force_login(head)
    response = client.post(f"/targets/entries/{entry.pk}/review/", {"action": "submit"}, follow=True)
    entry.refresh_from_db()
    assert entry.status == "draft" and "tài liệu kiểm chứng" in response.content.decode()  # evidence is needed

    client.force_login(editor)
    assert client.post(entry.get_absolute_url(), {"file": pdf()}).status_code == 302
    bad = SimpleUploadedFile("bang.pdf", b"not a pdf at all", content_type="application/pdf")
    assert client.post(entry.get_absolute_url(), {"file": bad}).status_code == 400
    assert entry.evidence.count() == 1
    # The editor may not submit: only the head does.
    assert client.post(f"/targets/entries/{entry.pk}/review/", {"action": "submit"}).status_code == 403

    client.force_login(head)
    client.post(f"/targets/entries/{entry.pk}/review/", {"action": "submit"})
    entry.refresh_from_db()
    assert entry.status == "submitted" and entry.first_submitted_at is not None

    client.force_login(admin)
    page = client.get(entry.get_absolute_url()).content.decode()
    assert 'value="accept"' in page and "bien-ban.pdf" in page
    evidence = entry.evidence.get()
    assert client.get(evidence.get_absolute_url()).status_code == 200
    # A return needs a comment.
    client.post(f"/targets/entries/{entry.pk}/review/", {"action": "return", "comment": ""})
    entry.refresh_from_db()
    assert entry.status == "submitted"
    client.post(f"/targets/entries/{entry.pk}/review/", {"action": "accept", "comment": ""})
    entry.refresh_from_db()
    assert entry.status == "accepted"

    # Locked once accepted.
    client.force_login(editor)
    assert client.post(entry.get_absolute_url(), {"numerator": "39", "denominator": "39"}).status_code == 403

    client.force_login(make_account("VPUBND", "leader"))
    html = client.get("/dashboard/", {"period": "2023"}).content.decode()
    row = re.search(r'<tr data-target="1\.1">(.*?)</tr>', html, re.S).group(1)
    assert "97,4%" in row and f'href="/targets/entries/{entry.pk}/"' in row
    assert 'data-source="entered"' in row


def test_only_the_responsible_unit_opens_an_entry(client, make_account, target, year_period):
    client.force_login(make_account("STC", "editor"))
    assert open_entry(client, target, year_period).status_code == 403
    client.force_login(make_account("STP", "editor"))
    quarter = ReportPeriod.objects.get(year=2023, kind="Q1")  # 1.1 is due for H1 and Y only
    assert open_entry(client, target, quarter).status_code == 403
    assert not TargetEntry.objects.exists()


def test_a_percentage_in_vietnamese_format(client, make_account, plan_2023, year_period):
    target = Target.objects.get(plan=plan_2023, code="6.2")
    client.force_login(make_account("STTTT", "editor"))
    open_entry(client, target, year_period)
    entry = TargetEntry.objects.get()
    response = client.post(entry.get_absolute_url(), {"percent": "66,67", "basis": "3"})
    assert client.post(entry.get_absolute_url(), {"percent": "66,67", "basis": "3,5"}).status_code == 400
    assert response.status_code == 302
    entry.refresh_from_db()
    assert str(entry.percent) == "66.67" and entry.basis == 3


def test_a_qualitative_target_takes_done_partly_or_not_done(client, make_account, plan_2023, year_period):
    target = Target.objects.get(plan=plan_2023, code="3.2")
    client.force_login(make_account("SNV", "editor"))
    open_entry(client, target, year_period)
    entry = TargetEntry.objects.get()
    page = client.get(entry.get_absolute_url()).content.decode()
    assert 'name="qualitative"' in page and 'name="numerator"' not in page
    assert client.post(entry.get_absolute_url(), {"qualitative": "partly"}).status_code == 302
    entry.refresh_from_db()
    assert entry.measure.value == 0.5


def test_the_index_lists_every_target_with_its_responsible_unit(client, make_account, plan_2023):
    client.force_login(make_account("STP", "editor"))
    html = client.get("/targets/").content.decode()
    for code in ("1.1", "1.2", "2.6", "3.1a", "3.1b", "3.2", "3.3", "3.4", "4.1", "5.1b", "6.2"):
        assert f'data-target="{code}"' in html, code
    row = re.search(r'<tr data-target="1\.1".*?</tr>', html, re.S).group(0)
    assert "Sở Tư pháp" in row and row.count('name="period"') == 2  # H1 and Y, whole province
