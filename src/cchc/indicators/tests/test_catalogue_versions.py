"""The 766 catalogue in force for a period: the 2023 version, and the 2025 one of the two-level government."""

import datetime as dt
import json
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command

from cchc.indicators.index766 import catalogue_for, catalogue_named, newest_catalogue
from cchc.indicators.metrics import LEVEL_766
from cchc.indicators.queries import index766, metrics766
from cchc.units.models import Unit

CITIZEN = ["CITIZEN_DATA_CONNECTED_DOSSIER", "CITIZEN_DATA_CONNECTED_FORMALITY"]


def test_the_period_date_chooses_the_version():
    assert catalogue_for(dt.date(2023, 1, 1)).version == "766-2023"
    assert catalogue_for(dt.date(2025, 4, 1)).version == "766-2023"
    assert catalogue_for(dt.date(2025, 7, 1)).version == "766-2025"
    assert newest_catalogue().version == "766-2025"
    new = catalogue_named("2025")
    assert all("district" not in spec.levels for spec in new.metrics)
    assert all("commune" in new.by_code[code].levels for code in CITIZEN)
    assert all("commune" not in catalogue_named("2023").by_code[code].levels for code in CITIZEN)


def score(tmp_path, *options) -> dict:
    path = tmp_path / "counts.json"
    metrics = {code: {"numerator": 1, "denominator": 2} for code in CITIZEN}
    metrics["PROCESSING_ON_TIME"] = {"numerator": 970, "denominator": 1000}
    path.write_text(json.dumps({"units": [{"id": "26734", "level": "commune", "metrics": metrics}]}), "utf-8")
    out = StringIO()
    call_command("score766", str(path), *options, stdout=out)
    return json.loads(out.getvalue())["units"][0]


def test_score766_scores_every_metric_given_with_the_newest_catalogue(tmp_path):
    result = score(tmp_path)
    assert result["catalogue"] == "766-2025"
    assert result["metrics"]["CITIZEN_DATA_CONNECTED_DOSSIER"]["score"] == 1.0
    assert result["total"] == 19.4 + 1.0 + 1.0 and result["max"] == 24.0
    older = score(tmp_path, "--catalogue", "2023")
    assert older["catalogue"] == "766-2023" and older["total"] == 21.4
    with pytest.raises(CommandError, match="--catalogue: no 766 catalogue '2019'"):
        score(tmp_path, "--catalogue", "2019")


def test_entered_citizen_data_counts_count_for_a_commune_from_july_2025_only(units_2026_db):
    entered = {code: SimpleNamespace(numerator=1, denominator=2, ratio=None, source="entered") for code in CITIZEN}
    commune_2023 = Unit.objects.get(code="22915", valid_from=dt.date(2021, 1, 1))
    commune_2026 = Unit.objects.valid_on(dt.date(2026, 1, 1)).get(code="22918")
    assert LEVEL_766[commune_2026.kind] == "commune"
    assert all(metrics766(commune_2023, "2023", stored={}, entered=entered)[code] is None for code in CITIZEN)
    metrics = metrics766(commune_2026, "2026", stored={}, entered=entered)
    assert all(metrics[code]["numerator"] == 1 for code in CITIZEN)
    assert index766(commune_2026, "2026", metrics)["metrics"]["CITIZEN_DATA_CONNECTED_FORMALITY"]["score"] == 1.0


@pytest.fixture
def units_2026_db(db, load_units_2026):
    load_units_2026()
