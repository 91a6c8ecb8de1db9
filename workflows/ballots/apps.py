from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BallotsConfig(AppConfig):
    name = "workflows.ballots"
    label = "ballots"
    verbose_name = _("电子投票")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import logfilter

        logfilter.install()
