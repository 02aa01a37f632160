"""The dossier table's keys are kept by the import, not by the database (`Dossier.procedure`, `db_constraint=False`).

The import rejects a row whose procedure or unit is not known, naming the row and the field; a procedure or a unit
that dossiers refer to cannot be deleted; on PostgreSQL a running import holds the procedures and units it may refer to.
"""

import psycopg
import pytest
from django.db import connection
from django.db.models import ProtectedError

from cchc.dossiers.importing import import_dossiers
from cchc.dossiers.models import Dossier, DossierChange, ImportBatch, Procedure, RefreshMark
from cchc.dossiers.readers import RowError
from cchc.dossiers.tests.test_import_dossiers import snapshot, write_csv
from cchc.units.models import Unit

pytestmark = pytest.mark.usefixtures("in_english")


@pytest.fixture
def catalogue(plan_2023):
    return {
        code: Procedure.objects.create(code=code, name=name)
        for code, name in [("1.000001", "Đăng ký khai sinh"), ("1.000002", "Đăng ký kết hôn")]
    }


def foreign_keys_of_the_dossier_table() -> list[str]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Dossier._meta.db_table)
    return [name for name, info in constraints.items() if info.get("foreign_key")]


@pytest.mark.parametrize("batch_rows", [50_000, 2])
def test_an_unknown_procedure_or_unit_is_refused_with_its_row_named(catalogue, tmp_path, batch_rows):
    assert foreign_keys_of_the_dossier_table() == []  # what makes this the import's job
    rows = [
        {"MaHoSo": "OK-1"},
        {"MaHoSo": "BAD-PROC", "MaTTHC": "9.999999"},
        {"MaHoSo": "OK-2"},
        {"MaHoSo": "BAD-UNIT", "DonViXuLy": "00000"},
    ]
    result = import_dossiers(write_csv(tmp_path / "hoso.csv", rows), batch_rows=batch_rows)
    assert (result.inserted, result.rejected) == (2, 2)
    assert list(result.errors) == [
        RowError(3, "MaTTHC", "9.999999", "unknown MaTTHC (not in the catalogue)"),
        RowError(5, "DonViXuLy", "00000", "unknown unit code"),
    ]
    assert sorted(Dossier.objects.values_list("code", flat=True)) == ["OK-1", "OK-2"]
    # every stored dossier refers to rows that exist
    assert not Dossier.objects.exclude(procedure__in=Procedure.objects.all()).exists()
    assert not Dossier.objects.exclude(unit__in=Unit.objects.all()).exists()


def test_a_procedure_or_unit_with_dossiers_cannot_be_deleted(catalogue, tmp_path):
    import_dossiers(write_csv(tmp_path / "hoso.csv", [{"MaHoSo": "HS-1"}]))
    dossier = Dossier.objects.get(code="HS-1")
    for referred in (dossier.procedure, dossier.unit):
        with pytest.raises(ProtectedError) as refused:
            referred.delete()
        assert dossier in refused.value.protected_objects
    catalogue["1.000002"].delete()  # no dossier refers to it
    assert Dossier.objects.filter(code="HS-1").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's import holds the only write lock")
@pytest.mark.django_db(transaction=True)
def test_a_running_import_keeps_the_procedures_and_units_it_may_refer_to(catalogue, tmp_path):
    """Another connection cannot delete a procedure (even one no dossier uses yet) while an import runs."""
    unused = catalogue["1.000002"]
    settings = connection.settings_dict
    attempts = []

    def delete_elsewhere(rows_done, bytes_done, total_bytes):
        with psycopg.connect(
            host=settings["HOST"] or None,
            port=settings["PORT"] or None,
            user=settings["USER"],
            dbname=settings["NAME"],
            autocommit=True,
        ) as other:
            other.execute("SET lock_timeout = '200ms'")
            for table, pk in ((Procedure._meta.db_table, unused.pk), (Unit._meta.db_table, Unit.objects.first().pk)):
                try:
                    other.execute(f'DELETE FROM "{table}" WHERE id = %s', [pk])
                    attempts.append((table, "deleted"))
                except psycopg.errors.LockNotAvailable:
                    attempts.append((table, "waits for the import"))
                except psycopg.errors.IntegrityError:
                    attempts.append((table, "refused by a key"))

    import_dossiers(write_csv(tmp_path / "hoso.csv", [{"MaHoSo": "HS-1"}]), progress=delete_elsewhere)
    waits = "waits for the import"
    assert attempts == [(Procedure._meta.db_table, waits), (Unit._meta.db_table, waits)]
    assert Procedure.objects.filter(pk=unused.pk).exists()


def test_an_import_that_fails_after_direct_batches_leaves_nothing(catalogue, tmp_path):
    """Into an empty table the first batches go straight in (COPY on PostgreSQL); a failure later undoes them."""
    before = snapshot()
    path = write_csv(tmp_path / "hoso.csv", [{"MaHoSo": f"HS-{i}"} for i in range(12)])
    path.write_bytes(path.read_bytes() + b"HS-99,1.000001,\xc3\x28,1,,2023-03-01,,,,4,,,,,,,,,,,\n")
    with pytest.raises(Exception, match="not UTF-8"):
        import_dossiers(path, batch_rows=5)
    assert snapshot() == before
    assert not ImportBatch.objects.exists() and not DossierChange.objects.exists()
    assert not RefreshMark.objects.exists()


def test_an_import_stopped_between_batches_leaves_nothing(catalogue, tmp_path):
    """A worker killed or a database error after some batches are merged: the transaction leaves nothing behind."""
    import_dossiers(write_csv(tmp_path / "first.csv", [{"MaHoSo": "HS-0", "TrangThaiHoSo": "2"}]))
    before = snapshot()
    batches = list(ImportBatch.objects.values_list("pk", flat=True))
    marks = RefreshMark.objects.count()

    class Stopped(Exception):
        pass

    def stop_after_two(rows_done, bytes_done, total_bytes):
        if rows_done >= 10:
            raise Stopped

    rows = [{"MaHoSo": "HS-0", "TrangThaiHoSo": "4"}] + [{"MaHoSo": f"HS-{i}"} for i in range(1, 15)]
    with pytest.raises(Stopped):
        import_dossiers(write_csv(tmp_path / "hoso.csv", rows), batch_rows=5, progress=stop_after_two)
    assert snapshot() == before
    assert list(ImportBatch.objects.values_list("pk", flat=True)) == batches
    assert not DossierChange.objects.exists()
    assert RefreshMark.objects.count() == marks
