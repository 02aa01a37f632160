"""Issue 13 (Medium): API tokens expire, are revoked when the password changes, and changes made with a token (and
to tokens) are logged with their author; self-service password change and reset by e-mail, in Vietnamese."""

import datetime as dt
import re

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from cchc.accounts.models import ApiToken
from cchc.plans.models import Task
from cchc.progress.models import TaskProgress
from cchc.units.models import Unit

pytestmark = pytest.mark.django_db


def token_client(key: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def test_a_change_made_with_a_token_is_logged_with_its_author(plan_2023, make_account):
    user = make_account("593", "editor")
    task = Task.objects.filter(plan=plan_2023, agencies__code="593").first() or Task.objects.first()
    progress = TaskProgress.objects.create(task=task, unit=Unit.objects.get(code="593"))
    _token, key = ApiToken.issue(user)
    response = token_client(key).patch(f"/api/task-progress/{progress.pk}/", {"status": "in_progress"}, format="json")
    assert response.status_code == 200, response.content
    entry = LogEntry.objects.get_for_object(progress).filter(action=LogEntry.Action.UPDATE).latest("timestamp")
    assert entry.actor == user


def test_token_creation_and_revocation_are_audited_with_the_author(plan_2023, make_account, client):
    user = make_account("593", "editor")
    client.force_login(user)
    client.post(reverse("account"), {"name": "một cửa"})
    token = ApiToken.objects.get(user=user)
    client.post(reverse("account"), {"revoke": token.pk})
    entries = LogEntry.objects.filter(content_type__model="apitoken", object_id=token.pk).order_by("timestamp")
    assert [e.action for e in entries] == [LogEntry.Action.CREATE, LogEntry.Action.DELETE]
    assert all(e.actor == user for e in entries)
    assert "digest" not in (entries[0].changes or {}), "the key's digest is not copied into the log"


def test_a_token_expires(plan_2023, make_account, settings):
    settings.CCHC_API_TOKEN_DAYS = 30
    token, key = ApiToken.issue(make_account("593", "editor"))
    assert token.expires_at - timezone.now() > dt.timedelta(days=29)
    assert token_client(key).get("/api/plans/").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert token_client(key).get("/api/plans/").status_code == 401


def test_changing_the_password_revokes_every_token(plan_2023, make_account, client):
    user = make_account("593", "editor")
    keys = [ApiToken.issue(user)[1] for _ in range(2)]
    client.force_login(user)
    page = client.get(reverse("password_change"))
    assert page.status_code == 200 and "Đổi mật khẩu" in page.text
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "editor-593-pass-2023",
            "new_password1": "Mat-khau-moi-2023!",
            "new_password2": "Mat-khau-moi-2023!",
        },
    )
    assert response.status_code == 302
    assert all(token_client(key).get("/api/plans/").status_code == 401 for key in keys)
    assert not ApiToken.objects.filter(user=user).exists()


def test_a_forgotten_password_is_reset_by_e_mail(plan_2023, make_account, client, settings):
    user = make_account("593", "editor", email="bientap@phanthiet.vn")
    page = client.get(reverse("password_reset"))
    assert page.status_code == 200 and "Quên mật khẩu" in page.text
    assert client.post(reverse("password_reset"), {"email": "bientap@phanthiet.vn"}).status_code == 302
    assert len(mail.outbox) == 1 and "mật khẩu" in mail.outbox[0].subject
    link = re.search(r"https?://\S+/password/reset/\S+/", mail.outbox[0].body).group(0)
    form = client.get(link.replace(settings.CCHC_SITE_URL, ""), follow=True)
    assert form.context["validlink"]
    new = {"new_password1": "Quen-roi-2023!", "new_password2": "Quen-roi-2023!"}
    assert client.post(form.redirect_chain[-1][0], new).status_code == 302
    user.refresh_from_db()
    assert user.check_password("Quen-roi-2023!")
