"""An entered target is owed by its responsible unit for each due report period: on the "what is owed" page and in
the reminders, until it is submitted."""

import datetime as dt

from cchc.reminders.obligations import due_items
from cchc.reports.models import ReportPeriod
from cchc.targets.tests.data import entry
from cchc.units.models import Unit


def test_the_responsible_unit_owes_each_due_period_and_level(plan_2023):
    year = ReportPeriod.objects.get(year=2023, kind="Y")
    stp = Unit.objects.get(code="STP")
    on = year.due_department
    items = [i for i in due_items(on) if i.kind == "target_value"]
    keys = {i.key for i in items}
    assert "target:2023-Y:1.1:all" in keys and "target:2023-H1:1.1:all" in keys
    assert {"target:2023-Y:4.1:all", "target:2023-Y:4.1:P", "target:2023-Y:4.1:D", "target:2023-Y:4.1:C"} <= keys
    # Surveys, baselines and computed targets are not owed as entries.
    assert not any(":3.3:" in k or ":2.1:" in k or ":3.1a:" in k for k in keys)
    owed = next(i for i in items if i.key == "target:2023-Y:1.1:all")
    assert owed.unit_id == stp.pk and owed.due == year.due_for(stp) and not owed.done
    assert owed.title == "Số liệu chỉ tiêu 1.1, Báo cáo CCHC Năm/2023"

    entry(plan_2023, "1.1", status="submitted", numerator=1, denominator=1)
    again = {i.key: i for i in due_items(on)}
    assert again["target:2023-Y:1.1:all"].done
    assert again["target:2023-Y:1.1:all"].url.startswith("/targets/entries/")
    # Not within the horizon yet in the spring: only what is due within 14 days or late is listed.
    assert not [i for i in due_items(dt.date(2023, 3, 1)) if i.kind == "target_value"]


def test_the_owed_page_lists_it_for_the_unit(plan_2023, client, make_account):
    year = ReportPeriod.objects.get(year=2023, kind="Y")
    client.force_login(make_account("STP", "editor"))
    html = client.get("/reminders/owed/", {"on": year.due_department.isoformat()}).content.decode()
    assert "Số liệu chỉ tiêu 1.1, Báo cáo CCHC Năm/2023" in html
    assert "Số liệu chỉ tiêu 2.6" not in html  # Văn phòng UBND's, not Sở Tư pháp's
