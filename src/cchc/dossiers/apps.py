from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "cchc.dossiers"
    verbose_name = _("Procedures and dossiers")

    def ready(self):
        from cchc.core import hooks
        from cchc.dossiers.models import RefreshMark

        hooks.health_counts.register("indicator_refreshes_pending", RefreshMark.objects.count)
