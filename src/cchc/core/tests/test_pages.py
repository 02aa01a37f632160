"""Every page renders for a logged-in user and sends an anonymous one to the login page."""

import pytest
from django.urls import reverse

from cchc.units.models import Unit


def page_urls(plan):
    unit = Unit.objects.get(code="593")
    return [
        reverse("home"),
        reverse("plans:list"),
        reverse("plans:detail", args=[plan.year]),
        reverse("plans:tasks", args=[plan.year]),
        reverse("plans:target", args=[plan.year, "2.1"]),
        reverse("plans:export", args=[plan.year]),
        reverse("units:directory"),
        reverse("units:detail", args=[unit.pk]),
    ]


def test_pages_render_for_a_logged_in_user(plan_2023, officer_client):
    for url in page_urls(plan_2023):
        response = officer_client.get(url)
        assert response.status_code == 200, url


def test_anonymous_users_are_sent_to_the_login_page(plan_2023, client):
    for url in page_urls(plan_2023):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login") + "?next="), url


def test_the_plan_page_shows_every_target_with_its_thresholds_per_level(plan_2023, officer_client):
    html = officer_client.get(reverse("plans:detail", args=[2023])).content.decode()
    for code in ["1.1", "2.1", "2.2a", "2.5b", "3.1a", "6.3", "7.1"]:
        assert f">{code}</a>" in html
    assert "Hồ sơ TTHC được luân chuyển giữa các cơ quan bằng phương thức điện tử" in html
    assert "≥ 60%" in html and "≥ 70%" in html and "≥ 90%" in html
    assert "Cải cách thủ tục hành chính" in html


def test_tasks_filter_by_area_agency_and_status(plan_2023, officer_client):
    url = reverse("plans:tasks", args=[2023])
    area6 = plan_2023.areas.get(number=6)
    html = officer_client.get(url, {"area": area6.pk}).content.decode()
    assert "T6.8" in html and "T1.1" not in html
    syt = Unit.objects.get(code="SYT")
    html = officer_client.get(url, {"agency": syt.pk}).content.decode()
    assert "T3.7" in html and "T6.5" not in html
    html = officer_client.get(url, {"status": "done"}).content.decode()
    assert 'id="task-table"' in html and "T1.1" not in html


def test_an_htmx_filter_request_gets_only_the_table(plan_2023, officer_client):
    html = officer_client.get(
        reverse("plans:tasks", args=[2023]), {"area": plan_2023.areas.get(number=5).pk}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<html" not in html and "T5.3" in html and "T5.1" in html and "T4.1" not in html


def test_a_bad_filter_value_is_reported_not_a_server_error(plan_2023, officer_client):
    response = officer_client.get(reverse("plans:tasks", args=[2023]), {"status": "finished", "area": "abc"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode() or "Select a valid choice" in response.content.decode()


def test_unit_directory_shows_the_hierarchy_and_searches(plan_2023, officer_client):
    html = officer_client.get(reverse("units:directory")).content.decode()
    assert "Thành phố Phan Thiết" in html and "Phường Mũi Né" in html and "Sở Nội vụ" in html
    html = officer_client.get(reverse("units:directory"), {"q": "Mũi Né"}).content.decode()
    assert "Phường Mũi Né" in html and "Sở Nội vụ" not in html
    html = officer_client.get(reverse("units:directory"), {"date": "2020-01-01"}).content.decode()
    assert "Phường Mũi Né" not in html


@pytest.mark.parametrize("year,code", [(2031, "2.1"), (2023, "9.9")])
def test_unknown_plan_or_target_is_a_404(plan_2023, officer_client, year, code):
    assert officer_client.get(reverse("plans:target", args=[year, code])).status_code == 404
