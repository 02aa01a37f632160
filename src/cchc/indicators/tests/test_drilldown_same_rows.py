"""The narrowed drill-down lists exactly the dossiers of the engine's definition: the same rows as loading every
dossier processed in the period, and as many as the stored numerator or denominator counts."""

import pytest
from django.core.cache import cache
from django.core.management import call_command

from cchc.indicators import drilldown
from cchc.indicators.compute import recompute
from cchc.indicators.models import IndicatorValue
from cchc.indicators.tests.test_recompute import at, dossier, procedure  # noqa: F401  (fixture)
from cchc.indicators.views import engine_metric_codes
from cchc.units.models import Unit

PERIODS = ("2023Q1", "202306")


@pytest.fixture
def generated(plan_2023, synthetic_files):
    """A small synthetic year imported the way the demo imports it, with its figures computed."""
    out, catalogue = synthetic_files(3000, 11)
    call_command("import_catalogue", str(catalogue))
    call_command("import_dossiers", str(out), "--no-refresh")
    recompute(2023)
    cache.clear()


def ids(frame):
    return frame["id"].to_list()


def test_narrowing_the_load_keeps_every_listed_dossier(generated):
    units = [Unit.objects.get(code="60"), Unit.objects.get(code="593")]
    listed = 0
    for unit in units:
        for period in PERIODS:
            for metric in engine_metric_codes():
                for part in drilldown.PARTS:
                    for level in (None, "C") if unit.code == "593" else (None, "P"):
                        narrowed = drilldown.dossiers_behind(unit, period, metric, part, level)
                        everything = drilldown.dossiers_behind(unit, period, metric, part, level, narrow=False)
                        assert ids(narrowed) == ids(everything), (unit.code, period, metric, part, level)
                        listed += narrowed.height
    assert listed > 10_000  # the data set reaches every branch with real rows, not empty lists


def test_listed_counts_equal_the_stored_figures(generated):
    stored = IndicatorValue.objects.filter(
        unit__code__in=["60", "593"], period__in=["2023Q1", "2023"], metric__in=engine_metric_codes()
    ).select_related("unit")
    checked = 0
    for value in stored:
        level = None if value.level == "all" else value.level
        for part, expected in (
            ("numerator", value.numerator),
            ("denominator", value.denominator),
            ("missing", value.denominator - value.numerator),
        ):
            count = len(drilldown.cached_behind(value.unit, value.period, value.metric, part, level)[0])
            assert count == expected, (value.unit.code, value.period, value.level, value.metric, part)
            checked += 1
    assert checked > 200


def test_edge_cases_of_the_late_rule_are_kept(plan_2023, procedure):  # noqa: F811
    """Dossiers on the borders of the narrowing for the late list: due on the period's last day, finished on
    the due date, due computed from the procedure (no appointment), a second supplement request, ended after."""
    commune = Unit.objects.get(code="22915")
    cases = {
        "DUE-LAST-DAY-OPEN": {"status": 4, "due_at": at("2023-03-31 17:00"), "finished_at": None},
        "DUE-BEFORE-LAST-DAY-OPEN": {"status": 4, "due_at": at("2023-03-30 17:00"), "finished_at": None},
        "FINISHED-ON-DUE-DAY": {"due_at": at("2023-03-06 08:00"), "finished_at": at("2023-03-06 17:30")},
        "FINISHED-DAY-AFTER": {"due_at": at("2023-03-06 23:59"), "finished_at": at("2023-03-07 00:01")},
        "NO-APPOINTMENT-LATE": {"due_at": None, "finished_at": at("2023-03-20 10:00")},
        "NO-APPOINTMENT-ON-TIME": {"due_at": None, "finished_at": at("2023-03-02 10:00")},
        "TWO-REQUESTS": {
            "supplement_requested_at": at("2023-03-02 09:00"),
            "supplement_supplied_at": at("2023-03-02 15:00"),
            "supplement_count": 2,
        },
        "PAUSED-ON-TIME": {
            "due_at": at("2023-03-06 17:00"),
            "finished_at": at("2023-03-08 10:00"),
            "supplement_requested_at": at("2023-03-02 09:00"),
            "supplement_supplied_at": at("2023-03-05 09:00"),
            "supplement_count": 1,
        },
        "ENDED-AFTER-THE-PERIOD": {"due_at": at("2023-03-20 17:00"), "finished_at": at("2023-04-02 10:00")},
        "WITHDRAWN-LATE": {"status": 7, "due_at": at("2023-03-06 17:00"), "finished_at": at("2023-03-09 10:00")},
        "FINISHED-WITHOUT-END-STATUS": {"status": 4, "due_at": at("2023-03-06 17:00")},
    }
    for code, fields in cases.items():
        dossier(code, commune, procedure, **fields)
    recompute(2023)
    for period in ("202303", "2023Q1", "2023"):
        for part in drilldown.PARTS:
            narrowed = drilldown.dossiers_behind(commune, period, "PROCESSING_ON_TIME", part)
            everything = drilldown.dossiers_behind(commune, period, "PROCESSING_ON_TIME", part, narrow=False)
            assert ids(narrowed) == ids(everything), (period, part)
    late = drilldown.dossiers_behind(commune, "202303", "PROCESSING_ON_TIME", "missing")
    from cchc.dossiers.models import Dossier

    codes = set(Dossier.objects.filter(pk__in=ids(late)).values_list("code", flat=True))
    assert {"FINISHED-DAY-AFTER", "NO-APPOINTMENT-LATE", "TWO-REQUESTS", "WITHDRAWN-LATE"} <= codes
    assert not codes & {"DUE-LAST-DAY-OPEN", "FINISHED-ON-DUE-DAY", "NO-APPOINTMENT-ON-TIME", "PAUSED-ON-TIME"}
