"""Vietnamese is the default whatever the browser asks for; English is one click away."""

from django.urls import reverse


def test_vietnamese_is_the_default_even_for_an_english_browser(plan_2023, officer_client):
    html = officer_client.get(reverse("plans:detail", args=[2023]), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    text = html.content.decode()
    assert '<html lang="vi">' in text
    assert "Cơ quan theo dõi" in text and "Monitored by" not in text


def test_choosing_english_switches_the_interface(plan_2023, officer_client):
    officer_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    text = officer_client.get(reverse("plans:detail", args=[2023])).content.decode()
    assert '<html lang="en">' in text
    assert "Monitored by" in text
    assert "Administrative-procedure reform" in text  # area names have an English form too
