"""The account's own notices: unread first, marked read by a POST (htmx or not), nobody else's."""

from django.db import IntegrityError
from django.urls import reverse

from cchc.reminders.models import Notice
from cchc.reminders.tests.factories import notice
from cchc.units.models import Unit


def test_the_list_shows_own_notices_unread_first(plan_2023, make_account, client):
    editor = make_account("593", "editor")
    other = make_account("594", "editor")
    unit, other_unit = Unit.objects.get(code="593"), Unit.objects.get(code="594")
    read = notice(editor, unit, key="report:2023-Q1", read=True)
    unread = notice(editor, unit, key="report:2023-Q2")
    notice(other, other_unit, key="report:2023-Q3")
    client.force_login(editor)
    response = client.get(reverse("reminders:notices"))
    assert response.status_code == 200
    assert [n.pk for n in response.context["notices"]] == [unread.pk, read.pk]
    html = response.content.decode()
    # the other account's notice by its title ("Q3" alone also turns up inside the page's random CSRF token)
    assert "Báo cáo report:2023-Q2" in html and "Báo cáo report:2023-Q3" not in html
    assert "1 thông báo chưa đọc" in html


def test_mark_read_by_post_and_by_htmx(plan_2023, make_account, client):
    editor = make_account("593", "editor")
    unit = Unit.objects.get(code="593")
    first, second = notice(editor, unit, key="a"), notice(editor, unit, key="b")
    client.force_login(editor)
    url = reverse("reminders:mark-read", args=[first.pk])
    assert client.get(url).status_code == 405  # reading a page never changes anything
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("reminders:notices")
    response = client.post(reverse("reminders:mark-read", args=[second.pk]), headers={"HX-Request": "true"})
    assert response.status_code == 200 and f'id="notice-{second.pk}"' in response.content.decode()
    assert not Notice.objects.filter(read_at__isnull=True).exists()


def test_mark_all_read(plan_2023, make_account, client):
    editor = make_account("593", "editor")
    other = make_account("594", "editor")
    unit = Unit.objects.get(code="593")
    notice(editor, unit, key="a"), notice(editor, unit, key="b")
    others = notice(other, Unit.objects.get(code="594"), key="c")
    client.force_login(editor)
    client.post(reverse("reminders:mark-all-read"))
    assert not Notice.objects.filter(user=editor, read_at__isnull=True).exists()
    others.refresh_from_db()
    assert others.read_at is None


def test_another_accounts_notice_is_a_404(plan_2023, make_account, client):
    editor = make_account("593", "editor")
    other = make_account("594", "editor")
    theirs = notice(other, Unit.objects.get(code="594"))
    client.force_login(editor)
    assert client.post(reverse("reminders:mark-read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_anonymous_is_sent_to_the_login(client, db):
    for name in ("reminders:notices", "reminders:owed"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.post(reverse("reminders:mark-all-read")).status_code == 302


def test_csrf_is_required_to_mark_read(plan_2023, make_account, client):
    from django.test import Client

    editor = make_account("593", "editor")
    mine = notice(editor, Unit.objects.get(code="593"))
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    assert strict.post(reverse("reminders:mark-read", args=[mine.pk])).status_code == 403


def test_the_same_event_cannot_be_stored_twice_for_a_person(plan_2023, make_account):
    import pytest

    editor = make_account("593", "editor")
    unit = Unit.objects.get(code="593")
    notice(editor, unit)
    with pytest.raises(IntegrityError):
        notice(editor, unit)


def test_unread_count_for_the_navigation(plan_2023, make_account, rf):
    from django.contrib.auth.models import AnonymousUser
    from django.template import Context, Template

    from cchc.reminders.context_processors import unread_notices

    editor = make_account("593", "editor")
    unit = Unit.objects.get(code="593")
    notice(editor, unit, key="a"), notice(editor, unit, key="b"), notice(editor, unit, key="c", read=True)
    request = rf.get("/")
    request.user = editor
    html = Template('{% include "reminders/_nav.html" %}').render(Context(unread_notices(request)))
    assert ">2</span>" in html and reverse("reminders:notices") in html
    request.user = AnonymousUser()
    assert unread_notices(request) == {"unread_notice_count": 0}


def test_the_owed_page_looks_back_at_a_past_day(plan_2023, make_account, client):
    """As of 24/01/2023 Phan Thiết still owed its agency plan (due 31/01); a malformed day falls back to today."""
    client.force_login(make_account("593", "editor"))
    html = client.get("/reminders/owed/", {"on": "2023-01-24"}).content.decode()
    assert "24/01/2023" in html and "31/01/2023" in html
    assert client.get("/reminders/owed/", {"on": "2023-13-40"}).status_code == 200
