"""The plan page is kept in the page cache (cchc.core.pagecache) and shows a change of the plan at once."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cchc.plans.models import Target, Threshold

URL = "/plans/2023/"


def test_a_changed_target_shows_on_the_plan_page_at_once(plan_2023, officer_client):
    assert "70%" in officer_client.get(URL).content.decode().split(">2.1</a>", 1)[1].split("</tr>", 1)[0]
    assert "Hồ sơ được luân chuyển hoàn toàn điện tử" not in officer_client.get(URL).content.decode()
    with CaptureQueriesContext(connection) as kept:
        officer_client.get(URL)
    assert not any("plans_threshold" in q["sql"] for q in kept.captured_queries)  # read from the cache
    target = Target.objects.get(plan__year=2023, code="2.1")
    target.name = "Hồ sơ được luân chuyển hoàn toàn điện tử"
    target.save()
    Threshold.objects.filter(target=target, level="P").update(value=95)
    html = officer_client.get(URL).content.decode()
    row = html.split(">2.1</a>", 1)[1].split("</tr>", 1)[0]
    assert "Hồ sơ được luân chuyển hoàn toàn điện tử" in row and "95%" in row
