"""The synthetic dossier generator (`cchc generate_dossiers`): no database needed."""

import datetime as dt
import io

import holidays
import polars as pl
import pytest
from django.core.management import call_command

from cchc.dossiers import synthetic
from cchc.units.divisions import COMMUNE, DEPARTMENT, DISTRICT, PROVINCE, province_records

COUNT = 20_000
SEED = 11
MAKE_UP_SATURDAY = dt.date(2023, 5, 6)


def run(out, count=COUNT, seed=SEED, **extra):
    stdout = io.StringIO()
    call_command("generate_dossiers", year=2023, count=count, seed=seed, out=str(out), stdout=stdout, **extra)
    return stdout.getvalue()


def read(path) -> pl.DataFrame:
    return pl.read_csv(path, infer_schema=False)


def parsed(column: str) -> pl.Expr:
    text = pl.col(column)
    return pl.coalesce(
        text.str.strptime(pl.Datetime, synthetic.ISO_FORMAT, strict=False),
        text.str.strptime(pl.Datetime, synthetic.ALT_FORMAT, strict=False),
    ).alias(column)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synthetic")
    out = folder / "dossiers-2023.csv"
    run(out)
    return out, folder / "dossiers-2023-catalogue.csv"


@pytest.fixture(scope="module")
def units():
    return {r.code: r for r in province_records("60")}


@pytest.fixture(scope="module")
def dossiers(files, units):
    frame = read(files[0])
    kinds = pl.DataFrame(
        {
            "DonViXuLy": list(units),
            "kind": [r.kind for r in units.values()],
            "parent": [r.parent_code for r in units.values()],
        }
    )
    catalogue = read(files[1]).select("MaTTHC", "TenLinhVuc", "CoPhiLePhi")
    dates = synthetic.DATE_COLUMNS + synthetic.SUPPLEMENT_DATE_COLUMNS
    return (
        frame.with_columns(
            **{f"{c}_dt": parsed(c) for c in dates},
            TrangThaiHoSo=pl.col("TrangThaiHoSo").cast(pl.Int64),
            KenhThucHien=pl.col("KenhThucHien").cast(pl.Int64),
            SoLanYeuCauBoSung=pl.col("SoLanYeuCauBoSung").cast(pl.Int64),
        )
        .join(kinds, on="DonViXuLy", how="left")
        .join(catalogue, on="MaTTHC", how="left")
    )


# --- reproducibility and shape ----------------------------------------------------------------------


def test_same_seed_gives_identical_bytes_and_another_seed_differs(files, tmp_path):
    again = tmp_path / "again.csv"
    run(again, catalogue_out=str(tmp_path / "again-cat.csv"))
    assert again.read_bytes() == files[0].read_bytes()
    assert (tmp_path / "again-cat.csv").read_bytes() == files[1].read_bytes()
    other = tmp_path / "other.csv"
    run(other, seed=SEED + 1)
    assert other.read_bytes() != files[0].read_bytes()
    assert (tmp_path / "other-catalogue.csv").read_bytes() != files[1].read_bytes()


def test_chunk_size_does_not_change_the_output(files, tmp_path):
    small = tmp_path / "small.csv"
    run(small, chunk_size=7_001)
    assert small.read_bytes() == files[0].read_bytes()


def test_headers_are_exact(files):
    assert files[0].read_text("utf-8").splitlines()[0] == ",".join(synthetic.DOSSIER_COLUMNS)
    assert files[1].read_text("utf-8").splitlines()[0] == ",".join(synthetic.CATALOGUE_COLUMNS)
    assert read(files[0]).height == COUNT


def test_zero_dossiers_still_writes_the_header(tmp_path):
    out = tmp_path / "empty.csv"
    run(out, count=0)
    assert out.read_text("utf-8") == ",".join(synthetic.DOSSIER_COLUMNS) + "\n"


def test_default_catalogue_path():
    assert synthetic.catalogue_path_for("/x/dossiers-2023.csv") == "/x/dossiers-2023-catalogue.csv"
    assert synthetic.catalogue_path_for("/x/dossiers") == "/x/dossiers-catalogue.csv"


# --- the catalogue -------------------------------------------------------------------------------------


def test_catalogue_is_clearly_synthetic_and_plausible(files):
    cat = read(files[1])
    assert 250 <= cat.height <= 400
    assert cat["MaTTHC"].n_unique() == cat.height
    assert cat["MaTTHC"].str.starts_with("SYN.").all()
    assert cat["TenTTHC"].str.starts_with("[Mô phỏng] ").all()
    assert {"Hộ tịch", "Chứng thực", "Đất đai", "Xây dựng", "Đăng ký kinh doanh"} <= set(cat["TenLinhVuc"])
    for levels in cat["CapThucHien"]:
        parts = levels.split(",")
        assert parts and set(parts) <= {"tinh", "huyen", "xa"} and len(set(parts)) == len(parts)
    assert '"huyen,xa"' in files[1].read_text("utf-8")  # a multi-level field is quoted
    assert set(cat["MucDoDVCTT"].fill_null("")) <= {"toan_trinh", "mot_phan", ""}
    assert set(cat["DonViTinh"].fill_null("")) <= {"gio", "ngay", "ngay_lam_viec", "thang", ""}
    no_unit = cat["DonViTinh"].is_null()
    assert (no_unit == cat["ThoiHanGiaiQuyet"].is_null()).all() and no_unit.any()
    assert (cat["ThoiHanGiaiQuyet"].drop_nulls().cast(pl.Float64) > 0).all()
    for flag in (
        "DuDieuKienToanTrinh",
        "TichHopDVCQG",
        "CoPhiLePhi",
        "ThanhToanTrucTuyen",
        "YeuCauKetQuaGiay",
        "NoiBo",
    ):
        assert set(cat[flag]) <= {"0", "1"}
    assert 0.2 <= (cat["CoPhiLePhi"] == "1").mean() <= 0.45
    assert 0.6 <= cat["MucDoDVCTT"].is_not_null().mean() <= 0.8
    assert 3 <= (cat["NoiBo"] == "1").sum() <= 25
    # Online payment is only deployed for fee-bearing procedures.
    assert cat.filter(pl.col("ThanhToanTrucTuyen") == "1")["CoPhiLePhi"].eq("1").all()


# --- the dossiers --------------------------------------------------------------------------------------


def test_units_and_procedures_are_known(dossiers, files, units):
    assert set(dossiers["DonViXuLy"]) <= set(units)
    kinds = set(dossiers["kind"])
    assert PROVINCE not in kinds and {DEPARTMENT, DISTRICT, COMMUNE} <= kinds
    assert "TTHCC" in set(dossiers["DonViXuLy"])
    assert set(dossiers["MaTTHC"]) <= set(read(files[1])["MaTTHC"])
    assert dossiers["MaHoSo"].n_unique() == COUNT


def test_volumes_vary_and_phan_thiet_is_busiest(dossiers):
    district_level = dossiers.filter(pl.col("kind") == DISTRICT)["DonViXuLy"].value_counts()
    counts = dict(zip(district_level["DonViXuLy"], district_level["count"], strict=True))
    assert max(counts, key=counts.get) == "593"
    assert min(counts, key=counts.get) == "602"


def test_communes_are_mostly_civil_status_and_certification(dossiers):
    communes = dossiers.filter(pl.col("kind") == COMMUNE)
    assert communes["TenLinhVuc"].is_in(["Hộ tịch", "Chứng thực"]).mean() > 0.7


def test_land_dossiers_are_mostly_at_districts(dossiers):
    land = dossiers.filter(pl.col("TenLinhVuc") == "Đất đai")
    assert (land["kind"] == DISTRICT).mean() > 0.6
    provincial = set(land.filter(pl.col("kind") == DEPARTMENT)["DonViXuLy"])
    assert provincial <= {"TTHCC", "STNMT"} and provincial


def test_acceptance_only_on_working_days_in_office_hours(dossiers):
    accepted = dossiers["NgayTiepNhan_dt"].drop_nulls()
    days = set(accepted.dt.date())
    public = holidays.country_holidays("VN", years=[2023])
    assert all(d.year == 2023 for d in days)
    assert not [d for d in days if (d.weekday() >= 5 or d in public) and d != MAKE_UP_SATURDAY]
    assert MAKE_UP_SATURDAY in days
    times = accepted.dt.time()
    assert times.min() >= dt.time(7, 30) and times.max() <= dt.time(17, 0)


def test_dates_parse_in_one_of_the_two_formats(dossiers):
    for column in synthetic.DATE_COLUMNS + synthetic.SUPPLEMENT_DATE_COLUMNS:
        present = dossiers.filter(pl.col(column).is_not_null())
        assert present[f"{column}_dt"].null_count() == 0, column
    alternative = dossiers["NgayNopHoSo"].str.contains("/").mean()
    assert 0.03 < alternative < 0.07


def test_dates_are_coherent(dossiers):
    def never(condition):
        assert dossiers.filter(condition).height == 0, str(condition)

    never(pl.col("NgayHenTra_dt") < pl.col("NgayTiepNhan_dt"))
    never(pl.col("NgayTiepNhan_dt") < pl.col("NgayNopHoSo_dt"))
    never(pl.col("NgayKetThucXuLy_dt") < pl.col("NgayTiepNhan_dt"))
    never(pl.col("NgayTra_dt") < pl.col("NgayKetThucXuLy_dt"))
    never(pl.col("NgayYeuCauBoSung_dt") < pl.col("NgayTiepNhan_dt"))
    never(pl.col("NgayHoanThanhBoSung_dt") < pl.col("NgayYeuCauBoSung_dt"))
    never(pl.col("NgayKetThucXuLy_dt") < pl.col("NgayHoanThanhBoSung_dt"))
    never(pl.col("NgayHoanThanhBoSung_dt").is_not_null() & pl.col("NgayYeuCauBoSung_dt").is_null())
    end_of_year = dt.datetime(2023, 12, 31, 23, 59, 59)
    for column in ("NgayKetThucXuLy_dt", "NgayTra_dt", "NgayYeuCauBoSung_dt", "NgayHoanThanhBoSung_dt"):
        never(pl.col(column) > end_of_year)


def test_statuses_and_their_fields(dossiers):
    status = pl.col("TrangThaiHoSo")
    shares = dossiers["TrangThaiHoSo"].value_counts(normalize=True)
    share = dict(zip(shares["TrangThaiHoSo"], shares["proportion"], strict=True))
    assert set(share) <= set(range(1, 11))
    assert share[10] > 0.8 and {1, 3, 4, 5, 6, 7, 8, 9} <= set(share)
    assert 0.004 < share[1] < 0.02
    never_accepted = dossiers.filter(status.is_in([1, 3]))
    assert never_accepted["NgayTiepNhan"].null_count() == never_accepted.height
    submitted_only = dossiers.filter(status == 1)
    for column in synthetic.DATE_COLUMNS[1:] + synthetic.SUPPLEMENT_DATE_COLUMNS:
        assert submitted_only[column].null_count() == submitted_only.height
    assert (submitted_only["KenhThucHien"] == 2).all()
    accepted = dossiers.filter(~status.is_in([1, 3]))
    assert accepted["NgayTiepNhan"].null_count() == 0
    ended = dossiers.filter(status.is_in([7, 8, 9, 10]))
    assert ended["NgayKetThucXuLy"].null_count() == 0
    open_ = dossiers.filter(status.is_in([2, 4, 5, 6]))
    assert open_["NgayKetThucXuLy"].null_count() == open_.height
    # Still open at the year's end: accepted late in the year.
    assert open_["NgayTiepNhan_dt"].dt.month().median() >= 11
    assert (dossiers.filter(status == 10)["NgayTra"].null_count()) == 0
    assert dossiers.filter(status != 10)["NgayTra"].null_count() == dossiers.filter(status != 10).height
    waiting = dossiers.filter(status == 5)
    assert waiting["NgayYeuCauBoSung"].null_count() == 0
    assert waiting["NgayHoanThanhBoSung"].null_count() == waiting.height


def test_supplements_fees_and_flags(dossiers):
    times = dossiers["SoLanYeuCauBoSung"]
    assert 0.06 < (times > 0).mean() < 0.15
    assert (times >= 2).sum() > 0
    assert ((times > 0) == dossiers["NgayYeuCauBoSung"].is_not_null()).all()
    # Financial obligations only for fee-bearing procedures, online payment only among those.
    assert dossiers.filter(pl.col("CoNghiaVuTaiChinh") == "1")["CoPhiLePhi"].eq("1").all()
    paid = dossiers.filter(pl.col("DuocThanhToanTrucTuyen").is_not_null())
    assert set(paid["DuocThanhToanTrucTuyen"]) <= {"0", "1", "2"}
    assert paid["CoNghiaVuTaiChinh"].eq("1").all()
    assert paid["DuocThanhToanTrucTuyen"].is_in(["1", "2"]).any()
    for flag in ("CoNghiaVuTaiChinh", "LuanChuyenDienTu", "CoKetQuaDienTu", "HoSoCoThanhPhanSoHoa", "CoPAKN"):
        assert set(dossiers[flag]) <= {"0", "1"}, flag
    assert (dossiers["DongBoDVCQG"] == "1").mean() > 0.8
    assert (dossiers["CoPAKN"] == "1").mean() < 0.03
    assert set(dossiers["DanhGiaHaiLong"].drop_nulls()) == set(synthetic.RATINGS)
    assert set(dossiers["KenhThucHien"]) <= {1, 2, 3}
    assert not dossiers.filter((pl.col("CoKetQuaDienTu") == "1") & ~pl.col("TrangThaiHoSo").is_in([9, 10])).height


def test_online_share_differs_across_districts(dossiers):
    by_district = (
        dossiers.filter(pl.col("kind") == DISTRICT)
        .group_by("DonViXuLy")
        .agg((pl.col("KenhThucHien") == 2).mean().alias("online"))
    )
    assert by_district["online"].max() - by_district["online"].min() >= 0.15
    with_communes = (
        dossiers.filter(pl.col("kind").is_in([DISTRICT, COMMUNE]))
        .with_columns(district=pl.when(pl.col("kind") == DISTRICT).then("DonViXuLy").otherwise("parent"))
        .group_by("district")
        .agg((pl.col("KenhThucHien") == 2).mean().alias("online"))
    )
    assert with_communes["online"].max() - with_communes["online"].min() >= 0.15


def test_electronic_routing_varies_by_unit(dossiers):
    accepted = dossiers.filter(~pl.col("TrangThaiHoSo").is_in([1, 3]) & pl.col("kind").is_in([DISTRICT, DEPARTMENT]))
    rates = accepted.group_by("DonViXuLy").agg(pl.len(), (pl.col("LuanChuyenDienTu") == "1").mean().alias("r"))
    rates = rates.filter(pl.col("len") >= 100)
    assert rates["r"].max() - rates["r"].min() >= 0.2


def test_generator_functions_directly():
    catalogue = synthetic.generate_catalogue(3)
    assert catalogue.columns == synthetic.CATALOGUE_COLUMNS
    chunks = list(synthetic.generate_dossiers(2023, 1_234, 3, catalogue, chunk_size=500))
    assert [c.height for c in chunks] == [500, 500, 234]
    assert all(c.columns == synthetic.DOSSIER_COLUMNS for c in chunks)
    assert pl.concat(chunks)["MaHoSo"].n_unique() == 1_234
