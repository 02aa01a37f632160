from django.apps import AppConfig


class ReorganisationConfig(AppConfig):
    """Pages of the unit events (the reorganisation): above `units` and `accounts`, which it uses for permissions."""

    name = "cchc.reorganisation"
    verbose_name = "Reorganisation"
