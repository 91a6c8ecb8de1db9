from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "workflows.exchange"
    label = "exchange"
    verbose_name = _("干部交流轮岗")
    default_auto_field = "django.db.models.BigAutoField"
