from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "cchc.review"
    verbose_name = _("Submission and review")

    def ready(self):
        from cchc import waiting
        from cchc.review.waiting import items_for

        waiting.register(items_for, "review")
