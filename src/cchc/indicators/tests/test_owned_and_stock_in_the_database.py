"""From the database: a department's catalogue figures and the procedures behind them are its own; the stock of
still-valid results (2.3) counts results of earlier years and is listed dossier by dossier."""

from django.core.cache import cache

from cchc.dossiers.models import Procedure
from cchc.indicators import drilldown
from cchc.indicators.compute import recompute
from cchc.indicators.tests.test_recompute import at, dossier, procedure, value  # noqa: F401  (fixture)
from cchc.units.models import Unit


def test_a_departments_procedures_are_its_own(plan_2023):
    stp, stc, province = (Unit.objects.get(code=c) for c in ("STP", "STC", "60"))
    own = {"at_province": True, "has_fee": True}
    Procedure.objects.create(code="P.1", name="Chứng thực", owner=stp, online_payment=True, **own)
    Procedure.objects.create(code="P.2", name="Lý lịch tư pháp", owner=stp, **own)
    Procedure.objects.create(code="P.3", name="Ngân sách", owner=stc, online_payment=True, **own)
    recompute(2023)
    assert value(stp, "FEE_PROCEDURES_ONLINE_PAYMENT", level="P") == (1, 2)
    assert value(stc, "FEE_PROCEDURES_ONLINE_PAYMENT", level="P") == (1, 1)
    assert value(province, "FEE_PROCEDURES_ONLINE_PAYMENT", level="P") == (2, 3)
    behind = drilldown.procedures_behind(stp, "202303", "FEE_PROCEDURES_ONLINE_PAYMENT", "denominator", "P")
    assert sorted(Procedure.objects.filter(pk__in=behind).values_list("code", flat=True)) == ["P.1", "P.2"]


def test_the_stock_of_results_counts_earlier_years_and_lists_them(plan_2023, procedure):  # noqa: F811
    commune = Unit.objects.get(code="22915")
    old = {"accepted_at": at("2022-05-02 08:00"), "due_at": None}
    dossier("OLD-PAPER", commune, procedure, finished_at=at("2022-05-03 08:00"), **old)
    dossier(
        "OLD-DIGITISED",
        commune,
        procedure,
        finished_at=at("2022-05-03 08:00"),
        result_digitised_at=at("2023-02-01 09:00"),
        **old,
    )
    dossier(
        "EXPIRED",
        commune,
        procedure,
        finished_at=at("2022-05-03 08:00"),
        result_expires_at=at("2023-01-01 00:00"),
        **old,
    )
    dossier("NEW-E", commune, procedure, electronic_result=True)  # finished 3/3/2023
    recompute(2023)
    cache.clear()
    assert value(commune, "RESULTS_VALID_DIGITISED") == (2, 3)  # 31/3/2023: 3 valid, 2 digitised
    assert value(commune, "RESULTS_VALID_DIGITISED", period="202301") == (0, 2)  # before both were digitised
    listed = drilldown.cached_behind(commune, "202303", "RESULTS_VALID_DIGITISED", "missing")
    assert len(listed[0]) == 1 and listed[1] == ["result_on_paper"]
