from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrincipalSelectionConfig(AppConfig):
    name = "workflows.principal_selection"
    label = "principal_selection"
    verbose_name = _("校长选拔任用")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # cadres.rules.registry imports only cadres modules: register this app's parameter rule here.
        from . import rules  # noqa: F401
