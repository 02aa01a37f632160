"""The two ways a batch of dossiers is written: straight into the dossier table while its codes are all new (COPY on
PostgreSQL), else through the staging table and one merge; both store the same values and record the same changes."""

import datetime as dt

import pytest

from cchc.dossiers.importing import import_dossiers
from cchc.dossiers.models import Dossier, DossierChange, ImportBatch, Procedure
from cchc.dossiers.tests.test_import_dossiers import snapshot, stored, unit, write_csv

pytestmark = pytest.mark.usefixtures("in_english")

UTC = dt.UTC


@pytest.fixture
def catalogue(plan_2023):
    return {"1.000001": Procedure.objects.create(code="1.000001", name="Đăng ký khai sinh")}


# Fractions of a second and offsets, which each path writes as text in its own way.
TIMES = {
    "NgayNopHoSo": "2023-03-01T08:00:00.5+07:00",
    "NgayTiepNhan": "2023-03-01 08:30:00.123456",
    "NgayKetThucXuLy": "2023-03-02T01:02:03Z",
    "TrangThaiHoSo": "9",
}
EXPECTED_TIMES = {
    "submitted_at": dt.datetime(2023, 3, 1, 1, 0, 0, 500000, tzinfo=UTC),
    "accepted_at": dt.datetime(2023, 3, 1, 1, 30, 0, 123456, tzinfo=UTC),
    "finished_at": dt.datetime(2023, 3, 2, 1, 2, 3, tzinfo=UTC),
}


def test_the_same_values_whichever_way_a_batch_is_written(catalogue, tmp_path):
    # Batch 1 (codes all new) goes straight in; batch 2 holds a stored code, so it and batch 3 go through staging.
    first = import_dossiers(write_csv(tmp_path / "a.csv", [{"MaHoSo": "OLD"}]))
    assert first.inserted == 1
    rows = [{"MaHoSo": "A-1", **TIMES}, {"MaHoSo": "A-2"}, {"MaHoSo": "OLD", **TIMES}, {"MaHoSo": "B-1", **TIMES}]
    result = import_dossiers(write_csv(tmp_path / "b.csv", rows), batch_rows=2)
    assert (result.inserted, result.updated, result.unchanged) == (3, 1, 0)
    for code in ("A-1", "OLD", "B-1"):
        values = stored(code)
        assert {name: values[name] for name in EXPECTED_TIMES} == EXPECTED_TIMES, code
        assert (values["status"], values["unit_id"]) == (9, unit("22915"))
    assert stored("A-2")["accepted_at"] == dt.datetime(2023, 3, 1, 1, 0, tzinfo=UTC)


def test_a_second_import_of_the_file_changes_nothing_and_records_no_change(catalogue, tmp_path):
    rows = [{"MaHoSo": f"HS-{i}", **(TIMES if i % 2 else {})} for i in range(7)]
    path = write_csv(tmp_path / "hoso.csv", rows)
    first = import_dossiers(path, batch_rows=3)
    assert (first.inserted, first.updated) == (7, 0)
    batch = ImportBatch.objects.get()
    assert Dossier.objects.filter(pk__gt=batch.new_after, pk__lte=batch.new_up_to).count() == 7
    assert DossierChange.objects.count() == 0
    before = snapshot()
    again = import_dossiers(path, batch_rows=3)
    assert (again.inserted, again.updated, again.unchanged, again.affected) == (0, 0, 7, set())
    assert snapshot() == before  # imported_at included: untouched rows are not rewritten
    assert ImportBatch.objects.count() == 1  # a batch that changed nothing is not kept
    assert DossierChange.objects.count() == 0


def test_a_changed_dossier_keeps_its_previous_version_for_the_delta_refresh(catalogue, tmp_path):
    import_dossiers(write_csv(tmp_path / "a.csv", [{"MaHoSo": "HS-1"}, {"MaHoSo": "HS-2"}]))
    old = Dossier.objects.get(code="HS-1")
    rows = [{"MaHoSo": "HS-1", **TIMES}, {"MaHoSo": "HS-2"}, {"MaHoSo": "HS-3"}]
    result = import_dossiers(write_csv(tmp_path / "b.csv", rows))
    assert (result.inserted, result.updated, result.unchanged) == (1, 1, 1)
    batch = ImportBatch.objects.latest("pk")
    change = DossierChange.objects.get()
    assert (change.batch_id, change.dossier_id, change.status, change.accepted_at) == (
        batch.pk,
        old.pk,
        old.status,
        old.accepted_at,
    )
    added = Dossier.objects.filter(pk__gt=batch.new_after, pk__lte=batch.new_up_to)
    assert list(added.values_list("code", flat=True)) == ["HS-3"]


def test_a_code_outside_ascii_and_a_missing_value_are_stored_as_read(catalogue, tmp_path):
    """The direct path encodes the codes' bytes and each null itself (PostgreSQL's binary COPY)."""
    result = import_dossiers(write_csv(tmp_path / "hoso.csv", [{"MaHoSo": "HS-Đắk-ư-1"}, {"MaHoSo": "HS-2"}]))
    assert (result.inserted, result.rejected) == (2, 0)
    assert sorted(Dossier.objects.values_list("code", "rating", "reused_data")) == [
        ("HS-2", None, None),
        ("HS-Đắk-ư-1", None, None),
    ]
