from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "cchc.accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        from cchc import restriction
        from cchc.accounts import access, signals

        signals.connect()
        restriction.install(access.restrict)  # Model.objects.restrict(user, action) → the one permission path
