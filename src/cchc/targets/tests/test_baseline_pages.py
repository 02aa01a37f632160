"""Sở Nội vụ records a baseline with its source document; the page shows the reduction and the remaining path."""

from auditlog.models import LogEntry

from cchc.dashboard.tests.data import accepted_report
from cchc.plans.models import Target
from cchc.targets.models import Baseline
from cchc.units.models import Unit


def test_an_administrator_records_the_baseline_and_sees_the_path(plan_2023, client, make_account):
    target = Target.objects.get(plan=plan_2023, code="3.1b")
    url = f"/targets/{target.pk}/baseline/"
    client.force_login(make_account("STP", "head"))
    assert client.get(url).status_code == 403

    client.force_login(make_account("SNV", "administrator"))
    response = client.post(url, {"year": "2021", "value": "1.000", "source_document": "QĐ 3210/QĐ-UBND", "note": ""})
    baseline = Baseline.objects.get()
    assert response.status_code == 302 and baseline.value == 1000  # "1.000" in Vietnamese format
    assert LogEntry.objects.get_for_object(baseline).get().actor.username == "administrator-snv"

    accepted_report(Unit.objects.get(code="SNV"), "Y", {"psu_staff": 600})
    accepted_report(Unit.objects.get(code="594"), "Y", {"psu_staff": 340})
    html = client.get(baseline.get_absolute_url()).content.decode()
    # 1,000 in 2021, 600 + 340 = 940 now: 6 % fewer; at most 900 by 2025, 40 more to go.
    assert "6,0%" in html.split('id="reduction"')[1][:60]
    assert "40" in html.split('id="remaining"')[1][:20]
    client.post(url, {"year": "2021", "value": "1010", "source_document": "QĐ 3210/QĐ-UBND", "note": "sửa"})
    assert Baseline.objects.get().value == 1010 and LogEntry.objects.get_for_object(baseline).count() == 2
