"""Issue 13 (Low): the ranking page no longer tells every account how many other units' sheets are not final; only
the publisher (Sở Nội vụ), who must finalise or leave out each one, sees them."""

import pytest

from cchc.scoring.tests.pages import district_set, opened, pdf, submitted  # noqa: F401

pytestmark = pytest.mark.django_db


def test_pending_sheets_are_shown_to_the_publisher_only(client, district_set, make_account, pdf):  # noqa: F811
    submitted(district_set, "593", make_account("593", "editor"), make_account("593", "head"), pdf())
    opened(district_set, "594")  # La Gi's draft
    client.force_login(make_account("22915", "editor"))
    page = client.get("/scoring/2023/ranking/?kind=district")
    assert page.status_code == 200
    assert len(page.context["pending"]) == 0 and "chưa chốt" not in page.text and "not final yet" not in page.text
    client.force_login(make_account("594", "editor"))
    assert {a.unit.code for a in client.get("/scoring/2023/ranking/?kind=district").context["pending"]} == {"594"}
    client.force_login(make_account("SNV", "administrator"))
    pending = client.get("/scoring/2023/ranking/?kind=district").context["pending"]
    assert {a.unit.code for a in pending} == {"593", "594"}
