"""What a rule set is for: the gates at which eligibility is checked."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    PRINCIPAL_SHORTLIST = "principal_shortlist", _("校长选拔：确定考察对象")
    RESERVE_ENTRY = "reserve_entry", _("后备干部入库")
    COMPETITION_REGISTRATION = "competition_registration", _("中层竞聘报名")
    CADRE_EVALUATION = "cadre_evaluation", _("干部年度考核与任期制")
