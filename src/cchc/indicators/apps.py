from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "cchc.indicators"
    verbose_name = _("Indicators")

    def ready(self):
        from cchc.core import hooks
        from cchc.dossiers.refresh import figures_from_dossiers
        from cchc.indicators.compute import refresh_pending

        # The figures of the (unit, year) pairs an import marked: right after it (dossiers' job and command), and
        # at the worker's start for the marks an interrupted import or refresh left.
        figures_from_dossiers.register("indicators", refresh_pending)
        hooks.settle_pending.register("indicator refreshes", refresh_pending)
