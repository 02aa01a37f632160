"""Issue 13 (High): an administrator cannot act on an account above its role (a superuser), and no administrator
sets or knows a unit account's password: the owner sets it through a one-time link."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from cchc.accounts.models import Membership
from cchc.units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_membership(plan_2023, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.vn", "root-pass-2023")
    return Membership.objects.create(user=root, unit=Unit.objects.get(code="SNV"), role="administrator")


def test_an_administrator_cannot_edit_or_reset_a_superuser(superuser_membership, make_account, client):
    client.force_login(make_account("SNV", "administrator"))
    edit = reverse("accounts:edit", args=[superuser_membership.pk])
    assert client.get(edit).status_code == 403
    data = {"username": "root", "email": "attacker@example.vn", "unit": superuser_membership.unit_id}
    assert client.post(edit, {**data, "role": "administrator", "password": "Taken-over-2023"}).status_code == 403
    assert client.post(reverse("accounts:password-link", args=[superuser_membership.pk])).status_code == 403
    superuser_membership.user.refresh_from_db()
    assert superuser_membership.user.check_password("root-pass-2023")
    assert superuser_membership.user.email == "root@example.vn"
    assert mail.outbox == []


def test_the_form_has_no_password_a_posted_one_is_ignored(plan_2023, make_account, client):
    client.force_login(make_account("SNV", "administrator"))
    target = Membership.objects.get(user=make_account("593", "editor"))
    edit = reverse("accounts:edit", args=[target.pk])
    assert 'type="password"' not in client.get(edit).content.decode()
    data = {"username": target.user.username, "email": target.user.email, "unit": target.unit_id, "role": "editor"}
    assert client.post(edit, {**data, "is_active": "on", "password": "Known-by-admin-2023"}).status_code == 302
    target.user.refresh_from_db()
    assert not target.user.check_password("Known-by-admin-2023")


def test_the_owner_sets_the_password_through_a_one_time_link(plan_2023, make_account, client, settings):
    client.force_login(make_account("SNV", "administrator"))
    data = {"username": "muine.ketoan", "email": "kt@muine.vn", "unit": Unit.objects.get(code="22915").pk}
    assert client.post(reverse("accounts:create"), {**data, "role": "editor", "is_active": "on"}).status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["kt@muine.vn"]
    link = re.search(r"https?://\S+/password/reset/\S+/", mail.outbox[0].body).group(0)
    path = link.replace(settings.CCHC_SITE_URL, "")
    client.logout()
    form = client.get(path, follow=True)
    assert form.status_code == 200 and form.context["validlink"]
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": "Owner-chose-2023!", "new_password2": "Owner-chose-2023!"}
    )
    assert done.status_code == 302
    user = Membership.objects.get(user__username="muine.ketoan").user
    assert user.check_password("Owner-chose-2023!")
    again = client.get(path, follow=True)
    assert not again.context["validlink"], "the link works once"
