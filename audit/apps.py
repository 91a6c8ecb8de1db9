from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("全程纪实")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import db  # noqa: F401  (installs the append-only guard on each connection)
