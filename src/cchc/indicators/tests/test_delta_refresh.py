"""After an import, the refresh moves the stored figures by the changed dossiers only (indicators/delta.py): proved
equal, cell by cell, to a full recompute on randomised change sets — new dossiers, changed statuses, dates (into the
year before and after), flags, procedures, units moved —, one import or several before the refresh."""

import csv
import datetime as dt
import random
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Max
from django.utils import timezone

from cchc.dossiers.importing import import_dossiers
from cchc.dossiers.models import DossierChange, ImportBatch, RefreshMark
from cchc.indicators import delta
from cchc.indicators.compute import recompute, refresh_pending
from cchc.indicators.models import DeltaBase, IndicatorValue, LeafValue, ProcedureUsage, last_computed

DATES = [
    "NgayNopHoSo",
    "NgayTiepNhan",
    "NgayHenTra",
    "NgayKetThucXuLy",
    "NgayTra",
    "NgayYeuCauBoSung",
    "NgayHoanThanhBoSung",
    "NgaySoHoaKetQua",
    "NgayHetHieuLucKetQua",
]
ISO = "%Y-%m-%dT%H:%M:%S"
FORMATS = (ISO, "%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%d")  # the generator writes a few in other forms


def stored() -> dict:
    """Every stored cell: the figures pages read, the units' own values (0/0 = none) and the uses of procedures."""
    figures = {
        ("value", *row[:4]): row[4:]
        for row in IndicatorValue.objects.values_list(
            "unit_id", "period", "level", "metric", "numerator", "denominator"
        )
    }
    own = {
        ("own", *row[:3]): row[3:]
        for row in LeafValue.objects.values_list("unit_id", "period", "metric", "numerator", "denominator")
        if row[3:] != (0, 0)
    }
    uses = {
        ("use", *row[:3]): row[3:]
        for row in ProcedureUsage.objects.values_list(
            "unit_id",
            "period",
            "procedure_id",
            "used_online",
            "paid",
            "fee_synced",
            "online_count",
            "paid_count",
            "fee_synced_count",
        )
    }
    return figures | own | uses


def full_recompute() -> dict:
    for year in sorted(DeltaBase.objects.values_list("year", flat=True)):
        recompute(year)
    return stored()


@pytest.fixture
def year_2023(plan_2023, synthetic_files):
    out, catalogue = synthetic_files(1500, 11)  # generated once per session: the same file every time
    call_command("import_catalogue", str(catalogue), stdout=StringIO())
    call_command("import_dossiers", str(out), stdout=StringIO(), stderr=StringIO())
    assert DeltaBase.objects.filter(year=2023).exists()  # the first refresh recomputed the year whole
    with out.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def shifted(value: str, days: int) -> str:
    for form in FORMATS if value else ():
        try:
            return (dt.datetime.strptime(value, form) + dt.timedelta(days=days)).strftime(ISO)
        except ValueError:
            continue
    return value


def changes(rows: list[dict], seed: int, count: int, path: Path, prefix: str = "NEW") -> Path:
    """`count` random rows changed the way later syncs change them, plus some new dossiers."""
    rng = random.Random(seed)
    units = sorted({r["DonViXuLy"] for r in rows})
    procedures = sorted({r["MaTTHC"] for r in rows})
    out = []
    for number, row in enumerate(rng.sample(rows, count)):
        row = dict(row)
        kind = rng.choice(["status", "dates", "unit", "procedure", "flags", "new", "new"])
        if kind == "status":
            if row["TrangThaiHoSo"] in ("2", "4", "5", "6") and row["NgayTiepNhan"]:
                row["TrangThaiHoSo"] = "10"
                row["NgayKetThucXuLy"] = shifted(row["NgayTiepNhan"], rng.randint(1, 30))
                row["NgayTra"] = shifted(row["NgayKetThucXuLy"], 1)
            elif row["TrangThaiHoSo"] == "10":
                row["TrangThaiHoSo"] = rng.choice(["7", "8", "9"])
                row["CoKetQuaDienTu"] = rng.choice(["0", "1"])
        elif kind == "dates":
            days = rng.choice([-400, -60, -20, 25, 90, 380])  # also into 2022 and 2024
            row.update({name: shifted(row[name], days) for name in DATES})
        elif kind == "unit":
            row["DonViXuLy"] = rng.choice(units)
        elif kind == "procedure":
            row["MaTTHC"] = rng.choice(procedures)
        elif kind == "flags":
            for name in ("KenhThucHien", "DuocThanhToanTrucTuyen", "CoNghiaVuTaiChinh", "DongBoDVCQG", "CoPAKN"):
                if rng.random() < 0.5:
                    row[name] = {
                        "KenhThucHien": rng.choice(["1", "2"]),
                        "DuocThanhToanTrucTuyen": rng.choice(["", "1", "2"]),
                    }.get(name, rng.choice(["0", "1"]))
            row["DanhGiaHaiLong"] = rng.choice(["", "rat_hai_long", "hai_long", "khong_hai_long"])
        else:
            row["MaHoSo"] = f"{prefix}-{seed}-{number}"
            row["DonViXuLy"] = rng.choice(units)
        out.append(row)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(out)
    return path


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_delta_refresh_stores_what_a_full_recompute_stores(year_2023, tmp_path, seed):
    before = stored()
    result = import_dossiers(changes(year_2023, seed, 300, tmp_path / "changes.csv"))
    assert result.updated > 100 and result.inserted > 50
    assert DossierChange.objects.count() == result.updated  # the replaced versions, kept for the refresh
    refreshed = refresh_pending()
    assert [r.year for r in refreshed if r.delta] == [2023]
    after_delta = stored()
    assert after_delta != before
    moved = IndicatorValue.objects.order_by("-computed_at").values_list("computed_at", flat=True).first()
    assert isinstance(moved, dt.datetime) and moved.tzinfo is not None  # stored the way Django reads it back
    assert not RefreshMark.objects.exists() and not ImportBatch.objects.exists() and not DossierChange.objects.exists()
    assert after_delta == full_recompute()


def test_several_imports_before_the_refresh(year_2023, tmp_path):
    """Two imports, the process dies before the refresh: the second changes dossiers the first added or changed."""
    first = changes(year_2023, 7, 250, tmp_path / "first.csv", prefix="A")
    import_dossiers(first)
    with first.open(encoding="utf-8") as handle:
        again = list(csv.DictReader(handle))
    import_dossiers(changes(year_2023 + again, 8, 300, tmp_path / "second.csv", prefix="B"))
    assert ImportBatch.objects.count() == 2
    refreshed = refresh_pending()
    assert 2023 in [r.year for r in refreshed if r.delta]
    assert stored() == full_recompute()


def test_a_year_recomputed_beside_pending_imports_is_recomputed_again_not_moved(year_2023, tmp_path):
    import_dossiers(changes(year_2023, 4, 200, tmp_path / "changes.csv"))
    recompute(2023, unit_ids=[RefreshMark.objects.values_list("unit_id", flat=True).first()])  # some units only
    assert not DeltaBase.objects.filter(year=2023).exists()  # its figures no longer say which import they reflect
    refreshed = refresh_pending()
    assert [r.delta for r in refreshed if r.year == 2023] == [False]
    assert DeltaBase.objects.filter(year=2023).exists()  # recomputed whole: the next import moves it by delta
    assert stored() == full_recompute()


def test_a_refresh_that_dies_half_way_leaves_the_figures_as_they_were_and_marked(year_2023, tmp_path, monkeypatch):
    """The own values and uses are written, then the process dies before the figures: nothing of it stays, the
    import's marks and replaced versions stay, and the next refresh brings the figures to a full recompute's."""
    import_dossiers(changes(year_2023, 5, 200, tmp_path / "changes.csv"))
    before = stored()
    write = delta._apply

    def dies_at_the_figures(model, *args):
        if model is IndicatorValue:
            raise KeyboardInterrupt  # as a killed worker: not an error the refresh could catch
        write(model, *args)

    monkeypatch.setattr(delta, "_apply", dies_at_the_figures)
    with pytest.raises(KeyboardInterrupt):
        refresh_pending()
    assert stored() == before  # neither half: the old figures, own values and uses
    assert RefreshMark.objects.filter(year=2023).exists() and DossierChange.objects.exists()  # not silently stale
    monkeypatch.setattr(delta, "_apply", write)
    assert [r.year for r in refresh_pending() if r.delta] == [2023]
    assert not RefreshMark.objects.exists()
    assert stored() == full_recompute()


def test_a_procedure_no_longer_used_online_anywhere_moves_the_counts_of_procedures(year_2023, tmp_path):
    """Every online dossier of one procedure goes back to the counter: the procedure leaves the count of procedures
    with online dossiers of every unit that used it (the flags of its uses flip), and only there."""
    used_online = {}
    for row in year_2023:
        if row["KenhThucHien"] == "2":
            used_online.setdefault(row["MaTTHC"], []).append(row)
    procedure, rows = max(used_online.items(), key=lambda item: len(item[1]))
    path = tmp_path / "counter.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(year_2023[0]))
        writer.writeheader()
        writer.writerows({**row, "KenhThucHien": "1"} for row in rows)
    counted = IndicatorValue.objects.filter(metric="ONLINE_SERVICE_WITH_DOSSIERS", period="2023")
    before = dict(counted.values_list("unit_id", "numerator"))
    import_dossiers(path)
    assert [r.year for r in refresh_pending() if r.delta] == [2023]
    after = dict(counted.values_list("unit_id", "numerator"))
    assert any(after.get(unit, 0) < count for unit, count in before.items())  # the procedure left some counts
    assert all(after.get(unit, 0) <= count for unit, count in before.items())  # and entered none
    assert stored() == full_recompute()


def test_every_unit_period_whose_figures_moved_reads_the_refresh_as_its_last_computation(year_2023, tmp_path):
    """A delta stamps one moved row of each (unit, period) (the others keep their time, so that PostgreSQL updates
    them in place): the latest time of a unit's period, which its page shows and its drill-down cache is keyed by, and
    of a period (`last_computed`, the public page's version) is the refresh's wherever a figure moved."""

    of_2023 = IndicatorValue.objects.filter(period__startswith="2023")  # other years moved are recomputed whole

    def figures() -> dict:
        rows = of_2023.values_list("unit_id", "period", "level", "metric", "numerator", "denominator")
        return {row[:4]: row[4:] for row in rows}

    def latest() -> dict:
        rows = of_2023.values("unit_id", "period").annotate(at=Max("computed_at"))
        return {(row["unit_id"], row["period"]): row["at"] for row in rows}

    before = figures()
    periods = sorted({key[1] for key in before})
    import_dossiers(changes(year_2023, 6, 300, tmp_path / "changes.csv"))
    started = timezone.now()
    assert [r.year for r in refresh_pending() if r.delta] == [2023]
    after, stamped = figures(), latest()
    moved_rows = {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
    moved = {key[:2] for key in moved_rows}
    assert len(moved) > 20
    assert all(stamped[pair] >= started for pair in moved if pair in stamped)
    assert last_computed(periods) >= started
    assert of_2023.filter(computed_at__gte=started).count() < len(moved_rows) / 2  # not every moved row
