from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """The top of the layers: the pages that look across every app (the start page, the whole audit log).

    Nothing imports this app; it may import any other. `core` stays at the bottom (layout, jobs, uploads, audit
    helpers) and imports none of the apps built on it.
    """

    name = "cchc.home"
    verbose_name = _("Start page and audit log")
