"""A competition (the viewflow process) and what each step records; the 能上能下 adjustment case.

`Competition.plan` is the working draft; `frozen_plan` + `plan_hash` are written once, when the bureau
accepts the filing, and never change afterwards (services refuse it). Everything after the freeze reads
the frozen plan only.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField, FSMModelMixin, transition
from viewflow.workflow.models import Process

from cadres.models import Organization, Person, Post, Tenure


class State(models.TextChoices):
    DRAFT = "draft", _("方案拟订")
    APPROVED = "approved", _("党组织会议已通过")
    FILED = "filed", _("已报备")
    RETURNED = "returned", _("局退回")
    FROZEN = "frozen", _("方案已定稿")
    ANNOUNCED = "announced", _("已公告")
    REGISTRATION_CLOSED = "registration_closed", _("报名结束")
    QUALIFIED = "qualified", _("资格审查完成")
    SITTING_OPEN = "sitting_open", _("评分进行中")
    SCORED = "scored", _("评分结束")
    RANKED = "ranked", _("已排名")
    INSPECTED = "inspected", _("已考察")
    DECIDED = "decided", _("已决定")
    NOT_DECIDED = "not_decided", _("未决定任用")
    PUBLICISED = "publicised", _("公示中")
    APPOINTED = "appointed", _("已聘任")
    REPORTED = "reported", _("已报备结果")
    CONFIRMED = "confirmed", _("试用期满考核完成")
    CLOSED = "closed", _("已结束")


_S = State
# Where a competition may go from each state (DOMAIN §5); `state` is protected: only `Competition.move_to`
# changes it, so no service sets it by hand and no step is taken out of order.
MOVES: dict[str, frozenset[str]] = {
    _S.DRAFT: frozenset({_S.APPROVED}),
    _S.RETURNED: frozenset({_S.DRAFT}),
    _S.APPROVED: frozenset({_S.FILED, _S.RETURNED}),
    _S.FILED: frozenset({_S.FROZEN}),
    _S.FROZEN: frozenset({_S.ANNOUNCED}),
    _S.ANNOUNCED: frozenset({_S.REGISTRATION_CLOSED}),
    _S.REGISTRATION_CLOSED: frozenset({_S.QUALIFIED}),
    _S.QUALIFIED: frozenset({_S.SITTING_OPEN}),
    _S.SITTING_OPEN: frozenset({_S.SCORED}),
    _S.SCORED: frozenset({_S.RANKED}),
    _S.RANKED: frozenset({_S.INSPECTED}),
    _S.INSPECTED: frozenset({_S.DECIDED, _S.NOT_DECIDED}),
    _S.DECIDED: frozenset({_S.PUBLICISED}),
    _S.PUBLICISED: frozenset({_S.APPOINTED}),
    _S.APPOINTED: frozenset({_S.REPORTED}),
    _S.REPORTED: frozenset({_S.CONFIRMED}),
}


class Competition(FSMModelMixin, Process):
    organization = models.ForeignKey(
        Organization, verbose_name=_("学校"), on_delete=models.PROTECT, related_name="+", null=True
    )
    title = models.CharField(_("竞聘名称"), max_length=120, blank=True)
    plan = models.JSONField(_("实施方案（草稿）"), default=dict, blank=True)
    frozen_plan = models.JSONField(_("实施方案（定稿）"), null=True, blank=True)
    plan_hash = models.CharField(_("方案哈希"), max_length=64, blank=True)
    frozen_at = models.DateTimeField(_("定稿时间"), null=True, blank=True)
    state = FSMField(_("状态"), max_length=24, choices=State.choices, default=State.DRAFT, protected=True)
    filing_accepted = models.BooleanField(_("局同意备案"), null=True)
    filing_reason = models.CharField(_("退回理由"), max_length=300, blank=True)
    sitting_opened_at = models.DateTimeField(_("评分开始"), null=True, blank=True)
    sitting_closed_at = models.DateTimeField(_("评分结束"), null=True, blank=True)
    publicity_start = models.DateField(_("公示开始"), null=True, blank=True)
    publicity_end = models.DateField(_("公示结束"), null=True, blank=True)
    publicity_workdays = models.PositiveSmallIntegerField(_("公示工作日数"), null=True, blank=True)
    document_number = models.CharField(_("聘任文号"), max_length=60, blank=True)
    appointed_on = models.DateField(_("聘任日期"), null=True, blank=True)
    reported_on = models.DateField(_("报备日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("中层干部竞聘")
        verbose_name_plural = _("中层干部竞聘")

    @transition(field=state, source="*", target=RETURN_VALUE(*State.values))
    def move_to(self, target: str) -> str:
        """Move the competition to `target` if `MOVES` allows it from its state (staying is no move); else
        refuse with the two states."""
        if target != self.state and target not in MOVES.get(self.state, frozenset()):
            raise ValidationError(
                gettext_now("竞聘当前为“%(now)s”，不能转为“%(to)s”。")
                % {"now": State(self.state).label, "to": State(target).label},
                code="illegal_transition",
            )
        return target

    def __str__(self) -> str:
        return self.title or f"中层干部竞聘 #{self.pk}"

    # Gateway predicates.
    @property
    def meeting_approved(self) -> bool:
        return self.state == State.APPROVED

    @property
    def filing_ok(self) -> bool:
        return bool(self.filing_accepted)

    @property
    def has_appointee(self) -> bool:
        return self.registrations.filter(status=RegStatus.DECIDED).exists()

    @property
    def rules(self) -> dict:
        """The frozen plan (empty before the freeze)."""
        return self.frozen_plan or {}


class RegStatus(models.TextChoices):
    REGISTERED = "registered", _("已报名")
    WITHDRAWN = "withdrawn", _("已撤回")
    QUALIFIED = "qualified", _("资格审查通过")
    REFUSED = "refused", _("资格审查未通过")
    SHORTLISTED = "shortlisted", _("考察对象")
    DECIDED = "decided", _("决定聘任")
    NOT_PASSED = "not_passed", _("未通过")
    ENDED = "ended", _("终止聘任")
    APPOINTED = "appointed", _("已聘任")


class Registration(models.Model):
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="registrations")
    post = models.ForeignKey(Post, verbose_name=_("竞聘岗位"), on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, verbose_name=_("报名人"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=16, choices=RegStatus.choices, default=RegStatus.REGISTERED)
    registered_at = models.DateTimeField(_("报名时间"), auto_now_add=True)
    paper_form = models.BooleanField(_("纸质报名表代为录入"), default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    entered_at = models.DateTimeField(_("录入时间"), null=True, blank=True)
    reason = models.CharField(_("审查意见"), max_length=500, blank=True)
    number = models.PositiveSmallIntegerField(_("抽签序号"), null=True, blank=True)
    evaluation = models.DecimalField(_("民主测评成绩"), max_digits=5, decimal_places=2, null=True, blank=True)
    performance = models.DecimalField(_("工作业绩成绩"), max_digits=5, decimal_places=2, null=True, blank=True)
    # Written once by the ranking step (`services.ranking_compute` from `scoring.rank_post`); documents print them.
    speech = models.DecimalField(_("演讲答辩成绩"), max_digits=5, decimal_places=2, null=True, blank=True)
    dropped = models.JSONField(_("去掉的评分"), default=dict, blank=True)  # judge label → "high" / "low"
    composite = models.DecimalField(_("综合成绩"), max_digits=5, decimal_places=2, null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("名次"), null=True, blank=True)
    shortlisted = models.BooleanField(_("进入考察"), default=False)
    trace = models.JSONField(_("计算过程"), default=list, blank=True)
    inspection = models.TextField(_("考察意见"), blank=True)
    tenure = models.ForeignKey(Tenure, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    probation_result = models.CharField(_("试用期满考核"), max_length=10, blank=True)
    probation_reason = models.CharField(_("考核意见"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("竞聘报名")
        verbose_name_plural = _("竞聘报名")
        ordering = ["post_id", "number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["competition", "post", "person"], name="competition_one_registration")
        ]

    def __str__(self) -> str:
        return f"{self.person.name}（{self.post.name}）"


class JudgeAssignment(models.Model):
    """A judge on a post's panel; `recused` panels keep the row to record why the judge stepped aside."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="judges")
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="+")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField(_("评委编号"))
    recused = models.BooleanField(_("回避"), default=False)
    recusal_reason = models.CharField(_("回避理由"), max_length=200, blank=True)

    class Meta:
        ordering = ["post_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["competition", "post", "judge"], name="competition_one_judge_per_post")
        ]

    def __str__(self) -> str:
        return f"{self.label}（{self.post.name}）"

    @property
    def label(self) -> str:
        return f"评委{self.number}"


class ScoreSheet(models.Model):
    """One judge's sheet for one candidate: locked (immutable) from the moment it is saved."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="sheets")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    scores = models.JSONField(_("分项得分"), default=list)
    total = models.DecimalField(_("总分"), max_digits=5, decimal_places=2)
    comment = models.CharField(_("评语"), max_length=300, blank=True)
    paper = models.BooleanField(_("纸质评分表录入"), default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("提交锁定时间"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["registration", "judge"], name="competition_one_sheet")]

    def __str__(self) -> str:
        return f"{self.registration}·{self.judge}"


class PaperEntry(models.Model):
    """One officer's keying of a paper sheet; two matching entries by two officers make the ScoreSheet."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    scores = models.JSONField(default=list)
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["registration", "judge", "officer"], name="competition_one_entry")
        ]

    def __str__(self) -> str:
        return f"{self.registration}·{self.officer}"


class AdjustmentTrigger(models.TextChoices):
    OFFICER = "officer", _("组织提出")
    APPRAISAL_FAILED = "appraisal_failed", _("年度考核不合格")
    APPRAISAL_BASIC_TWICE = "appraisal_basic_twice", _("连续两年年度考核基本合格")
    ETHICS_SANCTION = "ethics_sanction", _("受师德处理")


class AdjustmentOutcome(models.TextChoices):
    REMOVE = "remove", _("免去职务")
    DEMOTE = "demote", _("降职使用")
    KEEP = "keep", _("不予调整")


class ReportStatus(models.TextChoices):
    FILED = "filed", _("已报局，待审核")
    ACKNOWLEDGED = "acknowledged", _("局已确认")
    RETURNED = "returned", _("局退回，待重报")


class Adjustment(Process):
    """能上能下: one proposal to remove or demote one sitting mid-level cadre, and its report to the bureau."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("学校"), on_delete=models.PROTECT, related_name="+", null=True
    )
    tenure = models.ForeignKey(
        Tenure, verbose_name=_("现任职务"), on_delete=models.PROTECT, related_name="+", null=True
    )
    trigger = models.CharField(_("启动原因"), max_length=24, choices=AdjustmentTrigger.choices, blank=True)
    grounds = models.TextField(_("调整理由"), blank=True)
    proposed_outcome = models.CharField(_("拟调整方式"), max_length=8, choices=AdjustmentOutcome.choices, blank=True)
    proposed_post = models.ForeignKey(
        Post, verbose_name=_("拟任较低职务"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    statement = models.TextField(_("本人陈述"), blank=True)
    statement_on = models.DateField(_("陈述日期"), null=True, blank=True)
    statement_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("陈述录入人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    statement_on_behalf = models.BooleanField(_("代为录入"), default=False)
    statement_entered_at = models.DateTimeField(_("陈述录入时间"), null=True, blank=True)
    outcome = models.CharField(_("决定"), max_length=8, choices=AdjustmentOutcome.choices, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    new_tenure = models.ForeignKey(Tenure, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    report_summary = models.TextField(_("调整情况报告"), blank=True)
    reported_on = models.DateField(_("报局日期"), null=True, blank=True)
    report_status = models.CharField(_("报告状态"), max_length=12, choices=ReportStatus.choices, blank=True)
    report_return_reason = models.CharField(_("局退回理由"), max_length=300, blank=True)
    report_reviewed_on = models.DateField(_("局审核日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("干部能上能下调整")
        verbose_name_plural = _("干部能上能下调整")

    def __str__(self) -> str:
        if self.tenure_id:
            return f"{self.tenure.person.name}（{self.tenure.post.name}）调整"
        return f"干部调整 #{self.pk}"

    @property
    def person(self):
        return self.tenure.person if self.tenure_id else None

    # Gateway predicate.
    @property
    def report_acknowledged(self) -> bool:
        return self.report_status == ReportStatus.ACKNOWLEDGED
