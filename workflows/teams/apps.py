from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamsConfig(AppConfig):
    name = "workflows.teams"
    label = "teams"
    verbose_name = _("班子结构研判")
    default_auto_field = "django.db.models.BigAutoField"
