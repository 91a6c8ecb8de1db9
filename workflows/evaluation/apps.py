from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "workflows.evaluation"
    label = "evaluation"
    verbose_name = _("干部年度考核与任期制")
    default_auto_field = "django.db.models.BigAutoField"
