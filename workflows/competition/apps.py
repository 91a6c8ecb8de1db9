from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetitionConfig(AppConfig):
    name = "workflows.competition"
    label = "competition"
    verbose_name = _("中层干部竞聘上岗")
    default_auto_field = "django.db.models.BigAutoField"
