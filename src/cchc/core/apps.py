from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "cchc.core"
    verbose_name = _("Core")

    def ready(self):
        from django.apps import apps
        from django.contrib.auth.signals import user_logged_in
        from django.db.backends.signals import connection_created
        from django.db.models.signals import pre_save

        from cchc.core import audit, dataversion
        from cchc.core.middleware import mark_login
        from cchc.core.text import normalise_on_save

        user_logged_in.connect(mark_login, dispatch_uid="cchc-idle-session-login")
        # Every write to a table the pages read moves the data version their cache is keyed on.
        connection_created.connect(dataversion.install, dispatch_uid="cchc-data-version")

        # Text typed or imported is normalised before it is stored, whichever way it comes in (pages, API, admin,
        # commands): no control character ever reaches a generated Word or Excel file (cchc.core.text).
        for model in apps.get_models():
            if model.__module__.startswith("cchc.") or model._meta.label == "auth.User":
                pre_save.connect(normalise_on_save, sender=model, dispatch_uid=f"cchc-normalise-{model._meta.label}")

        # Once every model is loaded: no reverse relation in an audited model's diff (cchc.core.audit).
        audit.exclude_reverse_relations()
