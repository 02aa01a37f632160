from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "cchc.core"
    verbose_name = _("Core")

    def ready(self):
        from auditlog.registry import auditlog

        # django-auditlog diffs every field _meta lists, reverse relations included, so creating a report logged
        # "figures: None → reports.ReportFigure.None". Those are other objects' foreign keys, logged on their own
        # rows; keep them out of every audited model's diff. (All models are loaded before any ready() runs.)
        for model, options in auditlog._registry.items():
            reverse = [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]
            options["exclude_fields"] = list(dict.fromkeys([*options["exclude_fields"], *reverse]))
