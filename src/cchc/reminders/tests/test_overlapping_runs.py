"""Two runs at once (cron and a manual run) neither duplicate a notice nor send its e-mail twice."""

import datetime as dt

from django.utils import timezone

from cchc.reminders import services
from cchc.reminders.models import Notice

DUE = dt.date(2023, 3, 10)


def test_a_notice_inserted_by_another_run_meanwhile_is_skipped(plan_2023, make_account, due_item):
    make_account("593", "editor")
    item = due_item("593", "report:2023-Q1", DUE)
    planned = services.plan_notices([item], dt.date(2023, 3, 3))
    new = services.not_yet_notified(planned)  # this run checked: nothing there yet
    assert services.create_notices(services.plan_notices([item], dt.date(2023, 3, 3))) == 1  # the other run inserts
    assert services.create_notices(new) == 0  # no IntegrityError, no second row
    assert Notice.objects.count() == 1


def test_a_notice_being_sent_by_another_run_is_not_sent_again(plan_2023, make_account, due_item):
    make_account("593", "editor")
    services.create_notices(services.plan_notices([due_item("593", "report:2023-Q1", DUE)], dt.date(2023, 3, 3)))
    notice = Notice.objects.get()
    now = timezone.now()
    assert services.claim(notice, now) is True
    assert services.claim(notice, now) is False  # the other run sees the claim
    later = now + services.CLAIM_TIMEOUT + dt.timedelta(seconds=1)
    assert services.claim(notice, later) is True  # a run that died while sending does not block it forever
    Notice.objects.filter(pk=notice.pk).update(emailed_at=later)
    assert services.claim(notice, later + services.CLAIM_TIMEOUT * 2) is False  # sent: never again
