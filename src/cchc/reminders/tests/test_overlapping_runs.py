"""Two runs at once (cron and a manual run) neither duplicate a notice nor send its e-mail twice."""

import datetime as dt

from django.utils import timezone

from cchc.reminders import service
from cchc.reminders.models import Notice

DUE = dt.date(2023, 3, 10)


def test_a_notice_inserted_by_another_run_meanwhile_is_skipped(plan_2023, make_account, due_item):
    make_account("593", "editor")
    item = due_item("593", "report:2023-Q1", DUE)
    planned = service.plan_notices([item], dt.date(2023, 3, 3))
    new = service.not_yet_notified(planned)  # this run checked: nothing there yet
    assert service.create_notices(service.plan_notices([item], dt.date(2023, 3, 3))) == 1  # the other run inserts
    assert service.create_notices(new) == 0  # no IntegrityError, no second row
    assert Notice.objects.count() == 1


def test_a_notice_being_sent_by_another_run_is_not_sent_again(plan_2023, make_account, due_item):
    make_account("593", "editor")
    service.create_notices(service.plan_notices([due_item("593", "report:2023-Q1", DUE)], dt.date(2023, 3, 3)))
    notice = Notice.objects.get()
    now = timezone.now()
    assert service.claim(notice, now) is True
    assert service.claim(notice, now) is False  # the other run sees the claim
    later = now + service.CLAIM_TIMEOUT + dt.timedelta(seconds=1)
    assert service.claim(notice, later) is True  # a run that died while sending does not block it forever
    Notice.objects.filter(pk=notice.pk).update(emailed_at=later)
    assert service.claim(notice, later + service.CLAIM_TIMEOUT * 2) is False  # sent: never again
