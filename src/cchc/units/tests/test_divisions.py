"""The 2023 units come from the vietnam-provinces package, not typed in."""

from collections import Counter

from cchc.units.divisions import package_data_version, province_records


def test_binh_thuan_2023_has_its_departments_districts_and_124_communes():
    records = province_records("60")
    kinds = Counter(r.kind for r in records)
    assert kinds == {"province": 1, "department": 20, "district": 10, "commune": 124}
    communes = [r for r in records if r.kind == "commune"]
    assert Counter(r.division_type for r in communes) == {"xã": 93, "phường": 19, "thị trấn": 12}


def test_districts_carry_statistics_office_codes_593_to_602():
    districts = [r for r in province_records("60") if r.kind == "district"]
    assert sorted(int(r.code) for r in districts) == list(range(593, 603))
    assert {r.parent_code for r in districts} == {"60"}


def test_every_commune_hangs_under_a_district_and_codes_are_unique():
    records = province_records("60")
    districts = {r.code for r in records if r.kind == "district"}
    assert all(r.parent_code in districts for r in records if r.kind == "commune")
    assert len({r.code for r in records}) == len(records)
    assert all(len(r.code) == 5 for r in records if r.kind == "commune")


def test_the_data_version_is_recorded_on_each_territorial_unit():
    version = package_data_version()
    assert version.startswith("vietnam-provinces 0.5.0")
    assert all(r.source == version for r in province_records("60") if r.kind != "department")


def test_the_one_stop_centre_is_a_department_that_is_not_scored():
    by_code = {r.code: r for r in province_records("60")}
    assert by_code["TTHCC"].is_scored is False
    assert by_code["SNV"].is_scored is True
