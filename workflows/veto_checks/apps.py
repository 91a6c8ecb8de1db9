from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VetoChecksConfig(AppConfig):
    name = "workflows.veto_checks"
    label = "veto_checks"
    verbose_name = _("一票否决名单校验")
    default_auto_field = "django.db.models.BigAutoField"
