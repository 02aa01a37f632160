"""After the demo, every one of the plan's 27 targets has a source and a value for the whole province as of
1/3/2024, through the real paths (entries reviewed with evidence, surveys imported, baselines recorded)."""

import json
import re
from io import StringIO

import pytest
from django.core.management import call_command

from cchc.targets.models import EntryEvidence, Survey, TargetEntry

pytestmark = pytest.mark.django_db(transaction=False)


def test_every_target_has_a_value_after_the_demo(client, settings, tmp_path, make_account):
    settings.DATA_DIR = tmp_path
    call_command("demo", no_serve=True, dossiers=3000, stdout=StringIO())
    out = StringIO()
    call_command("targets", year=2023, as_of="2024-03-01", format="json", stdout=out)
    province = [row for row in json.loads(out.getvalue()) if row["level"] == "all"]
    assert len(province) == 27
    assert [r["code"] for r in province if r["value"] is None or r["source"] == "none"] == []
    assert {r["source"] for r in province} == {
        "dossiers",
        "catalogue",
        "reports",
        "agency_plans",
        "survey",
        "baseline",
        "entered",
    }
    assert set(TargetEntry.objects.values_list("status", flat=True)) == {"accepted"}
    assert EntryEvidence.objects.count() == TargetEntry.objects.count() == 12
    assert Survey.objects.count() == 3

    client.force_login(make_account("VPUBND", "leader", username="lanhdao-kiemtra"))
    html = client.get("/dashboard/", {"period": "2023"}).content.decode()
    rows = re.findall(r'<tr data-target="([^"]+)">(.*?)</tr>', html, re.S)
    assert len(rows) == 27
    for code, row in rows:
        assert re.search(r'class="figure" href="/[^"]+" data-source="\w+"', row), f"{code} shows no value"
