from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "cchc.core"
    verbose_name = _("Core")

    def ready(self):
        from auditlog.registry import auditlog
        from django.apps import apps
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import pre_save

        from cchc.core.middleware import mark_login
        from cchc.core.text import normalise_on_save

        user_logged_in.connect(mark_login, dispatch_uid="cchc-idle-session-login")

        # Text typed or imported is normalised before it is stored, whichever way it comes in (pages, API, admin,
        # commands): no control character ever reaches a generated Word or Excel file (cchc.core.text).
        for model in apps.get_models():
            if model.__module__.startswith("cchc.") or model._meta.label == "auth.User":
                pre_save.connect(normalise_on_save, sender=model, dispatch_uid=f"cchc-normalise-{model._meta.label}")

        # django-auditlog diffs every field _meta lists, reverse relations included, so creating a report logged
        # "figures: None → reports.ReportFigure.None". Those are other objects' foreign keys, logged on their own
        # rows; keep them out of every audited model's diff. (All models are loaded before any ready() runs.)
        for model, options in auditlog._registry.items():
            reverse = [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]
            options["exclude_fields"] = list(dict.fromkeys([*options["exclude_fields"], *reverse]))
