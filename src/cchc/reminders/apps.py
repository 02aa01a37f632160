from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "cchc.reminders"
    verbose_name = _("Reminders")

    def ready(self):
        from cchc.reminders import steps, waiting
        from cchc.review.signals import step_taken

        step_taken.connect(steps.on_step, dispatch_uid="cchc.reminders.steps")
        waiting.register()
