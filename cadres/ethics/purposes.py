"""What the veto can block: the gates other workflows ask about."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class VetoPurpose(models.TextChoices):
    APPRAISAL_EXCELLENT = "appraisal_excellent", _("年度考核评为优秀")
    APPRAISAL_GRADE = "appraisal_grade", _("年度考核确定等次")
    AWARD = "award", _("评优评先")
    TITLE_PROMOTION = "title_promotion", _("职称评审")
    POST_PROMOTION = "post_promotion", _("职务晋升或岗位聘用")
    RESERVE_ENTRY = "reserve_entry", _("后备干部入库")
    SHORTLISTING = "shortlisting", _("列为考察对象")
    COMPETITION_REGISTRATION = "competition_registration", _("竞聘报名")
    TEACHER_REGISTRATION = "teacher_registration", _("教师资格定期注册")
