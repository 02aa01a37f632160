from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReorganisationConfig(AppConfig):
    """Pages of the unit events (the reorganisation): above `units` and `accounts`, which it uses for permissions."""

    name = "cchc.reorganisation"
    verbose_name = _("Reorganisation of units")
