"""Under the two-level government the province's council appraises communes; criteria sets copy to the new
structure (no district set when there are no districts)."""

import datetime as dt
from io import StringIO

from django.core.management import call_command

from cchc.documents.queries import COMMUNE_RECIPIENT, DISTRICT_RECIPIENT, default_recipients
from cchc.scoring.models import CriteriaSet
from cchc.scoring.services import is_council
from cchc.units.models import Unit


def test_the_province_appraises_a_ward_of_2026_and_the_district_its_2023_communes(
    plan_2023, make_account, load_units_2026
):
    officer = make_account("593", "district_officer")
    commune_2023 = Unit.objects.get(code="22915")
    administrator = make_account("SNV", "administrator", username="snv2023")
    assert is_council(officer, commune_2023) and not is_council(administrator, commune_2023)
    load_units_2026()
    ward = Unit.objects.valid_on(dt.date(2026, 1, 1)).get(code="22918")
    assert is_council(make_account("SNV", "administrator", username="snv2026"), ward)
    assert not is_council(officer, ward)


def test_criteria_sets_copy_to_2026_without_the_district_set(plan_2023, load_units_2026):
    load_units_2026()
    out = StringIO()
    call_command("copy_criteria", "--from", "2023", "--to", "2026", stdout=out)
    assert set(CriteriaSet.objects.filter(year=2026).values_list("kind", flat=True)) == {"department", "commune"}
    assert "Not copied: the district set (no unit of that kind in 2026)" in out.getvalue()


def test_report_recipients_follow_the_structure_of_the_period(plan_2023, load_units_2026):
    assert DISTRICT_RECIPIENT in default_recipients(dt.date(2023, 6, 14))
    load_units_2026()
    recipients = default_recipients(dt.date(2026, 6, 14))
    assert DISTRICT_RECIPIENT not in recipients and COMMUNE_RECIPIENT in recipients
    assert DISTRICT_RECIPIENT in default_recipients(dt.date(2023, 6, 14))


def test_communes_directly_under_the_province_file_their_own_plans(plan_2023, load_units_2026):
    from cchc.agencyplans.services import issues_plan, issuing_units

    assert not issuing_units(2023).filter(kind="commune").exists()
    load_units_2026()
    units = issuing_units(2026)
    assert units.filter(kind="commune").count() == 124 and not units.filter(kind="district").exists()
    assert issues_plan(Unit.objects.valid_on(dt.date(2026, 1, 1)).get(code="22918"))
    assert not issues_plan(Unit.objects.get(code="22915"))
