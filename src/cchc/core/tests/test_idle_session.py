"""Issue 13 (Low): a session ends after SESSION_IDLE_MINUTES without a request; activity pushes the end on (at most
one session write a minute), and the public page never touches the session."""

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from cchc.core.middleware import IdleSessionMiddleware

pytestmark = pytest.mark.django_db


def stored(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_activity_pushes_the_end_on_and_idleness_logs_out(plan_2023, make_account, client, settings):
    assert settings.SESSION_COOKIE_AGE == 60 * 60
    client.force_login(make_account("593", "editor"))
    session = client.session
    session[IdleSessionMiddleware.KEY] = 0  # last activity long ago
    session.save()
    Session.objects.filter(session_key=session.session_key).update(expire_date=timezone.now() + dt.timedelta(minutes=5))
    assert client.get("/account/").status_code == 200
    assert stored(client).expire_date > timezone.now() + dt.timedelta(minutes=59), "pushed on by the request"
    Session.objects.filter(session_key=session.session_key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get("/account/")
    assert response.status_code == 302 and "/login/" in response["Location"]
