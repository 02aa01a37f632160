from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgencyPlansConfig(AppConfig):
    name = "cchc.agencyplans"
    verbose_name = _("Agency implementation plans")
