"""Every step of the workflow tells the people concerned, in the app and by e-mail, once per step: the head when a
report is handed to it, Sở Nội vụ when it is submitted, the unit when it is returned (with the comment) or accepted.
The person who took the step is not told, and every notice names people by full name and title."""

import pytest
from django.core import mail

from cchc.reminders.models import Notice
from cchc.reminders.steps import notify
from cchc.reports import services as reports
from cchc.reports.tests.conftest import complete_report, periods_2023, q1  # noqa: F401 - fixtures
from cchc.review.models import ReviewEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_account):
    from cchc.accounts.models import Membership

    accounts = {
        "editor": make_account("593", "editor", email="bientap@phanthiet.vn"),
        "head": make_account("593", "head", email="lanhdao@phanthiet.vn"),
        "snv": make_account("SNV", "administrator", email="cchc@snv.vn"),
        "other": make_account("594", "editor", email="bientap@lagi.vn"),
    }
    names = {
        "editor": ("Phạm Thị Thu Hà", "Chuyên viên Phòng Nội vụ"),
        "head": ("Võ Minh Tuấn", "Chủ tịch UBND thành phố"),
        "snv": ("Trần Thị Minh Thư", "Phó Trưởng phòng CCHC"),
    }
    for key, (full_name, title) in names.items():
        Membership.objects.filter(user=accounts[key]).update(full_name=full_name, title=title)
    return accounts


def notices_of(user):
    return list(Notice.objects.filter(user=user).order_by("created_at", "pk"))


def test_each_step_tells_the_next_person_once(q1, people, django_capture_on_commit_callbacks):  # noqa: F811
    report = complete_report("593", q1)
    with django_capture_on_commit_callbacks(execute=True):
        reports.send_to_head(people["editor"], report)
    [handed] = notices_of(people["head"])
    assert handed.event == "step_hand" and handed.url == report.get_absolute_url()
    assert "Phạm Thị Thu Hà (Chuyên viên Phòng Nội vụ" in handed.message and "ký và gửi" in handed.message
    assert notices_of(people["editor"]) == [], "the one who took the step is not told"
    assert [m.to for m in mail.outbox] == [["lanhdao@phanthiet.vn"]]
    assert "Võ Minh Tuấn" in mail.outbox[0].body  # addressed by name, not username

    with django_capture_on_commit_callbacks(execute=True):
        reports.act(people["head"], report, "submit")
    [submitted] = notices_of(people["snv"])
    assert submitted.event == "step_submit" and "Võ Minh Tuấn" in submitted.message

    with django_capture_on_commit_callbacks(execute=True):
        reports.act(people["snv"], report, "return", "Bổ sung số liệu thanh tra.")
    for key in ("editor", "head"):
        returned = notices_of(people[key])[-1]
        assert returned.event == "step_return" and "Bổ sung số liệu thanh tra." in returned.message
    assert any("Bổ sung số liệu thanh tra." in m.body for m in mail.outbox if m.to == ["bientap@phanthiet.vn"])

    with django_capture_on_commit_callbacks(execute=True):
        reports.send_to_head(people["editor"], report)
        reports.act(people["head"], report, "submit")
        reports.act(people["snv"], report, "accept")
    assert [n.event for n in notices_of(people["editor"])] == ["step_return", "step_accept"]
    assert [n.event for n in notices_of(people["head"])] == ["step_hand", "step_return", "step_hand", "step_accept"]
    assert [n.event for n in notices_of(people["snv"])] == ["step_submit", "step_submit"]
    assert notices_of(people["other"]) == [], "another unit hears nothing"

    # Once per event: the same step told again adds nothing and sends nothing.
    sent = len(mail.outbox)
    event = ReviewEvent.objects.filter(object_id=report.pk, action="accept").get()
    with django_capture_on_commit_callbacks(execute=True):
        notify(report, event)
    assert Notice.objects.filter(event_key=f"review:{event.pk}").count() == 2
    assert len(mail.outbox) == sent


def test_a_step_rolled_back_tells_nobody(q1, people, django_capture_on_commit_callbacks):  # noqa: F811
    from django.db import transaction

    report = complete_report("593", q1)
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                reports.send_to_head(people["editor"], report)
                raise RuntimeError("the request failed after the step")
        except RuntimeError:
            pass
    assert not Notice.objects.exists() and mail.outbox == []


def test_an_account_that_wants_no_e_mail_gets_the_notice_only(q1, people, django_capture_on_commit_callbacks):  # noqa: F811
    from cchc.accounts.models import Membership

    Membership.objects.filter(user=people["head"]).update(email_reminders=False)
    report = complete_report("593", q1)
    with django_capture_on_commit_callbacks(execute=True):
        reports.send_to_head(people["editor"], report)
    assert len(notices_of(people["head"])) == 1 and mail.outbox == []
