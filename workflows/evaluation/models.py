"""年度考核 of school leaders and mid-level cadres, and their 任期 (terms).

One `EvaluationYear` per unit and year walks draft → proposed → confirmed → publicised → final (django-fsm,
`state` protected: only the services' transitions change it). Each cadre assessed has an `Assessment`; the
民主测评 counts of an assessment and of a term's review share one data shape and one validation
(`poll.py`, the `PollCounts` mixin), so the yearly 测评 and the 任期考核 can never drift apart.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from cadres.choices import AppraisalGrade
from cadres.files import random_upload_to

from .poll import PollCounts


class YearState(models.TextChoices):
    DRAFT = "draft", _("测评与拟定")
    PROPOSED = "proposed", _("已提出拟定等次")
    CONFIRMED = "confirmed", _("已会议确定")
    PUBLICISED = "publicised", _("优秀公示中")
    FINAL = "final", _("已办结")


# The cadres' wording of the registry's grades (the registry keeps the teachers' 合格 wording):
# 优秀 = excellent, 称职 = competent (合格), 基本称职 = basic (基本合格), 不称职 = incompetent (不合格),
# 不定等次 = unrated (a 记过 or 降低岗位等级 in force: comments only).
CADRE_GRADE_LABELS = {
    AppraisalGrade.EXCELLENT: _("优秀"),
    AppraisalGrade.COMPETENT: _("称职"),
    AppraisalGrade.BASIC: _("基本称职"),
    AppraisalGrade.INCOMPETENT: _("不称职"),
    AppraisalGrade.UNRATED: _("不定等次"),
}
CADRE_GRADE_CHOICES = [(str(k), v) for k, v in CADRE_GRADE_LABELS.items()]


def grade_label(grade: str) -> str:
    return str(CADRE_GRADE_LABELS.get(grade, "")) if grade else ""


class EvaluationYear(models.Model):
    """One unit's 年度考核 of its cadres for one year."""

    organization = models.ForeignKey(
        "cadres.Organization", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="evaluation_years"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    state = FSMField(_("状态"), default=YearState.DRAFT, choices=YearState.choices, protected=True)
    opened_on = models.DateField(_("开始日期"))
    attended = models.JSONField(_("测评实到人数"), default=dict, blank=True)
    polled_on = models.DateField(_("测评日期"), null=True, blank=True)
    excellent_places = models.PositiveSmallIntegerField(_("优秀名额"), default=0)
    excellent_rule = models.CharField(_("优秀名额依据"), max_length=200, blank=True)
    proposed_on = models.DateField(_("提出日期"), null=True, blank=True)
    meeting_on = models.DateField(_("会议日期"), null=True, blank=True)
    meeting_name = models.CharField(_("会议名称"), max_length=100, blank=True)
    publicity_start = models.DateField(_("公示开始"), null=True, blank=True)
    publicity_end = models.DateField(_("公示结束"), null=True, blank=True)
    publicity_workdays = models.PositiveSmallIntegerField(_("公示工作日"), null=True, blank=True)
    finalised_on = models.DateField(_("办结日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("年度考核")
        verbose_name_plural = _("年度考核")
        ordering = ["-year", "organization__code"]
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="evaluation_one_per_unit_year")]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}"

    @property
    def process_ref(self) -> str:
        return f"evaluation:{self.pk}"

    @transition(field=state, source=YearState.DRAFT, target=YearState.PROPOSED)
    def propose(self, *, on, places, rule_text):
        self.proposed_on, self.excellent_places, self.excellent_rule = on, places, rule_text

    @transition(field=state, source=YearState.PROPOSED, target=YearState.DRAFT)
    def send_back(self):
        self.proposed_on = None

    @transition(field=state, source=YearState.PROPOSED, target=YearState.CONFIRMED)
    def confirm(self, *, on, name):
        self.meeting_on, self.meeting_name = on, name

    @transition(field=state, source=YearState.CONFIRMED, target=YearState.PUBLICISED)
    def publicise(self, *, start, end, workdays):
        self.publicity_start, self.publicity_end, self.publicity_workdays = start, end, workdays

    @transition(field=state, source=YearState.PUBLICISED, target=YearState.FINAL)
    def finalise(self, *, on):
        self.finalised_on = on


class Assessment(PollCounts, models.Model):
    """One cadre in one unit's year: report, 测评 counts, the cap, the proposed, confirmed and final grade."""

    evaluation = models.ForeignKey(EvaluationYear, on_delete=models.CASCADE, related_name="assessments")
    person = models.ForeignKey("cadres.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="+")
    post_name = models.CharField(_("职务"), max_length=80)
    post_level = models.CharField(_("职务层级"), max_length=16)
    report = models.FileField(_("述职述廉报告"), upload_to=random_upload_to("evaluation"), blank=True)
    report_name = models.CharField(_("报告文件名"), max_length=255, blank=True)
    report_summary = models.TextField(_("报告摘要"), blank=True)
    cap_grade = models.CharField(_("最高可定等次"), max_length=16, blank=True)
    cap_reason = models.CharField(_("限制原因"), max_length=200, blank=True)
    proposed_grade = models.CharField(_("拟定等次"), max_length=16, choices=CADRE_GRADE_CHOICES, blank=True)
    proposed_by = models.CharField(_("提出方"), max_length=16, blank=True)
    confirmed_grade = models.CharField(_("确定等次"), max_length=16, choices=CADRE_GRADE_CHOICES, blank=True)
    meeting_note = models.CharField(_("会议意见"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("考核对象")
        verbose_name_plural = _("考核对象")
        ordering = ["evaluation", "id"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "person"], name="assessment_once_per_year")]

    def __str__(self) -> str:
        return f"{self.person} {self.evaluation.year}"


class Objection(models.Model):
    """An objection received during the 优秀 公示 (recorded, answered by the officer before finalising)."""

    evaluation = models.ForeignKey(EvaluationYear, on_delete=models.CASCADE, related_name="objections")
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="objections")
    received_on = models.DateField(_("收到日期"))
    text = models.TextField(_("异议内容"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        ordering = ["received_on", "id"]

    def __str__(self) -> str:
        return f"{self.assessment} {self.received_on}"


class Term(PollCounts, models.Model):
    """A school leader's 任期 within one tenure: 任期目标 at its start, 任期考核 at its end."""

    tenure = models.ForeignKey("cadres.Tenure", verbose_name=_("任职"), on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("cadres.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        "cadres.Organization", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveSmallIntegerField(_("第几个任期"), default=1)
    start_date = models.DateField(_("任期开始"))
    end_date = models.DateField(_("任期届满"))
    term_years = models.PositiveSmallIntegerField(_("任期年限"))
    goals = models.TextField(_("任期目标"), blank=True)
    goals_recorded_on = models.DateField(_("目标确定日期"), null=True, blank=True)
    attended = models.JSONField(_("测评实到人数"), default=dict, blank=True)
    review_grade = models.CharField(_("任期考核等次"), max_length=16, choices=CADRE_GRADE_CHOICES, blank=True)
    reviewed_on = models.DateField(_("任期考核日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("任期")
        verbose_name_plural = _("任期")
        ordering = ["end_date", "id"]
        constraints = [models.UniqueConstraint(fields=["tenure", "number"], name="term_number_once_per_tenure")]

    def __str__(self) -> str:
        return f"{self.person} {self.start_date}—{self.end_date}"
