"""The pages read a sheet and a ranking in a fixed number of queries, whatever the number of criteria and units."""

import pytest

from cchc.scoring.models import Assessment

pytestmark = pytest.mark.django_db


def test_the_default_sheet_and_the_ranking_take_a_bounded_number_of_queries(
    client, plan_2023, make_account, django_assert_max_num_queries
):
    from cchc.scoring import services, sets

    sets.load_defaults()
    criteria_set = services.set_for(2023, "district")
    assert criteria_set.criteria.count() > 50
    client.force_login(make_account("593", "editor"))
    client.post("/scoring/2023/593/act/", {"action": "open"})  # creates the draft (and computes its computed rows)
    assessment = Assessment.objects.get(unit__code="593")
    assessment.status = "submitted"
    assessment.save()
    client.force_login(make_account("593", "head"))
    with django_assert_max_num_queries(25):
        assert client.get("/scoring/2023/593/").status_code == 200
    client.force_login(make_account("SNV", "administrator", username="admin2"))
    with django_assert_max_num_queries(25):
        assert client.get("/scoring/2023/593/").status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get("/scoring/2023/council/").status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get("/scoring/2023/ranking/?kind=district").status_code == 200
