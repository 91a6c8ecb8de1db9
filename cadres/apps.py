from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CadresConfig(AppConfig):
    name = "cadres"
    verbose_name = _("干部信息")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.backends.signals import connection_created

        from . import checks, lockouts  # noqa: F401  (registers system checks; audits login lockouts)
        from .prepared_sql import install
        from .workdays import connect_signals

        connect_signals()  # a saved calendar override drops the kept copy
        connection_created.connect(install, dispatch_uid="cadreflow-prepared-statements")
