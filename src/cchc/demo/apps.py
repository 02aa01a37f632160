from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo seeders: the top layer, which plays a year through the other apps' services (no models, no pages;
    no app imports it)."""

    name = "cchc.demo"
    verbose_name = "Demo"  # never shown: the app has no models
