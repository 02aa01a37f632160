"""The daily job on the real deadlines of 2023 (the agency plan due 31/01, the Q1 reports, the tasks), e-mailed
through a local SMTP server: one message per due item, event and person, never a second one."""

import datetime as dt
from collections import Counter

import pytest

from cchc.agencyplans.models import AgencyPlan
from cchc.reminders.models import Notice
from cchc.reminders.obligations import due_items
from cchc.reminders.tests.test_send_reminders_smtp import send, smtp  # noqa: F401 (the SMTP server fixture)
from cchc.units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(plan_2023, make_account):
    return [make_account("593", "editor"), make_account("593", "head"), make_account("22915", "editor")]


def test_every_real_obligation_is_emailed_once_per_event_and_person(people, smtp):  # noqa: F811
    days = (
        "2023-01-24",
        "2023-01-24",
        "2023-01-30",
        "2023-02-01",
        "2023-03-08",
        "2023-03-08",
        "2023-03-10",
        "2023-03-14",
    )
    for day in days:
        send(dt.date.fromisoformat(day))
    sent = Counter((recipient, subject) for recipient, subject, _body in smtp.messages)
    assert sent and max(sent.values()) == 1, "a reminder went out twice"
    assert Notice.objects.filter(emailed_at__isnull=False).count() == len(smtp.messages)
    # The agency plan of Phan Thiết: a week before, the day before, then late — to its editor and its head.
    plan_notices = Notice.objects.filter(item_key="agencyplan:2023:593")
    assert sorted(plan_notices.values_list("event", flat=True)) == sorted(["upcoming", "imminent", "overdue"] * 2)
    # The Q1 report: the commune's deadline is 15/03 (a week before on 08/03, the day before on 14/03), the
    # district's 17/03 (a week before on 10/03) — nobody is due before the data cut-off of 14/03.
    q1 = Counter(Notice.objects.filter(item_key__startswith="report:2023-Q1").values_list("item_key", "event"))
    assert q1 == {
        ("report:2023-Q1:593", "upcoming"): 2,
        ("report:2023-Q1:22915", "upcoming"): 1,
        ("report:2023-Q1:22915", "imminent"): 1,
    }
    # Only the units that have accounts are reminded; the others are counted, not e-mailed.
    assert set(Notice.objects.values_list("unit__code", flat=True)) <= {"593", "22915"}


def test_a_submitted_plan_is_no_longer_owed_or_reminded(people, smtp, plan_2023):  # noqa: F811
    unit = Unit.objects.get(code="593")
    AgencyPlan.objects.create(plan=plan_2023, unit=unit, status="submitted")
    owed = {item.key: item for item in due_items(dt.date(2023, 1, 24))}
    assert owed["agencyplan:2023:593"].done and not owed["agencyplan:2023:594"].done
    send(dt.date(2023, 1, 30))
    assert not Notice.objects.filter(item_key="agencyplan:2023:593").exists()
