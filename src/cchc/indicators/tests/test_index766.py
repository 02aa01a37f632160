"""The 766 scoring rules (tthc-dossiers.md §6), including the spec's worked examples."""

import json
import subprocess
import sys

import pytest

from cchc.indicators.index766 import default_catalogue, parse_catalogue, score_document, score_unit


def test_the_worked_examples_of_the_spec():
    result = score_unit(
        "district",
        {
            "PROCESSING_ON_TIME": {"numerator": 970, "denominator": 1000},
            "ONLINE_SUBMISSION": {"numerator": 350, "denominator": 1000},
        },
    )
    assert result["metrics"]["PROCESSING_ON_TIME"] == {"ratio": 97.0, "score": 19.4, "max": 20.0}
    assert result["metrics"]["ONLINE_SUBMISSION"] == {"ratio": 35.0, "score": 4.2, "max": 6.0}
    assert result["groups"] == {"progress": {"score": 19.4, "max": 20.0}, "online_service": {"score": 4.2, "max": 6.0}}
    assert result["total"] == 23.6


def test_points_are_capped_at_full_marks_and_rounded_half_up_per_metric():
    result = score_unit(
        "commune",
        {
            "ONLINE_SUBMISSION": {"numerator": 80, "denominator": 100},  # above t = 0.5 → full 6
            "ONLINE_SERVICE_PROVIDED": {"numerator": 3, "denominator": 8},  # 2 × 0.375/0.8 = 0.9375 → 0.94
            "DOSSIER_SYNC": {"numerator": 1, "denominator": 3},  # 6 × 1/3 = 1.999… → 2.00
            "REUSED_DIGITIZED_DATA": {"numerator": 1, "denominator": 32},  # 2 × 0.03125/0.8 = 0.078125 → 0.08
            "ORIGINAL_RESULT_AVAILABLE": {"numerator": 1, "denominator": 8},  # 6 × 0.125 = 0.75
            "SO_HOA_GIAY_TO_GIAI_QUYET": {"numerator": 1, "denominator": 800},  # 4 × 0.00125 = 0.005 → 0.01
        },
    )
    scores = {code: m["score"] for code, m in result["metrics"].items()}
    assert scores == {
        "ONLINE_SUBMISSION": 6.0,
        "ONLINE_SERVICE_PROVIDED": 0.94,
        "DOSSIER_SYNC": 2.0,
        "REUSED_DIGITIZED_DATA": 0.08,
        "ORIGINAL_RESULT_AVAILABLE": 0.75,
        "SO_HOA_GIAY_TO_GIAI_QUYET": 0.01,
    }
    # the group adds the rounded points: 0.08 + 0.75 + 0.01
    assert result["groups"]["digitisation"] == {"score": 0.84, "max": 12.0}


def test_zero_denominators_score_by_their_zero_rule_and_keep_their_maximum():
    result = score_unit(
        "commune",
        {
            "PROCESSING_ON_TIME": {"numerator": 0, "denominator": 0},
            "PETITION_PROCESSING_ON_TIME": {"numerator": 0, "denominator": 0},
            "PETITION_HANDLING_SATISFACTION": {"numerator": 0, "denominator": 0},
        },
    )
    assert result["metrics"]["PROCESSING_ON_TIME"] == {"ratio": None, "score": 0.0, "max": 20.0}
    assert result["metrics"]["PETITION_PROCESSING_ON_TIME"] == {"ratio": None, "score": 6.0, "max": 6.0}
    assert result["groups"]["satisfaction"] == {"score": 12.0, "max": 12.0}


def test_a_metric_not_reported_is_not_scored_and_an_empty_group_is_absent():
    result = score_unit("commune", {"PUBLISH_ON_TIME": {"numerator": 5, "denominator": 10}})
    assert result["groups"] == {"transparency": {"score": 3.0, "max": 6.0}}
    assert set(result["metrics"]) == {"PUBLISH_ON_TIME"}


def test_a_percentage_without_counts_is_used_as_the_ratio():
    result = score_unit(
        "province", {"ELECTRONIC_CERTIFIED_COPY": {"numerator": None, "denominator": None, "ratio": 50}}
    )
    assert result["metrics"]["ELECTRONIC_CERTIFIED_COPY"] == {"ratio": 50.0, "score": 1.0, "max": 2.0}


def test_given_counts_are_scored_whatever_the_level():
    # The level only decides what the engine computes from records (queries.metrics766); counts given are scored.
    metrics = {"CITIZEN_DATA_CONNECTED_DOSSIER": {"numerator": 1, "denominator": 2}}
    assert score_unit("commune", metrics)["metrics"]["CITIZEN_DATA_CONNECTED_DOSSIER"]["score"] == 1.0
    assert score_unit("province", metrics)["metrics"]["CITIZEN_DATA_CONNECTED_DOSSIER"]["score"] == 1.0


def test_bands_are_data():
    full = {m.code: {"numerator": 1, "denominator": 1} for m in default_catalogue().metrics}
    result = score_unit("province", full)
    assert result["total"] == 100.0 and result["band"] == "Xuất sắc"
    assert score_unit("commune", {"PROCESSING_ON_TIME": {"ratio": 100}})["band"] == "Yếu"  # 20 points


def test_the_catalogue_is_checked_when_loaded():
    data = {
        "version": "x",
        "groups": [{"code": "progress", "max": 20}],
        "metrics": [
            {
                "code": "A",
                "group": "progress",
                "max": 10,
                "threshold": 1,
                "zero": "zero",
                "levels": ["commune"],
                "source": "entered",
            }
        ],
        "bands": [{"label": "ok", "min": 0}],
    }
    with pytest.raises(ValueError, match="add up to 10, not 20"):
        parse_catalogue(data)


def test_bad_input_names_the_unit():
    with pytest.raises(ValueError, match=r"units\[1\] \(id b\): level 'town'"):
        score_document({"units": [{"id": "a", "level": "commune", "metrics": {}}, {"id": "b", "level": "town"}]})
    with pytest.raises(ValueError, match="numerator 5 exceeds denominator 2"):
        score_document(
            {
                "units": [
                    {"id": "a", "level": "commune", "metrics": {"DOSSIER_SYNC": {"numerator": 5, "denominator": 2}}}
                ]
            }
        )


def test_score766_command_runs_without_a_database(tmp_path):
    path = tmp_path / "counts.json"
    path.write_text(
        json.dumps(
            {
                "units": [
                    {
                        "id": "593",
                        "level": "district",
                        "metrics": {"PROCESSING_ON_TIME": {"numerator": 970, "denominator": 1000}},
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "cchc.settings",
        "DEBUG": "1",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
    }
    import os

    out = subprocess.run(
        [sys.executable, "-m", "cchc", "score766", str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    unit = json.loads(out.stdout)["units"][0]
    assert unit["id"] == "593" and unit["total"] == 19.4 and unit["groups"]["progress"] == {"score": 19.4, "max": 20.0}
