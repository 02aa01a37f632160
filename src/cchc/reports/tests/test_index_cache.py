"""The reports index keeps its "who has reported" table in the page cache (cchc.core.pagecache): fresh after a
review, and each viewer's own."""

import re

from cchc.dashboard.tests.data import accepted_report
from cchc.units.models import Unit

URL = "/reports/?year=2023"


def unit_row(html: str, code: str) -> str:
    match = re.search(rf'<tr data-unit="{code}">(.*?)</tr>', html, re.S)
    return match[1] if match else ""


def test_an_accepted_report_shows_in_the_table_at_once(plan_2023, client, make_account):
    client.force_login(make_account("60", "administrator"))
    assert 'data-status="accepted"' not in unit_row(client.get(URL).content.decode(), "STP")
    client.get(URL)  # kept
    accepted_report(Unit.objects.get(code="STP"), "Y", {})
    assert 'data-status="accepted"' in unit_row(client.get(URL).content.decode(), "STP")


def test_the_table_is_shown_only_to_those_who_may_see_it_whoever_came_first(plan_2023, client, make_account):
    administrator, editor = make_account("60", "administrator"), make_account("STP", "editor")
    for first, second in [(administrator, editor), (editor, administrator)]:
        pages = {}
        for user in (first, second):
            client.force_login(user)
            pages[user] = client.get(URL).content.decode()
        assert 'id="matrix"' in pages[administrator] and unit_row(pages[administrator], "593")
        assert 'id="matrix"' not in pages[editor] and not unit_row(pages[editor], "593")
