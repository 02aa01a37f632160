"""The list pages read the database a fixed number of times, however many units and reports there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.reports.tests.conftest import complete_report

pytestmark = pytest.mark.django_db


def count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, params).status_code == 200
    return len(context.captured_queries)


def test_the_matrix_and_the_queue_do_not_query_per_report(client, q1, periods_2023, make_account):
    client.force_login(make_account("SNV", "administrator"))
    report = complete_report("593", q1)
    report.status = "submitted"
    report.save()
    index_before = count_queries(client, reverse("reports:index"), {"year": 2023})
    queue_before = count_queries(client, reverse("reports:review"))
    for code in ("594", "595", "596", "SNV", "STP"):
        for period in periods_2023.values():
            other = complete_report(code, period)
            other.status, other.on_time = "submitted", True
            other.save()
    assert count_queries(client, reverse("reports:index"), {"year": 2023}) == index_before
    assert count_queries(client, reverse("reports:review")) == queue_before


def test_the_report_page_does_not_query_per_figure(client, q1, periods_2023, make_account):
    client.force_login(make_account("593", "editor"))
    few = complete_report("593", q1, figures={"psu_total": "3"})
    many = complete_report("593", periods_2023["H1"])
    assert count_queries(client, few.get_absolute_url()) == count_queries(client, many.get_absolute_url())
