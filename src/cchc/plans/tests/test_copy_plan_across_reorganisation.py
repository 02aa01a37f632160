"""copy_plan --from 2023 --to 2026 carries the plan into the two-level province through the unit events."""

import datetime as dt
from io import StringIO

from django.core.management import call_command

from cchc.plans.models import Plan, Task
from cchc.units.models import Unit

NEW_YEAR = dt.date(2026, 1, 1)


def test_tasks_of_dissolved_units_go_to_their_successors_once_and_the_mapping_is_printed(plan_2023, load_units_2026):
    task = plan_2023.tasks.first()
    old = {c: Unit.objects.get(code=c) for c in ["SKHDT", "STC", "STTTT"]}
    phan_thiet = Unit.objects.get(code="593")
    custom = Task.objects.create(
        plan=plan_2023,
        area=task.area,
        code="T9.9",
        order=999,
        text="Nhiệm vụ thử",
        agency_groups=[],
        monitor=old["STTTT"],
        due=dt.date(2023, 12, 31),
    )
    custom.agencies.set([old["SKHDT"], old["STC"], phan_thiet])
    load_units_2026()
    out = StringIO()
    call_command("copy_plan", "--from", "2023", "--to", "2026", stdout=out)
    printed = out.getvalue()
    plan = Plan.objects.get(year=2026)
    assert plan.province.code == "68" and "Lâm Đồng" in plan.title
    assert "Mapped: Tỉnh Bình Thuận (60) → Tỉnh Lâm Đồng (68)" in printed
    assert "Mapped: Sở Kế hoạch và Đầu tư (SKHDT) → Sở Tài chính (STC)" in printed
    assert "Mapped: Sở Thông tin và Truyền thông (STTTT) → Sở Khoa học và Công nghệ (SKHCN)" in printed
    assert "@districts → @communes (no district level on 01/01/2026)" in printed

    copied = plan.tasks.get(code="T9.9")
    codes = list(copied.agencies.values_list("code", flat=True))
    assert codes.count("STC") == 1 and "SKHDT" not in codes
    assert all(u.is_valid_on(NEW_YEAR) for u in copied.agencies.all())
    # Phan Thiết's work goes to the wards and communes its communes became, each once.
    communes = [u for u in copied.agencies.all() if u.kind == "commune"]
    assert communes and all(u.parent.code == "68" for u in communes)
    assert len(communes) == len({u.pk for u in communes})
    assert copied.monitor.code == "SKHCN" and copied.monitor.is_valid_on(NEW_YEAR)
    # No task of the 2026 plan points at a unit that no longer exists, nor at a district.
    for row in plan.tasks.prefetch_related("agencies"):
        assert all(u.is_valid_on(NEW_YEAR) and u.kind != "district" for u in row.agencies.all()), row.code
        assert row.monitor.is_valid_on(NEW_YEAR)
    assert all(area.monitor.is_valid_on(NEW_YEAR) for area in plan.areas.all())


def test_district_thresholds_are_left_out_of_a_year_without_districts(plan_2023, load_units_2026):
    """ "≥ 70% at province and district level" becomes "≥ 70% at province level" in 2026; the commune level keeps
    its 60%. A copy to a year that still has districts keeps them (tested in test_copy_plan)."""
    with_district = {t.code for t in plan_2023.targets.filter(thresholds__level="D")}
    assert "2.1" in with_district
    load_units_2026()
    out = StringIO()
    call_command("copy_plan", "--from", "2023", "--to", "2026", stdout=out)
    plan = Plan.objects.get(year=2026)
    assert not plan.targets.filter(thresholds__level="D").exists()
    old = {t.level: t.value for t in plan_2023.targets.get(code="2.1").thresholds.all()}
    new = {t.level: t.value for t in plan.targets.get(code="2.1").thresholds.all()}
    assert new == {level: value for level, value in old.items() if level != "D"} and "P" in new
    assert "district-level thresholds left out (no district level on 01/01/2026): targets " in out.getvalue()
    assert set(plan.targets.values_list("code", flat=True)) == set(plan_2023.targets.values_list("code", flat=True))
