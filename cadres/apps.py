from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CadresConfig(AppConfig):
    name = "cadres"
    verbose_name = _("干部信息")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks, lockouts  # noqa: F401  (registers system checks; audits login lockouts)
        from .workdays import connect_signals

        connect_signals()  # a saved calendar override drops the kept copy
