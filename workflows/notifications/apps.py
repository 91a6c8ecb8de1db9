from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "workflows.notifications"
    label = "notifications"
    verbose_name = _("期限与通知")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals  # noqa: F401  (the Task post_save receiver)
        from .deadlines import connect_signals

        connect_signals()  # a saved step deadline drops the kept copy
