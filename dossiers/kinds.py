"""The kinds of dossier document (DOMAIN §8), each with its template."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DossierKind(models.TextChoices):
    APPOINTMENT_FORM = "appointment_form", _("干部任免审批表")
    INSPECTION_REPORT = "inspection_report", _("考察材料")
    RECOMMENDATION_TALLY = "recommendation_tally", _("推荐票统计表")
    EVALUATION_TALLY = "evaluation_tally", _("民主测评统计表")
    VOTE_SHEET = "vote_sheet", _("表决票/计票单")
    MINUTES_EXTRACT = "minutes_extract", _("会议纪要摘录")
    PUBLIC_NOTICE = "public_notice", _("任前公示")
    APPOINTMENT_NOTICE = "appointment_notice", _("任职通知")
    COMPETITION_SCORE_SHEET = "competition_score_sheet", _("竞聘评分表")
    COMPETITION_RANKING = "competition_ranking", _("竞聘成绩汇总及排名")
    COMPETITION_ANNOUNCEMENT = "competition_announcement", _("竞聘公告")
    COMPETITION_REGISTRATIONS = "competition_registrations", _("竞聘报名情况表")
    COMPETITION_QUALIFICATION = "competition_qualification", _("竞聘资格审查结果")
    ADJUSTMENT_DECISION = "adjustment_decision", _("干部职务调整决定")
    ETHICS_DECISION = "ethics_decision", _("师德处理决定书")
    RESERVE_PROFILE = "reserve_profile", _("后备干部小传")
    RESERVE_ROSTER = "reserve_roster", _("后备干部名册")
    RECORD_SHEET = "record_sheet", _("干部选拔任用工作纪实表")


def template_for(kind: str) -> str:
    return f"dossiers/{kind}.html"
