"""Demo: Lâm Đồng after the 2025 reorganisation, next to Bình Thuận's 2023 (kept apart from the other seeders).

Loads the unit events up to today, copies the 2023 plan, report periods and criteria sets to 2026 (mapped through
the events), opens accounts of the new province, and loads synthetic dossiers of 2024–2026: each dossier of the
2023 generator is handed to the unit that was doing that unit's work on its acceptance day (the old communes until
their merger, the new wards after it), so a new ward has its own 2026 figures and its predecessors' 2023–2025.
"""

from __future__ import annotations

import datetime as dt
import time

import polars as pl
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from cchc.accounts.models import Membership, Role
from cchc.accounts.provisioning import demo_person
from cchc.core import clock
from cchc.dossiers import synthetic
from cchc.dossiers.models import Dossier
from cchc.indicators.compute import recompute
from cchc.indicators.periods import periods_of_year
from cchc.plans.models import Plan
from cchc.scoring.models import CriteriaSet
from cchc.units.divisions import COMMUNE, DEPARTMENT, DISTRICT, province_records
from cchc.units.lineage import UnitMapper
from cchc.units.models import Unit, UnitEvent

NEW_PLAN_YEAR = 2026
YEARS = (2024, 2025, 2026)
# Accounts of the new province (the same demo password): Sở Nội vụ of Lâm Đồng, a leader, Phường Phan Thiết
# (code 22945, the 2025 ward made of six 2023 wards of Phan Thiết).
ACCOUNTS_2026 = [
    ("lamdong.snv", "SNV", Role.ADMINISTRATOR),
    ("lamdong.lanhdao", "VPUBND", Role.LEADER),
    ("phuongphanthiet.bientap", "22945", Role.EDITOR),
    ("phuongphanthiet.lanhdao", "22945", Role.HEAD),
]


def seed_demo_reorganisation(stdout, password: str, dossiers_per_year: int = 20_000, today: dt.date | None = None):
    today = today or clock.today()
    started, cpu = time.perf_counter(), time.process_time()
    call_command("load_units", "--as-of", today.isoformat(), stdout=stdout)
    if not Plan.objects.filter(year=NEW_PLAN_YEAR).exists() and today.year >= NEW_PLAN_YEAR:
        call_command("copy_plan", "--from", "2023", "--to", str(NEW_PLAN_YEAR), stdout=stdout)
        Plan.objects.filter(year=NEW_PLAN_YEAR).update(status=Plan.Status.ACTIVE)
        call_command("create_report_periods", str(NEW_PLAN_YEAR), stdout=stdout)
    if not CriteriaSet.objects.filter(year=NEW_PLAN_YEAR).exists() and CriteriaSet.objects.filter(year=2023).exists():
        call_command("copy_criteria", "--from", "2023", "--to", str(NEW_PLAN_YEAR), stdout=stdout)
    accounts = _accounts(password, today)
    if dossiers_per_year:
        for year in YEARS:
            if year <= today.year and not _has_dossiers(year):
                _load_year(year, dossiers_per_year, today, stdout)
    stdout.write(
        f"Lâm Đồng demo: {time.perf_counter() - started:.1f} s ({time.process_time() - cpu:.1f} s CPU in this process)"
    )
    return accounts


def _accounts(password: str, today: dt.date) -> str:
    user_model = get_user_model()
    made = []
    for username, code, role in ACCOUNTS_2026:
        unit = Unit.objects.valid_on(today).filter(code=code).first()
        if unit is None:
            continue
        user, _ = user_model.objects.get_or_create(username=username, defaults={"email": f"{username}@example.vn"})
        user.set_password(password)
        user.save()
        Membership.objects.update_or_create(user=user, defaults={"unit": unit, "role": role, **demo_person(username)})
        made.append(f"{username} ({role.label}, {unit.name})")
    return ", ".join(made)


def _has_dossiers(year: int) -> bool:
    start = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
    return Dossier.objects.filter(accepted_at__gte=start, accepted_at__lt=start.replace(year=year + 1)).exists()


def unit_code_epochs(until: dt.date) -> pl.DataFrame:
    """(code_2023, epoch_start, code): the code of the unit doing the 2023 unit's work from epoch_start on."""
    dates = sorted({d for d in UnitEvent.objects.values_list("date", flat=True) if d <= until})
    records = [r for r in province_records("60") if r.kind in (DEPARTMENT, DISTRICT, COMMUNE)]
    units_2023 = {
        u.code: u for u in Unit.objects.filter(code__in=[r.code for r in records], valid_from__lte="2023-01-01")
    }
    rows = [(code, dt.date(2000, 1, 1), code) for code in units_2023]
    for day in dates:
        mapper = UnitMapper(day)
        for code, unit in units_2023.items():
            successor = unit if unit.is_valid_on(day) else mapper.single(unit)
            if successor is None:  # a dissolved district: its work goes to its first commune's successor
                many = mapper.many(unit)
                successor = many[0] if many else None
            if successor is not None:
                rows.append((code, day, successor.code))
    return pl.DataFrame(rows, schema={"from_code": pl.String, "epoch": pl.Date, "code": pl.String}, orient="row")


def _load_year(year: int, count: int, today: dt.date, stdout) -> None:
    folder = settings.DATA_DIR / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"ho-so-mo-phong-{year}-{count}.csv"
    stdout.write(f"Generating {count:,} synthetic dossiers of {year} for the units of their day …")
    catalogue = synthetic.generate_catalogue(2023)  # the catalogue the 2023 demo imported (same seed)
    frame = pl.concat(list(synthetic.generate_dossiers(year, count, year, catalogue)))
    accepted = pl.coalesce(
        pl.col("NgayTiepNhan").str.strptime(pl.Datetime, synthetic.ISO_FORMAT, strict=False),
        pl.col("NgayTiepNhan").str.strptime(pl.Datetime, synthetic.ALT_FORMAT, strict=False),
    ).dt.date()
    frame = frame.with_columns(_accepted=accepted).filter(pl.col("_accepted") <= today).sort("_accepted")
    epochs = unit_code_epochs(today).sort("epoch")
    frame = (
        frame.join_asof(
            epochs.rename({"from_code": "DonViXuLy"}),
            left_on="_accepted",
            right_on="epoch",
            by="DonViXuLy",
            strategy="backward",
            check_sortedness=False,  # sorted by date within each unit: epochs are sorted, the frame by date
        )
        .with_columns(pl.col("code").fill_null(pl.col("DonViXuLy")).alias("DonViXuLy"))
        .drop("_accepted", "epoch", "code")
    )
    frame.select(synthetic.DOSSIER_COLUMNS).write_csv(path)
    call_command("import_dossiers", str(path), no_refresh=True, stdout=stdout)
    # The year, its halves and quarters (the series and the dashboard): months are computed when asked for
    # (`cchc recompute_indicators --year`), which keeps `make run` short.
    periods = [p for p in periods_of_year(year) if p.kind != "month"]
    result = recompute(year, periods=periods)
    stdout.write(f"{year}: {result.dossiers} dossiers → {result.values} values ({len(periods)} periods)")
