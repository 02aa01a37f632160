"""An import's refresh never ends in an error once its rows are committed: a (unit, year) pair of a year the system
cannot compute is skipped with a message, a carry-over year before the plan's is refreshed."""

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

from django.core.management import call_command

from cchc.dossiers.models import Dossier, Procedure, RefreshMark
from cchc.indicators.compute import refresh, refresh_pending
from cchc.indicators.models import IndicatorValue
from cchc.units.models import Unit

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def test_a_carry_over_from_2022_and_a_year_out_of_range_do_not_raise(plan_2023, tmp_path):
    commune = Unit.objects.get(code="22915")
    procedure = Procedure.objects.create(
        code="SYN.9", name="Thủ tục dài", at_commune=True, time_limit=400, time_unit="ngay_lam_viec"
    )
    # Accepted late in 2022 without an appointment date: 400 working days end beyond the 2022 calendar's reach.
    Dossier.objects.create(
        code="OLD", unit=commune, procedure=procedure, status=4, accepted_at=dt.datetime(2022, 12, 20, 9, tzinfo=VN)
    )
    Dossier.objects.create(
        code="NEW", unit=commune, procedure=procedure, status=4, accepted_at=dt.datetime(2023, 3, 1, 9, tzinfo=VN)
    )
    results = refresh([(commune.pk, 0), (commune.pk, 2022), (commune.pk, 2023)])
    by_year = {r.year: r for r in results}
    assert "2000–2100" in by_year[0].skipped  # the year is outside what the system computes
    assert by_year[2023].skipped == "" and IndicatorValue.objects.filter(period="2023", unit=commune).exists()
    assert 2022 in by_year  # refreshed, or skipped with the engine's reason, never raised
    assert by_year[2022].skipped in ("", "due date falls beyond the calendar's range")


def test_the_import_command_reports_a_skipped_year_and_settles_its_marks(plan_2023, tmp_path):
    commune = Unit.objects.get(code="22915")
    RefreshMark.objects.create(unit_id=commune.pk, year=1)
    results = refresh_pending()
    assert [r.year for r in results] == [1] and results[0].skipped
    assert not RefreshMark.objects.exists()  # settled: the next import does not trip over it again
    out = StringIO()
    RefreshMark.objects.create(unit_id=commune.pk, year=1)
    call_command("recompute_indicators", pending=True, stdout=out)
    assert "1: skipped" in out.getvalue()
