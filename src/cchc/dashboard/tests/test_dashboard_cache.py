"""The dashboard is kept in the page cache (cchc.core.pagecache): never stale after a change, never one viewer's."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.dashboard.tests.data import ROUTED
from cchc.dashboard.tests.test_dashboard_page import board_data, row  # noqa: F401  (fixture)
from cchc.indicators.models import IndicatorValue
from cchc.reports.models import Report
from cchc.units.models import Unit

URL = reverse("dashboard:home")


def test_a_second_view_reads_the_kept_board(client, make_account, board_data):  # noqa: F811
    client.force_login(make_account("60", "leader"))
    with CaptureQueriesContext(connection) as first:
        html = client.get(URL, {"period": "2023"}).content.decode()
    with CaptureQueriesContext(connection) as second:
        again = client.get(URL, {"period": "2023"}).content.decode()
    assert _board(again) == _board(html) and "2.1" in _board(html)
    assert len(second) < len(first) / 2


def _board(html: str) -> str:
    """The page's content but for the parts of each response (CSRF token, script nonce)."""
    return html.split("<main", 1)[1].split("<script", 1)[0]


def test_a_changed_figure_shows_at_once(client, make_account, board_data):  # noqa: F811
    province, _district = board_data
    client.force_login(make_account("60", "leader"))
    assert "80,0%" in row(client.get(URL, {"period": "2023"}).content.decode(), "2.1")
    # What a recompute does: the stored figures of the year replaced.
    IndicatorValue.objects.filter(unit=province, metric=ROUTED, level="P").update(numerator=910, denominator=1000)
    assert "91,0%" in row(client.get(URL, {"period": "2023"}).content.decode(), "2.1")


def test_an_accepted_report_shows_at_once(client, make_account, board_data):  # noqa: F811
    client.force_login(make_account("60", "leader"))
    assert "20,0%" in row(client.get(URL, {"period": "2023"}).content.decode(), "6.4")
    report = Report.objects.get(unit=Unit.objects.get(code="594"), period__kind="Y")  # La Gi's, submitted
    report.status = "accepted"
    report.save()
    assert "60,0%" in row(client.get(URL, {"period": "2023"}).content.decode(), "6.4")  # (4+16+100)/(40+60+100)


@pytest.mark.parametrize("first", ["leader", "editor"])
def test_viewers_with_different_scopes_never_get_each_others_board(client, make_account, board_data, first):  # noqa: F811
    leader, editor = make_account("60", "leader"), make_account("22915", "editor")
    order = [leader, editor] if first == "leader" else [editor, leader]
    seen = {}
    for user in order:
        client.force_login(user)
        seen[user] = row(client.get(URL, {"period": "2023"}).content.decode(), "6.4")
    assert "20,0%" in seen[leader] and "4/40" in seen[leader]
    assert "20,0%" not in seen[editor] and "4/40" not in seen[editor]  # other units' reports are not its to see
    # The dossiers behind a figure are linked only for those who may open them.
    client.force_login(leader)
    assert "/indicators/60/2023/dossiers/" in row(client.get(URL, {"period": "2023"}).content.decode(), "2.1")
    client.force_login(editor)
    assert "/dossiers/" not in row(client.get(URL, {"period": "2023"}).content.decode(), "2.1")


def test_the_same_scope_shares_the_kept_board(client, make_account, board_data):  # noqa: F811
    first, second = make_account("60", "leader", username="leader-a"), make_account("60", "leader", username="leader-b")
    client.force_login(first)
    client.get(URL, {"period": "2023"})
    client.force_login(second)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(URL, {"period": "2023"}).content.decode()
    assert "20,0%" in row(html, "6.4")
    assert not any("indicators_indicatorvalue" in q["sql"] for q in queries.captured_queries)
