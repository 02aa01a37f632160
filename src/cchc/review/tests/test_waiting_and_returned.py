"""Who sees a returned item (its unit and its reviewers, nobody else) and what waits for whom: the head what was
handed to it, the reviewer what was submitted to it and what it returned, the unit what came back returned — for
communes, their district's officer, not Sở Nội vụ."""

import pytest
from django.utils import timezone

from cchc import waiting
from cchc.reports.models import Report
from cchc.reports.tests.conftest import complete_report, periods_2023, q1  # noqa: F401 - fixtures
from cchc.review import services

pytestmark = pytest.mark.django_db


def actions(user) -> dict[str, str]:
    return {w.url: w.action for w in waiting.waiting_for(user, timezone.localdate())}


@pytest.fixture
def commune_report(q1, make_account):  # noqa: F811
    # 22915 (phường Mũi Né) is a commune of 593 (TP Phan Thiết) in 2023.
    report = complete_report("22915", q1, figures={})
    people = {
        "editor": make_account("22915", "editor"),
        "head": make_account("22915", "head"),
        "officer": make_account("593", "district_officer"),
        "snv": make_account("SNV", "administrator"),
        "leader": make_account("VPUBND", "leader"),
        "neighbour": make_account("594", "district_officer"),
    }
    return report, people


def test_a_returned_item_stays_visible_to_its_reviewers_only(commune_report):
    report, people = commune_report
    report.status = "submitted"
    report.save()
    services.apply(report, "return", people["officer"], "Thiếu số liệu.")
    visible = {key: Report.objects.restrict(user).filter(pk=report.pk).exists() for key, user in people.items()}
    assert visible == {
        "editor": True,
        "head": True,
        "officer": True,  # its reviewer
        "snv": True,  # Sở Nội vụ reviews every unit
        "leader": False,  # returned: still the unit's work, not the province's record
        "neighbour": False,  # another district's officer
    }
    from cchc.accounts import access

    assert access.may(people["officer"], "view", report) and not access.may(people["leader"], "view", report)
    assert not access.may(people["officer"], "review", report), "visible, but nothing to accept until resubmitted"


def test_what_waits_for_whom_along_the_journey(commune_report):
    report, people = commune_report
    url = report.get_absolute_url()
    services.apply(report, "hand", people["editor"])
    assert actions(people["head"]).get(url) == "sign"
    assert url not in actions(people["officer"])

    services.apply(report, "submit", people["head"])
    assert url not in actions(people["head"])
    assert actions(people["officer"]).get(url) == "review"
    assert url not in actions(people["snv"]), "a commune of a district is reviewed by the district's officer"
    assert url not in actions(people["neighbour"])

    services.apply(report, "return", people["officer"], "Bổ sung.")
    assert actions(people["editor"]).get(url) == "correct"
    assert actions(people["head"]).get(url) == "correct"
    assert actions(people["officer"]).get(url) == "follow"
    assert url not in actions(people["leader"])

    services.apply(report, "hand", people["editor"])
    assert actions(people["head"]).get(url) == "sign"
    assert url not in actions(people["editor"])
    services.apply(report, "submit", people["head"])
    services.apply(report, "accept", people["officer"])
    assert all(url not in actions(user) for user in people.values())


def test_the_head_hands_nothing_over_and_a_leader_nothing_at_all(commune_report):
    from django.core.exceptions import PermissionDenied

    report, people = commune_report
    for who in ("head", "leader", "officer"):
        with pytest.raises(PermissionDenied):
            services.apply(report, "hand", people[who])
    report.refresh_from_db()
    assert report.prepared_at is None and report.shown_status == "draft"
    services.apply(report, "hand", people["editor"])
    report.refresh_from_db()
    assert report.shown_status == "handed" and report.get_shown_status_display() == "Chờ lãnh đạo ký"
