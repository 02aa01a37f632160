"""The suite's replay of a command (src/cchc/conftest.py, `Replay`): written back from the same state, the recorded
changes leave the rows the command itself leaves, audit entries included; from another state the command runs."""

from django.db import transaction

from cchc.conftest import Replay, _compared, _load_units_2026
from cchc.units.models import Unit, UnitEvent, UnitEventLink

READS = ["units.Unit", "units.UnitEvent", "units.UnitEventLink"]


def rows():
    """Every unit, event and link, and every audit entry in order (their keys and times aside)."""
    from auditlog.models import LogEntry

    tables = [list(m._base_manager.order_by("pk").values_list(*_compared(m))) for m in (Unit, UnitEvent, UnitEventLink)]
    return tables, list(LogEntry.objects.order_by("pk").values_list(*_compared(LogEntry)[1:]))


def test_a_replayed_load_units_leaves_the_rows_the_command_leaves(plan_2023):
    replay = Replay(_load_units_2026, reads=READS, appends=["auditlog.LogEntry"])  # records on its first call
    before = rows()
    with transaction.atomic():
        output = replay()
        by_the_command = rows()
        transaction.set_rollback(True)
    assert rows() == before and by_the_command != before

    assert replay() == output  # replayed: the same state as the first time
    assert rows() == by_the_command
    assert "0 recorded" in _load_units_2026()  # and the command finds everything in place


def test_from_another_state_the_command_itself_runs(db):
    replay = Replay(_load_units_2026, reads=READS, appends=["auditlog.LogEntry"])
    with transaction.atomic():
        replay()  # recorded from an empty database
        transaction.set_rollback(True)
    Unit.objects.create(code="X", name="Đơn vị thử", kind="commune", division_type="xã", valid_from="2000-01-01")
    replay()
    assert len(replay.recordings) == 2 and Unit.objects.filter(code="X").exists()
    assert Unit.objects.filter(code="68").exists()
