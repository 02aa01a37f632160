"""Units carry validity dates, so the 2025 reorganisation does not rewrite 2023."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from cchc.units.exports import units_on
from cchc.units.models import Unit, UnitKind

MID_2023 = dt.date(2023, 6, 30)


def record_2025_reorganisation():
    """District level abolished on 1/7/2025; Bình Thuận merged into Lâm Đồng with new communes."""
    Unit.objects.filter(kind__in=[UnitKind.DISTRICT, UnitKind.COMMUNE]).update(valid_to=dt.date(2025, 6, 30))
    Unit.objects.filter(kind__in=[UnitKind.PROVINCE, UnitKind.DEPARTMENT]).update(valid_to=dt.date(2025, 6, 30))
    lam_dong = Unit.objects.create(
        code="68", name="Tỉnh Lâm Đồng", kind=UnitKind.PROVINCE, division_type="tỉnh", valid_from=dt.date(2025, 7, 1)
    )
    Unit.objects.create(
        code="22918",
        name="Phường Phan Thiết",
        kind=UnitKind.COMMUNE,
        division_type="phường",
        parent=lam_dong,
        valid_from=dt.date(2025, 7, 1),
    )


def test_2023_export_is_unchanged_by_the_2025_reorganisation(plan_2023):
    before = units_on(MID_2023, "60")
    record_2025_reorganisation()
    assert units_on(MID_2023, "60") == before
    after = units_on(dt.date(2025, 8, 1), "68")
    assert [u["code"] for u in after] == ["68", "22918"]
    assert after[1]["parent"] == "68"


def test_a_unit_is_valid_on_its_first_and_last_day_only(plan_2023):
    unit = Unit.objects.get(code="593")
    unit.valid_to = dt.date(2025, 6, 30)
    unit.save()
    assert Unit.objects.valid_on(dt.date(2025, 6, 30)).filter(code="593").exists()
    assert not Unit.objects.valid_on(dt.date(2025, 7, 1)).filter(code="593").exists()
    assert not Unit.objects.valid_on(dt.date(2020, 12, 31)).filter(code="593").exists()
    assert unit.is_valid_on(dt.date(2023, 1, 1))


def test_a_unit_cannot_end_before_it_starts(plan_2023):
    unit = Unit.objects.get(code="593")
    unit.valid_to = dt.date(2020, 1, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        unit.save()


def test_a_code_may_have_successive_versions_but_not_two_with_the_same_start(plan_2023):
    old = Unit.objects.get(code="22915")
    old.valid_to = dt.date(2024, 12, 31)
    old.save()
    Unit.objects.create(
        code="22915",
        name="Phường Mũi Né (mới)",
        kind=old.kind,
        division_type=old.division_type,
        parent=old.parent,
        valid_from=dt.date(2025, 1, 1),
    )
    assert [u["name"] for u in units_on(dt.date(2025, 3, 1)) if u["code"] == "22915"] == ["Phường Mũi Né (mới)"]
    assert [u["name"] for u in units_on(MID_2023) if u["code"] == "22915"] == ["Phường Mũi Né"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(
            code="22915", name="dup", kind=old.kind, division_type="phường", valid_from=dt.date(2025, 1, 1)
        )
