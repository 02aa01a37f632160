"""The README's main command (`cchc demo --no-serve`) prepares a database a newcomer can log into as each kind of
user, where every one of the plan's 27 targets has a source and a value for the whole province as of 1/3/2024,
through the real paths (entries reviewed with evidence, surveys imported, baselines recorded).

The demo takes a while, so it runs once for the package (with 3,000 synthetic dossiers: conftest.py) inside a
transaction that is rolled back at the end; each test reads the database it left (test_demo_workflow.py and
test_demo_scoring.py read the same run).
"""

import json
import re
from io import StringIO

import pytest
from django.core.management import call_command

from cchc.accounts.models import Membership, Role
from cchc.targets.models import EntryEvidence, Survey, TargetEntry


@pytest.fixture(scope="module")
def demo_output(demo_run):
    """What `cchc demo --no-serve --dossiers 3000` printed (run once for the package: conftest.py)."""
    return demo_run.output


def test_the_demo_prepares_one_account_per_role_with_the_printed_password(demo_output, db, client, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    password = demo_output.split("password: ")[1].split()[0]
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    response = client.post("/login/", {"username": "phanthiet.bientap", "password": password})
    assert response.status_code == 302
    assert Membership.objects.get(user__username="muine.lanhdao").unit.code == "22915"
    call_command("demo", no_serve=True, dossiers=0, stdout=StringIO())  # a second run only resets passwords
    assert Membership.objects.count() == len(set(Membership.objects.values_list("user", flat=True)))


def test_every_target_has_a_value_after_the_demo(demo_output, db, client, make_account):
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
