import datetime as dt

import pytest

from cchc.agencyplans.obligations import due_items
from cchc.agencyplans.services import issuing_units
from cchc.review.services import apply

pytestmark = pytest.mark.django_db


def test_one_obligation_per_department_and_district_done_once_submitted(plan_2023, signed_plan, make_account):
    apply(signed_plan, "submit", make_account("STP", "head"))
    items = {item.key: item for item in due_items(dt.date(2023, 1, 20))}
    assert len(items) == issuing_units(2023).count()
    stp = items["agencyplan:2023:STP"]
    assert stp.kind == "agency_plan" and stp.due == dt.date(2023, 1, 31) and stp.done
    assert stp.url == "/agency-plans/2023/STP/"
    assert not items["agencyplan:2023:593"].done
    assert "agencyplan:2023:TTHCC" not in items


def test_no_obligation_without_a_plan_for_the_year(plan_2023):
    assert due_items(dt.date(2031, 1, 20)) == []


def test_the_deadline_set_on_the_plan_applies(plan_2023):
    plan_2023.agency_plan_deadline = dt.date(2023, 2, 15)
    plan_2023.save()
    assert {item.due for item in due_items(dt.date(2023, 1, 20))} == {dt.date(2023, 2, 15)}
