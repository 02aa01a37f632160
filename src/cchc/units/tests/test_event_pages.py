"""The events page, a unit's history, and the administrator's form for a later event."""

import datetime as dt

from cchc.units.models import Unit, UnitEvent


def test_a_new_ward_shows_the_communes_it_came_from(units_2026, make_account, client):
    client.force_login(make_account("SNV", "leader"))
    ward = Unit.objects.get(code="22945", valid_from=dt.date(2025, 7, 1))
    page = client.get(ward.get_absolute_url()).content.decode()
    assert "Nghị quyết 1671/NQ-UBTVQH15" in page and "Phường Lạc Đạo" in page
    assert client.get("/units/events/").status_code == 200


def test_only_an_administrator_records_an_event_and_the_form_checks_it(units_2026, make_account, client):
    client.force_login(make_account("SNV", "leader"))
    assert client.get("/units/events/new/").status_code == 403
    client.force_login(make_account("SNV", "administrator", username="quantri"))
    form = {
        "date": "01/03/2026",
        "kind": "merge",
        "basis": "",
        "predecessors": "22918, 22924",
        "successors": "22918; Phường Mũi Né - Phú Thủy; phường",
    }
    response = client.post("/units/events/new/", form)
    assert response.status_code == 200 and not UnitEvent.objects.filter(date=dt.date(2026, 3, 1)).exists()
    form["basis"] = "Nghị quyết số 01/2026 (ví dụ)"
    response = client.post("/units/events/new/", form)
    assert response.status_code == 302
    event = UnitEvent.objects.get(date=dt.date(2026, 3, 1))
    assert event.created_by.username == "quantri" and event.codes("from") == ["22918", "22924"]
    assert Unit.objects.valid_on(dt.date(2026, 3, 1)).get(code="22918").name == "Phường Mũi Né - Phú Thủy"
