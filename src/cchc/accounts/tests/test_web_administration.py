"""Administration in the web: accounts from an uploaded CSV (all or nothing, errors by row and field, one-time
password links), report periods of a new year from a page, unit pickers grouped by parent and dated, and no
command-line instructions shown to accounts that cannot run them."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from cchc.accounts.forms import AccountForm
from cchc.accounts.models import Membership
from cchc.reports.models import ReportPeriod
from cchc.units.models import Unit

IMPORT = reverse("accounts:import")
GOOD = """username,email,unit,role
bientap.593,bt593@binhthuan.gov.vn,593,editor
truong.593,,593,head
"""


def upload(client, text, name="accounts.csv"):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, text.encode("utf-8"), "text/csv")})


@pytest.fixture
def admin_client(client, make_account, plan_2023):
    client.force_login(make_account("SNV", "administrator"))
    return client


def test_a_bad_file_names_row_and_field_and_writes_nothing(admin_client):
    bad = GOOD + "x y,not-an-email,999999,boss\n"
    response = upload(admin_client, bad)
    html = response.content.decode()
    assert response.status_code == 200
    assert "dòng 4, cột username" in html and "dòng 4, cột email: &#x27;not-an-email&#x27;" in html
    assert "dòng 4, cột unit: không có đơn vị hiện hành nào mang mã &#x27;999999&#x27;" in html
    assert "dòng 4, cột role" in html and "chưa ghi gì" in html
    assert not get_user_model().objects.filter(username__in=["bientap.593", "truong.593"]).exists()


def test_a_good_file_creates_the_accounts_and_hands_over_passwords_safely(admin_client):
    response = upload(admin_client, GOOD)
    html = response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert "Đã tạo 2, cập nhật 0, giữ nguyên 0 tài khoản." in html
    memberships = {m.user.username: (m.unit.code, m.role) for m in Membership.objects.select_related("user", "unit")}
    assert memberships["bientap.593"] == ("593", "editor") and memberships["truong.593"] == ("593", "head")
    assert not get_user_model().objects.get(username="truong.593").has_usable_password()
    # the account with an address gets its link by e-mail; the one without gets it shown here, once
    assert [m.to for m in mail.outbox] == [["bt593@binhthuan.gov.vn"]]
    row = html[html.index('data-username="truong.593"') :].split("</tr>")[0]
    user = get_user_model().objects.get(username="truong.593")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    assert f"{settings.CCHC_SITE_URL}{reverse('password_reset_confirm', args=[uid, 'x'])[:-2]}" in row
    assert "đã gửi qua e-mail" in html[html.index('data-username="bientap.593"') :].split("</tr>")[0]
    again = upload(admin_client, GOOD).content.decode()
    assert "Đã tạo 0, cập nhật 0, giữ nguyên 2 tài khoản." in again


def test_only_the_administrator_uploads_accounts(client, make_account, plan_2023):
    client.force_login(make_account("593", "head"))
    assert client.get(IMPORT).status_code == 403
    assert upload(client, GOOD).status_code == 403
    assert not Membership.objects.filter(user__username="bientap.593").exists()


def test_the_administrator_creates_the_report_periods_of_a_new_year(admin_client):
    response = admin_client.post(reverse("reports:periods-create"), {"year": "2027"})
    assert response.status_code == 302 and response["Location"].endswith("?year=2027")
    periods = {p.kind: p for p in ReportPeriod.objects.filter(year=2027)}
    assert sorted(periods) == ["H1", "Q1", "Q3", "Y"]
    assert (periods["Q1"].data_from, periods["Q1"].data_to) == (dt.date(2026, 12, 15), dt.date(2027, 3, 14))
    page = admin_client.get(response["Location"]).content.decode()
    assert "Kỳ báo cáo năm 2027: đã tạo 4, đã có sẵn 0." in page
    admin_client.post(reverse("reports:periods-create"), {"year": "2027"})
    assert ReportPeriod.objects.filter(year=2027).count() == 4  # kept, not doubled
    admin_client.post(reverse("reports:periods-create"), {"year": "20x7"})
    assert (
        "Năm: 20x7 không phải năm trong khoảng 2000–2100."
        in admin_client.get(reverse("reports:index")).content.decode()
    )


def test_others_may_not_create_periods_and_see_no_command_to_run(client, make_account, plan_2023):
    client.force_login(make_account("593", "editor"))
    assert client.post(reverse("reports:periods-create"), {"year": "2027"}).status_code == 403
    assert not ReportPeriod.objects.filter(year=2027).exists()
    html = client.get(reverse("reports:index"), {"year": "2031"}).content.decode()
    assert "Chưa có kỳ báo cáo của năm 2031." in html and "Sở Nội vụ sẽ tạo các kỳ báo cáo." in html
    assert "cchc " not in html and "manage.py" not in html and 'id="create-periods"' not in html


def test_the_administrator_sees_the_form_instead_of_a_command(admin_client):
    html = admin_client.get(reverse("reports:index"), {"year": "2031"}).content.decode()
    assert 'id="create-periods"' in html and "cchc create_report_periods" not in html
    accounts = admin_client.get(reverse("accounts:list")).content.decode()
    assert "cchc import_accounts" not in accounts and IMPORT in accounts


def test_the_unit_picker_lists_the_units_valid_now_grouped_by_parent(plan_2023):
    field = AccountForm().fields["unit"]
    groups = [choice for choice in field.choices if isinstance(choice[1], list)]
    labels = [label for label, _options in groups]
    current = set(Unit.objects.current().values_list("pk", flat=True))
    listed = [option[0].value for _label, options in groups for option in options]
    assert set(listed) == current and len(listed) == len(current)  # dated: no unit that has ended
    assert len(labels) == len(set(labels)) and len(labels) > 1
    html = AccountForm().as_p()
    assert "<optgroup" in html and "data-unit-picker" in html
    for label, options in groups:
        parents = {Unit.objects.get(pk=option[0].value).parent_id for option in options}
        assert len(parents) == 1, label  # every option of a group has the same parent
