from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReservePoolConfig(AppConfig):
    name = "reserve_pool"
    verbose_name = _("后备干部")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import rules  # noqa: F401  (registers the reserve-pool parameter rules with cadres.rules)
