from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "workflows.meetings"
    label = "meetings"
    verbose_name = _("会议表决与公示反映问题")
    default_auto_field = "django.db.models.BigAutoField"
