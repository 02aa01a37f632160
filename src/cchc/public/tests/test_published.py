"""The public figures as data: province values per level, accepted reports only, 766 by unit, ranking."""

import pytest

from cchc.public import published
from cchc.public.tests.conftest import ON
from cchc.public.tests.helpers import periods_2023, report, store


@pytest.fixture
def data(plan_2023):
    store("60", "ROUTED_ELECTRONICALLY", 75, 100)
    store("60", "ROUTED_ELECTRONICALLY", 40, 50, "P")
    store("60", "ROUTED_ELECTRONICALLY", 35, 50, "C")
    store("593", "PROCESSING_ON_TIME", 10, 10)
    store("594", "PROCESSING_ON_TIME", 1, 10)
    periods = periods_2023()
    report("593", periods["Q1"], "accepted", {"legal_docs_issued": "12"})
    report("594", periods["Q1"], "accepted", {"legal_docs_issued": "5"})
    report("595", periods["Q1"], "draft", {"legal_docs_issued": "777"})
    report("STP", periods["Q1"], "submitted", {"legal_docs_issued": "888"})
    return published.build(2023, ON)


def target(data, code):
    return next(t for a in data["areas"] for t in a["targets"] if t["code"] == code)


def test_province_value_per_level_against_thresholds(data):
    routed = target(data, "2.1")
    assert routed["province_value"] == 75.0
    levels = {lv["level"]: (lv["value"], lv["met"]) for lv in routed["levels"]}
    assert levels == {"P": (80.0, True), "C": (70.0, True)}  # thresholds P ≥ 70, C ≥ 60
    assert {th["level"] for th in routed["thresholds"]} == {"P", "D", "C"}
    assert len([t for a in data["areas"] for t in a["targets"]]) == 27  # every target of the plan is listed


def test_reported_figures_sum_accepted_reports_only(data):
    issued = target(data, "1.1")["reported"]
    assert [(r["code"], r["total"], r["reports"]) for r in issued] == [("legal_docs_issued", 17, 2)]
    assert data["reported"]["reports"] == 2


def test_766_by_unit_and_ranking(data):
    codes = [r["code"] for r in data["index766"]]
    assert codes[0] == "60" and "593" in codes and "STP" in codes
    # departments, districts and communes each in their own table, never mixed
    groups = {g["kind"]: [r["code"] for r in g["rows"]] for g in data["index766_by_kind"]}
    assert list(groups) == ["province", "department", "district", "commune"]
    assert "STP" in groups["department"] and "593" in groups["district"] and "22915" in groups["commune"]
    assert "22915" not in groups["district"] and "593" not in groups["department"]
    assert "22915" not in data["chart"]["labels"] and len(data["chart"]["labels"]) == len(codes) - len(
        groups["commune"]
    )
    districts = data["ranking"]["district"]
    ranks = {r["code"]: r["rank"] for r in districts}
    assert ranks["593"] < ranks["594"]
    assert set(districts[0]) == {
        "rank", "code", "name", "score", "targets_met", "targets_judged", "on_time_share", "previous_rank", "change"
    }  # fmt: skip
    assert list(data["ranking"]) == ["department", "district", "commune"]


def test_nothing_private_in_the_data(data):
    text = repr(data)
    assert "777" not in text and "888" not in text  # draft and not-yet-accepted figures
    assert "Nhận xét" not in text  # reviewers' comments
    assert "signer" not in text


def test_par_index_absent_until_published(plan_2023, monkeypatch):
    assert published.par_index(2023) is None or isinstance(published.par_index(2023), list)
    rows = [
        {
            "unit_code": "593",
            "unit_name": "Thành phố Phan Thiết",
            "kind": "district",
            "index": 88.5,
            "rank": 1,
            "band": "Tốt",
            "secret": "x",
        }
    ]
    monkeypatch.setattr("cchc.scoring.queries.published_index", lambda year: rows)
    assert published.par_index(2023) == [
        {
            "unit_code": "593",
            "unit_name": "Thành phố Phan Thiết",
            "kind": "district",
            "index": 88.5,
            "rank": 1,
            "band": "Tốt",
        }
    ]
    monkeypatch.setattr("cchc.scoring.queries.published_index", lambda year: None)
    assert published.par_index(2023) is None
    monkeypatch.setattr("cchc.scoring.queries.published_index", lambda year: [])  # published sets, nobody ranked
    assert published.par_index(2023) is None


def test_data_version_moves_with_a_recomputation_or_an_acceptance(plan_2023):
    first = published.data_version(2023)
    store("60", "ROUTED_ELECTRONICALLY", 1, 2)
    second = published.data_version(2023)
    assert second[1] != first[1]
    periods = periods_2023()
    report("593", periods["Q1"], "accepted", {})
    assert published.data_version(2023)[1] != second[1]


def test_data_version_follows_the_index_publication_when_the_scoring_app_tells_it(plan_2023, monkeypatch):
    import datetime as dt

    monkeypatch.setattr("cchc.scoring.queries.published_at", lambda year: None)
    before = published.data_version(2023)[1]
    monkeypatch.setattr("cchc.scoring.queries.published_at", lambda year: dt.datetime(2024, 3, 1, tzinfo=dt.UTC))
    assert published.data_version(2023)[1] != before


def test_last_years_places_are_shown_when_that_year_is_published_and_hidden_otherwise(data, client):
    from io import StringIO

    from django.core.management import call_command

    from cchc.plans.models import Plan

    assert data["previous_year"] is None  # no 2022 plan
    assert all(r["previous_rank"] is None for rows in data["ranking"].values() for r in rows)
    html = client.get("/public/2023/").content.decode()
    assert 'class="num previous"' not in html

    call_command("copy_plan", "--from", "2023", "--to", "2024", stdout=StringIO())
    Plan.objects.filter(year=2024).update(status=Plan.Status.ACTIVE)
    later = published.build(2024, ON.replace(year=2024))
    assert later["previous_year"] == 2023
    before = {r["code"]: r["previous_rank"] for r in later["ranking"]["district"]}
    ranks_2023 = {r["code"]: r["rank"] for r in data["ranking"]["district"]}
    assert before["593"] == ranks_2023["593"] and before["594"] == ranks_2023["594"]  # filled from 2023's ranking
    html = client.get("/public/2024/").content.decode()
    assert "Hạng 2023" in html and 'class="num previous"' in html
