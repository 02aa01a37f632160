"""An administrator adds a later event (e.g. a 2026 merger) from a file, with its legal basis; audited."""

import datetime as dt
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command

from cchc.units.exports import units_on
from cchc.units.models import Unit, UnitEvent

GOOD = """
events:
  - date: 2026-03-01
    kind: merge
    basis: "Nghị quyết số 01/2026 (ví dụ)"
    from: ["22918", "22924"]
    to:
      - {code: "22918", name: "Phường Mũi Né - Phú Thủy", type: "phường"}
"""


def test_a_2026_merger_from_a_file_closes_the_predecessors_and_opens_the_successor(units_2026, tmp_path, admin_user):
    path = tmp_path / "events.yaml"
    path.write_text(GOOD, encoding="utf-8")
    out = StringIO()
    call_command("import_unit_events", str(path), "--user", admin_user.username, stdout=out)
    assert "1 event(s) recorded" in out.getvalue()
    codes = {row["code"]: row["name"] for row in units_on(dt.date(2026, 3, 1), "68")}
    assert codes["22918"] == "Phường Mũi Né - Phú Thủy" and "22924" not in codes
    assert sum(1 for row in units_on(dt.date(2026, 3, 1), "68") if row["kind"] == "commune") == 123
    event = UnitEvent.objects.get(date=dt.date(2026, 3, 1))
    assert event.basis == "Nghị quyết số 01/2026 (ví dụ)" and event.created_by == admin_user
    entry = LogEntry.objects.get_for_object(event).first()
    assert entry is not None
    # Again: nothing changes.
    call_command("import_unit_events", str(path), stdout=StringIO())
    assert UnitEvent.objects.filter(date=dt.date(2026, 3, 1)).count() == 1
    assert Unit.objects.filter(code="22918").count() == 3  # 2023, 2025 and 2026 versions


def test_a_wrong_file_writes_nothing_and_names_event_and_field(units_2026, tmp_path):
    path = tmp_path / "events.yaml"
    path.write_text(
        GOOD.replace('basis: "Nghị quyết số 01/2026 (ví dụ)"', 'basis: ""')
        + """  - date: 2026-03-01
    kind: split
    basis: "x"
    from: ["23053"]
    to: [{code: "23041", share: 0.4}, {code: "22933", share: 0.4}]
""",
        encoding="utf-8",
    )
    before = (Unit.objects.count(), UnitEvent.objects.count())
    with pytest.raises(CommandError) as error:
        call_command("import_unit_events", str(path), stdout=StringIO())
    message = str(error.value)
    assert "events[0].basis: the legal basis is required" in message
    assert "events[1].from[0]: no unit 23053 is valid on 28/02/2026" not in message
    assert "events[1].to: the successors' shares must all be given and add up to 1" in message
    assert (Unit.objects.count(), UnitEvent.objects.count()) == before
