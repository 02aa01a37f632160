"""Figures computed from dossiers in the database, stored, refreshed after a change, and printed."""

import datetime as dt
import json
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from cchc.dossiers.models import Dossier, Procedure
from cchc.indicators.compute import recompute, refresh
from cchc.indicators.models import IndicatorValue
from cchc.units.models import Unit

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=VN)


@pytest.fixture
def procedure(db):
    return Procedure.objects.create(
        code="SYN.1",
        name="[Mô phỏng] Đăng ký khai sinh",
        sector_name="Hộ tịch",
        at_district=True,
        at_commune=True,
        online_level="toan_trinh",
        integrated_dvcqg=True,
        time_limit=3,
        time_unit="ngay_lam_viec",
    )


def dossier(code, unit, procedure, **fields):
    values = {
        "status": 10,
        "accepted_at": at("2023-03-01 08:00"),
        "due_at": at("2023-03-06 17:00"),
        "finished_at": at("2023-03-03 10:00"),
    }
    values.update(fields)
    return Dossier.objects.create(code=code, unit=unit, procedure=procedure, **values)


def value(unit, metric, period="202303", level="all"):
    row = IndicatorValue.objects.get(unit=unit, period=period, level=level, metric=metric)
    return row.numerator, row.denominator


def test_recompute_stores_every_unit_with_its_descendants(plan_2023, procedure):
    district, province = Unit.objects.get(code="593"), Unit.objects.get(code="60")
    commune = Unit.objects.get(code="22915")
    dossier("A", district, procedure, routed_electronically=True)
    dossier("B", commune, procedure, channel=2)
    dossier("C", commune, procedure, finished_at=at("2023-03-10 10:00"))  # late (due 6/3)
    result = recompute(2023)
    assert result.dossiers == 3
    assert value(commune, "ACCEPTED") == (2, 2)
    assert value(district, "ROUTED_ELECTRONICALLY") == (1, 3)
    assert value(district, "ROUTED_ELECTRONICALLY", level="C") == (0, 2)
    assert value(province, "PROCESSING_ON_TIME") == (2, 3)
    assert value(province, "ONLINE_SUBMISSION", period="2023") == (1, 3)
    assert value(province, "ONLINE_SUBMISSION", period="2023Q1") == (1, 3)
    assert not IndicatorValue.objects.filter(unit=province, period="202304", metric="ACCEPTED").exists()


def test_refresh_after_a_change_recomputes_the_affected_units_and_their_ancestors(plan_2023, procedure):
    district, province = Unit.objects.get(code="593"), Unit.objects.get(code="60")
    commune, other = Unit.objects.get(code="22915"), Unit.objects.get(code="596")
    dossier("A", commune, procedure)
    dossier("B", other, procedure)
    recompute(2023)
    assert value(province, "PROCESSING_ON_TIME") == (2, 2)
    Dossier.objects.filter(code="A").update(finished_at=at("2023-03-20 10:00"))  # now late
    refresh([(commune.pk, 2023)])
    assert value(commune, "PROCESSING_ON_TIME") == (0, 1)
    assert value(district, "PROCESSING_ON_TIME") == (0, 1)
    assert value(province, "PROCESSING_ON_TIME") == (1, 2)  # the other district's dossier is still counted
    assert value(other, "PROCESSING_ON_TIME") == (1, 1)


def test_indicators_command_prints_the_contract(plan_2023, procedure):
    commune = Unit.objects.get(code="22915")
    dossier("A", commune, procedure, channel=2, routed_electronically=True)
    dossier("B", commune, procedure)
    out = StringIO()
    call_command("indicators", "--unit", "593", "--period", "2023Q1", "--format", "json", stdout=out, stderr=StringIO())
    data = json.loads(out.getvalue())
    assert data["unit"] == "593" and data["period"] == "2023Q1"
    assert data["targets"]["2.1"] == {
        "numerator": 1,
        "denominator": 2,
        "ratio": 50.0,
        "metric": "ROUTED_ELECTRONICALLY",
        "by_level": {"C": {"numerator": 1, "denominator": 2, "ratio": 50.0}},
    }
    assert data["targets"]["2.4c"]["ratio"] == 50.0
    assert data["metrics766"]["PROCESSING_ON_TIME"] == {"numerator": 2, "denominator": 2, "ratio": 100.0}
    assert data["metrics766"]["CITIZEN_DATA_CONNECTED_DOSSIER"] is None  # province only: null, never 0
    assert data["metrics766"]["PUBLISH_ON_TIME"] is None  # not entered yet
    index = data["index766"]
    assert index["id"] == "593" and index["metrics"]["PROCESSING_ON_TIME"]["score"] == 20.0
    assert index["groups"]["online_service"]["max"] == 12.0


def test_refresh_skips_years_an_open_dossier_only_carries_into(plan_2023, procedure):
    commune = Unit.objects.get(code="22915")
    dossier("OPEN", commune, procedure, status=4, finished_at=None)
    results = refresh([(commune.pk, 2023), (commune.pk, 2024), (commune.pk, 2025)])
    assert [r.year for r in results] == [2023]
    assert value(commune, "PROCESSING_ON_TIME") == (0, 1)  # still open on 31/3, past its due date (6/3)
