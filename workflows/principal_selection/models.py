"""A principal-selection case (the viewflow process) and what each step records.

`SelectionCase` extends viewflow's Process (multi-table) with the work plan and the step results;
candidates, recommendation rounds, checks and step notes hang off it; its meetings and 公示 objections are
`workflows.meetings` rows (`case.meetings`, `case.objections`).
Derived figures (shares, ranks, tallies) are computed, never stored.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField, FSMModelMixin, transition
from viewflow.workflow.models import Process, Task

from cadres.files import random_upload_to
from cadres.models import Person, Post, Tenure


class Method(models.TextChoices):
    RECOMMENDATION = "recommendation", _("民主推荐")
    COMPETITION = "competition", _("竞争上岗")
    OPEN_SELECTION = "open_selection", _("公开选拔")


class CaseState(models.TextChoices):
    PROPOSED = "proposed", _("已动议")
    AWAITING_APPROVAL = "awaiting_approval", _("待上级审批")
    RECOMMENDED = "recommended", _("已推荐")
    SHORTLISTED = "shortlisted", _("已确定考察对象")
    INSPECTED = "inspected", _("已考察")
    DECIDED = "decided", _("已决定")
    PUBLICISED = "publicised", _("公示中")
    APPOINTED = "appointed", _("已任职")
    ON_PROBATION = "on_probation", _("试用期")
    CONFIRMED = "confirmed", _("正式任职")
    REVERTED = "reverted", _("试用期满未通过，已免去试任职务")
    SUSPENDED = "suspended", _("暂缓任用")
    REJECTED = "rejected", _("上级未批准")
    CLOSED = "closed", _("已终止")
    CANCELLED = "cancelled", _("已撤销")


_S = CaseState
_ENDINGS = {_S.CANCELLED, _S.CLOSED}
_BACK = {_S.PROPOSED, _S.RECOMMENDED}  # 退回重办 (actions.send_back)
# Where a case may go from each state (DOMAIN §3); every other move is refused, and `state` is protected:
# only `SelectionCase.move_to` changes it, so the steps' services cannot set it by hand.
MOVES: dict[str, frozenset[str]] = {
    _S.PROPOSED: frozenset({_S.PROPOSED, _S.AWAITING_APPROVAL, _S.RECOMMENDED, *_ENDINGS}),
    _S.AWAITING_APPROVAL: frozenset({_S.AWAITING_APPROVAL, _S.PROPOSED, _S.RECOMMENDED, _S.REJECTED, *_ENDINGS}),
    _S.RECOMMENDED: frozenset({_S.SHORTLISTED, *_BACK, *_ENDINGS}),
    _S.SHORTLISTED: frozenset({_S.INSPECTED, _S.SUSPENDED, _S.REJECTED, *_BACK, *_ENDINGS}),
    _S.INSPECTED: frozenset({_S.INSPECTED, _S.DECIDED, _S.SUSPENDED, *_BACK, *_ENDINGS}),
    _S.DECIDED: frozenset({_S.DECIDED, _S.PUBLICISED, _S.SUSPENDED, *_ENDINGS}),
    _S.PUBLICISED: frozenset({_S.APPOINTED, _S.ON_PROBATION, _S.SUSPENDED, *_ENDINGS}),
    _S.ON_PROBATION: frozenset({_S.CONFIRMED, _S.REVERTED}),
}


class SelectionCase(FSMModelMixin, Process):
    """One selection for one post: the work plan, the gates' facts and the appointment."""

    post = models.ForeignKey(Post, verbose_name=_("拟任职位"), on_delete=models.PROTECT, related_name="+", null=True)
    posts_to_fill = models.PositiveSmallIntegerField(_("拟任职数"), default=1)
    method = models.CharField(_("选拔方式"), max_length=20, choices=Method.choices, default=Method.RECOMMENDATION)
    scope = models.CharField(_("推荐范围"), max_length=200, blank=True)
    plan = models.TextField(_("工作方案"), blank=True)
    qualification_overrides = models.JSONField(_("任职资格（收紧）"), default=dict, blank=True)
    started_on = models.DateField(_("动议日期"), null=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("经办人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    state = FSMField(_("状态"), max_length=24, choices=CaseState.choices, default=CaseState.PROPOSED, protected=True)
    exceptional = models.BooleanField(_("破格或越级提拔"), default=False)
    exceptional_reason = models.CharField(_("破格理由"), max_length=300, blank=True)
    exception_approved = models.BooleanField(_("上级已批准"), null=True)
    exception_approved_on = models.DateField(_("上级批准日期"), null=True, blank=True)
    exception_approver = models.CharField(_("批准机关"), max_length=100, blank=True)
    inspection_team = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("考察组"), related_name="+")
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    publicity_start = models.DateField(_("公示开始"), null=True, blank=True)
    publicity_end = models.DateField(_("公示结束"), null=True, blank=True)
    publicity_workdays = models.PositiveSmallIntegerField(_("公示工作日数"), null=True, blank=True)
    document_number = models.CharField(_("任职文号"), max_length=60, blank=True)
    notice_date = models.DateField(_("任职通知日期"), null=True, blank=True)
    talk_on = models.DateField(_("任职谈话日期"), null=True, blank=True)
    talk_by = models.CharField(_("谈话人"), max_length=60, blank=True)
    probation_end = models.DateField(_("试用期满"), null=True, blank=True)
    closing_reason = models.CharField(_("终止或撤销理由"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("校长选拔任用")
        verbose_name_plural = _("校长选拔任用")
        ordering = ["-created"]

    @transition(field=state, source="*", target=RETURN_VALUE(*CaseState.values))
    def move_to(self, target: str) -> str:
        """Move the case to `target` if `MOVES` allows it from its state (staying where it is is no move and
        always allowed: a second check record on a suspended case); else refuse with the two states."""
        if target != self.state and target not in MOVES.get(self.state, frozenset()):
            raise ValidationError(
                gettext_now("案件当前为“%(now)s”，不能转为“%(to)s”。")
                % {"now": CaseState(self.state).label, "to": CaseState(target).label},
                code="illegal_transition",
            )
        return target

    def __str__(self) -> str:
        return f"{self.post}选拔任用（#{self.pk}）" if self.post_id else f"校长选拔任用 #{self.pk}"

    @property
    def organization(self):
        return self.post.organization

    # Gateway predicates (read by the flow graph).
    @property
    def needs_exception_approval(self) -> bool:
        return self.exceptional

    @property
    def exception_granted(self) -> bool:
        return bool(self.exception_approved)

    @property
    def has_appointee(self) -> bool:
        return self.candidates.filter(status=CandidateStatus.DECIDED).exists()

    @property
    def probation_confirmed(self) -> bool:
        return self.state == CaseState.CONFIRMED

    @property
    def needs_probation(self) -> bool:
        return self.probation_end is not None

    @property
    def active_candidates(self):
        return self.candidates.filter(status__in=ACTIVE_STATUSES)


class CandidateStatus(models.TextChoices):
    RECOMMENDED = "recommended", _("推荐人选")
    SHORTLISTED = "shortlisted", _("考察对象")
    DEFERRED = "deferred", _("缓议")
    DECIDED = "decided", _("决定任用")
    NOT_PASSED = "not_passed", _("未通过")
    ENDED = "ended", _("终止任用")
    APPOINTED = "appointed", _("已任职")


ACTIVE_STATUSES = (CandidateStatus.SHORTLISTED, CandidateStatus.DEFERRED, CandidateStatus.DECIDED)


class Candidate(models.Model):
    case = models.ForeignKey(SelectionCase, on_delete=models.CASCADE, related_name="candidates")
    person = models.ForeignKey(Person, verbose_name=_("人选"), on_delete=models.PROTECT, related_name="+")
    from_pool = models.BooleanField(_("后备干部"), default=False)
    status = models.CharField(max_length=16, choices=CandidateStatus.choices, default=CandidateStatus.RECOMMENDED)
    end_reason = models.CharField(_("终止理由"), max_length=300, blank=True)
    eligibility = models.JSONField(_("资格审查"), default=dict, blank=True)
    talks = models.PositiveIntegerField(_("个别谈话人数"), null=True, blank=True)
    evaluation = models.JSONField(_("民主测评"), default=dict, blank=True)
    report = models.JSONField(_("考察材料"), default=dict, blank=True)
    former_tenure = models.ForeignKey(
        Tenure, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("原任职务")
    )
    new_tenure = models.ForeignKey(Tenure, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["case", "-from_pool", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "person"], name="ps_candidate_once_per_case")]

    def __str__(self) -> str:
        return self.person.name


class RoundForm(models.TextChoices):
    TALK = "talk", _("谈话调研推荐")
    MEETING = "meeting", _("会议推荐")


class RecommendationRound(models.Model):
    case = models.ForeignKey(SelectionCase, on_delete=models.CASCADE, related_name="rounds")
    form = models.CharField(_("推荐方式"), max_length=10, choices=RoundForm.choices)
    held_on = models.DateField(_("推荐日期"))
    voters = models.JSONField(_("参加人员"), default=list)  # [{category, due, attended}]
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["case", "held_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_form_display()} {self.held_on}"

    @property
    def due(self) -> int:
        return sum(int(v["due"]) for v in self.voters)

    @property
    def attended(self) -> int:
        return sum(int(v["attended"]) for v in self.voters)


class RecommendationVote(models.Model):
    round = models.ForeignKey(RecommendationRound, on_delete=models.CASCADE, related_name="votes")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    votes = models.PositiveIntegerField(_("得票"))

    class Meta:
        ordering = ["round", "-votes", "id"]

    def __str__(self) -> str:
        return f"{self.person} {self.votes}"


class CheckKind(models.TextChoices):
    DOSSIER = "dossier_review", _("档案必审")
    PERSONAL_MATTERS = "personal_matters_check", _("个人有关事项报告必核")
    DISCIPLINE = "discipline_opinion", _("纪检监察机关意见必听")
    PETITION = "petition_check", _("信访举报必查")


class CheckRecord(models.Model):
    """One of the four musts for one candidate; `figures` holds the dates and findings of that check."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="checks")
    kind = models.CharField(max_length=32, choices=CheckKind.choices)
    figures = models.JSONField(default=dict)
    passed = models.BooleanField(_("未发现影响使用的问题"), default=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["candidate", "kind"], name="ps_check_once")]

    def __str__(self) -> str:
        return f"{self.candidate} {self.get_kind_display()}"


class IntegritySignature(models.Model):
    """The 廉洁自律结论性意见 signatures: the party secretary's and the discipline secretary's."""

    class Capacity(models.TextChoices):
        PARTY_SECRETARY = "party_secretary", _("党委（工委）书记")
        DISCIPLINE_SECRETARY = "discipline_secretary", _("纪委书记（纪检监察组组长）")

    case = models.ForeignKey(SelectionCase, on_delete=models.CASCADE, related_name="signatures")
    capacity = models.CharField(max_length=24, choices=Capacity.choices)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    conclusion = models.TextField(_("结论性意见"))
    signed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "capacity"], name="ps_signature_once")]

    def __str__(self) -> str:
        return self.get_capacity_display()


class StepNote(models.Model):
    """A comment or an attachment on a step of a case."""

    case = models.ForeignKey(SelectionCase, on_delete=models.CASCADE, related_name="notes")
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    step = models.CharField(_("环节"), max_length=40, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("意见"), blank=True)
    # Stored under a random name, served only by the note's attachment view (who sees the case's record).
    attachment = models.FileField(_("附件"), upload_to=random_upload_to("principal_selection"), blank=True)
    attachment_name = models.CharField(_("附件原文件名"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.step} {self.author}"

    @property
    def attachment_download_name(self) -> str:
        """The uploader's file name, or the stored one for attachments from before it was kept."""
        return self.attachment_name or self.attachment.name.rsplit("/", 1)[-1]
