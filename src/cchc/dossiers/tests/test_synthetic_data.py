"""The synthetic catalogue is versioned data (dossiers/data/synthetic-catalogue.yaml), read by the generator."""

from cchc.dossiers import synthetic


def test_every_name_the_volumes_use_is_a_sector_or_unit_of_the_data():
    data = synthetic.load_catalogue_data()
    sectors = {s.name for s in data["sectors"]}
    for table in ("commune_sector_weight", "district_sector_weight", "province_sector_weight"):
        assert set(data[table]) <= sectors, table
    owners = {s.owner for s in data["sectors"]}
    assert owners <= set(data["department_volume"])
    assert all(code.isdigit() for code in data["district_population"])


def test_a_sector_reads_its_named_and_its_own_time_limits(tmp_path):
    text = synthetic.CATALOGUE_FILE.read_text("utf-8")
    text = text.replace(
        "sectors:\n",
        "sectors:\n"
        "  - {code: SYN.LV99, name: Thử nghiệm, owner: SNV, fee: 0, full: 1, partial: 0,\n"
        "     time_limits: [complaint, [7, ngay, 2]], procedures: ['x|Thủ tục thử', 't|!Việc nội bộ']}\n",
        1,
    )
    path = tmp_path / "catalogue.yaml"
    path.write_text(text, "utf-8")
    first = synthetic.load_catalogue_data(path)["sectors"][0]
    assert first.limits == [(30, "ngay", 3), (45, "ngay", 2), (2, "thang", 1), (7, "ngay", 2)]
    assert synthetic._parse_stems(first) == [("x", "Thủ tục thử", False), ("t", "Việc nội bộ", True)]


def test_the_generated_catalogue_lists_every_procedure_of_the_file_once():
    catalogue = synthetic.generate_catalogue(2023)
    stems = sum(len(s.stems.splitlines()) for s in synthetic.SECTORS)
    assert catalogue.height == stems and catalogue["MaTTHC"].n_unique() == stems
    assert catalogue["TenTTHC"].str.starts_with(synthetic.NAME_PREFIX).all()
