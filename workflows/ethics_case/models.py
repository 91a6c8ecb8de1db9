"""The teacher-ethics violation case (违反职业道德行为处理) as a viewflow process, with its evidence.

`EthicsCase` holds the case data of every step; the flow (`flows.EthicsCaseFlow`) decides which step is
open, the services (`services`) are the only writers. The sanctions themselves are the teacher's registry
records (`cadres.ethics.models.Sanction`), written through `cadres.ethics.services`.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from cadres import choices as c
from cadres.ethics.models import SEVERITY, SanctionKind, SanctionRegime, Violation
from cadres.files import random_upload_to

# 2018 办法 第五条: a hearing the teacher asks for must be held for 降低岗位等级 or heavier.
HEARING_SEVERITY = SEVERITY[SanctionKind.POST_GRADE_DEMOTION]

# The 处分 proper; the other measures (其他处理) may come with one or stand alone.
DISCIPLINARY_CHOICES = [
    (k.value, k.label)
    for k in (
        SanctionKind.WARNING,
        SanctionKind.DEMERIT,
        SanctionKind.MAJOR_DEMERIT,
        SanctionKind.DEMOTION,
        SanctionKind.POST_GRADE_DEMOTION,
        SanctionKind.REMOVAL_FROM_POST,
        SanctionKind.EXPULSION,
    )
]
MEASURE_CHOICES = [
    (k.value, k.label)
    for k in (
        SanctionKind.CRITICISM,
        SanctionKind.ADMONITION,
        SanctionKind.ORDERED_REVIEW,
        SanctionKind.CIRCULATED_CRITICISM,
    )
]


class CaseSource(models.TextChoices):
    SCHOOL_REPORT = "school_report", _("学校报告")
    BUREAU_FOUND = "bureau_found", _("教育局发现")
    PETITION = "petition", _("信访举报")


class DisqualificationScope(models.TextChoices):
    """取消…资格 (2018 办法 第三条) that the veto can enforce; each maps onto veto purposes."""

    AWARDS = "awards", _("评奖评优")
    PROMOTION = "promotion", _("职务晋升")
    TITLE = "title", _("职称评定")
    POST_HIRING = "post_hiring", _("岗位聘用")


DISQUALIFICATION_PURPOSES = {
    DisqualificationScope.AWARDS: ["award"],
    DisqualificationScope.PROMOTION: ["post_promotion", "reserve_entry", "shortlisting", "competition_registration"],
    DisqualificationScope.TITLE: ["title_promotion"],
    DisqualificationScope.POST_HIRING: ["post_promotion"],
}


class Revision(models.TextChoices):
    """What a review answer (复核) or an appeal decision (申诉) does to the sanction: never heavier."""

    KEEP = "keep", _("维持原处理")
    LIGHTEN = "lighten", _("减轻处理")
    ANNUL = "annul", _("撤销处理")


class CaseOutcome(models.TextChoices):
    UNFOUNDED = "unfounded", _("经调查未查实，不予处理")
    NOT_SANCTIONED = "not_sanctioned", _("决定不予处理")
    FINAL = "final", _("处理决定生效")
    ANNULLED = "annulled", _("处理决定已撤销")


def bureau_for(organization):
    """The education bureau a school answers to: its parent when that is a bureau, else the district's bureau."""
    from cadres.models import Organization

    if organization.is_bureau:
        return organization
    parent = organization.parent
    if parent is not None and parent.is_bureau:
        return parent
    return Organization.objects.filter(kind=c.OrgKind.BUREAU).order_by("code").first()


def measure_labels(measures: list[dict]) -> list[str]:
    """Other measures as a reader says them: 通报批评, 取消评奖评优、职称评定资格24个月."""
    labels = []
    for m in measures or []:
        if m.get("kind") == SanctionKind.DISQUALIFICATION:
            scopes = "、".join(str(DisqualificationScope(s).label) for s in m.get("scopes", []))
            labels.append(str(_("取消%(s)s资格%(n)s个月")) % {"s": scopes, "n": m.get("months")})
        elif m.get("kind") in SanctionKind.values:
            labels.append(str(SanctionKind(m["kind"]).label))
    return labels


def severity(kind: str) -> int:
    return SEVERITY.get(kind, 0) if kind else 0


def measures_severity(kind: str, measures: list[dict]) -> int:
    """The severity of a whole decision: its 处分, or its heaviest other measure."""
    return max([severity(kind), *(severity(m.get("kind", "")) for m in measures or [])])


class EthicsCase(Process):
    """One case against one teacher, from the report to the appeal decision."""

    # report (报告)
    teacher = models.ForeignKey(
        "cadres.Person", verbose_name=_("当事教师"), on_delete=models.PROTECT, related_name="ethics_cases"
    )
    organization = models.ForeignKey(
        "cadres.Organization", verbose_name=_("所在学校"), on_delete=models.PROTECT, related_name="ethics_cases"
    )
    authority = models.ForeignKey(
        "cadres.Organization",
        verbose_name=_("处理决定机关"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("公办学校为主管教育部门；民办学校为学校本身，报主管教育部门备案"),
    )
    source = models.CharField(_("案件来源"), max_length=20, choices=CaseSource.choices)
    report_text = models.TextField(_("反映的问题"))
    reported_on = models.DateField(_("报告日期"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("报告人"), on_delete=models.PROTECT, related_name="+"
    )

    # investigation (调查核实)
    investigator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("调查人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    investigator_assigned_on = models.DateField(_("指定调查日期"), null=True, blank=True)
    findings = models.TextField(_("调查认定的事实"), blank=True)
    violations = models.JSONField(_("违反职业道德行为"), default=list, blank=True)
    intended_kind = models.CharField(
        _("拟处理意见（事先告知）"), max_length=32, choices=SanctionKind.choices, blank=True
    )
    regime = models.CharField(
        _("适用规定"), max_length=16, choices=SanctionRegime.choices, default=SanctionRegime.TEACHER
    )
    investigated_on = models.DateField(_("调查结束日期"), null=True, blank=True)

    # statement and defence, hearing (陈述申辩、听证)
    statement = models.TextField(_("陈述"), blank=True)
    defence = models.TextField(_("申辩"), blank=True)
    statement_waived = models.BooleanField(_("放弃陈述申辩"), default=False)
    hearing_requested = models.BooleanField(_("要求听证"), default=False)
    statement_on = models.DateField(_("陈述申辩日期"), null=True, blank=True)
    hearing_on = models.DateField(_("听证日期"), null=True, blank=True)
    hearing_record = models.TextField(_("听证记录"), blank=True)

    # proposal by the school (学校提出处理建议)
    proposed_kind = models.CharField(_("建议处分"), max_length=32, choices=SanctionKind.choices, blank=True)
    proposed_measures = models.JSONField(_("建议的其他处理"), default=list, blank=True)
    proposal_reason = models.TextField(_("处理建议理由"), blank=True)
    proposed_on = models.DateField(_("建议日期"), null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("建议人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    # decision (处理决定)
    decided_kind = models.CharField(_("决定处分"), max_length=32, choices=SanctionKind.choices, blank=True)
    decided_measures = models.JSONField(_("决定的其他处理"), default=list, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    document_number = models.CharField(_("决定文号"), max_length=60, blank=True)
    decision_meeting = models.CharField(_("研究决定的会议"), max_length=100, blank=True)
    decision_facts = models.TextField(_("决定书载明的事实"), blank=True)
    appeal_body = models.CharField(_("申诉受理机关"), max_length=100, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定经办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    filed_with_bureau_on = models.DateField(_("报主管部门备案日期"), null=True, blank=True)
    sanction = models.ForeignKey(
        "cadres.Sanction",
        verbose_name=_("现行处理记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    # review (复核)
    review_due = models.DateField(_("复核申请期限"), null=True, blank=True)
    review_applied_on = models.DateField(_("申请复核日期"), null=True, blank=True)
    review_reason = models.TextField(_("复核理由"), blank=True)
    review_answer_due = models.DateField(_("复核答复期限"), null=True, blank=True)
    review_answered_on = models.DateField(_("复核答复日期"), null=True, blank=True)
    review_result = models.CharField(_("复核结论"), max_length=16, choices=Revision.choices, blank=True)
    review_new_kind = models.CharField(_("复核变更后的处理"), max_length=32, choices=SanctionKind.choices, blank=True)
    review_answer = models.TextField(_("复核答复"), blank=True)
    review_answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("复核经办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    # appeal (申诉)
    appeal_due = models.DateField(_("申诉期限"), null=True, blank=True)
    appeal_applied_on = models.DateField(_("提出申诉日期"), null=True, blank=True)
    appeal_reason = models.TextField(_("申诉理由"), blank=True)
    appeal_decision_due = models.DateField(_("申诉处理期限"), null=True, blank=True)
    appeal_extended = models.BooleanField(_("已延长申诉处理期限"), default=False)
    appeal_extension_reason = models.TextField(_("延长理由"), blank=True)
    appeal_decided_on = models.DateField(_("申诉处理日期"), null=True, blank=True)
    appeal_result = models.CharField(_("申诉处理结论"), max_length=16, choices=Revision.choices, blank=True)
    appeal_new_kind = models.CharField(_("申诉变更后的处理"), max_length=32, choices=SanctionKind.choices, blank=True)
    appeal_decision = models.TextField(_("申诉处理意见"), blank=True)
    appeal_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申诉处理经办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    outcome = models.CharField(_("结果"), max_length=20, choices=CaseOutcome.choices, blank=True)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("师德违规案件")
        verbose_name_plural = _("师德违规案件")
        ordering = ["-created", "-process_ptr"]
        indexes = [models.Index(fields=["organization", "outcome"])]

    def __str__(self) -> str:
        return _("%(name)s师德违规案件（%(n)s）") % {"name": self.teacher.name, "n": self.pk or "—"}

    # -- facts the flow's gateways and the pages read

    @property
    def ref(self) -> str:
        """How other records (sanctions, dossiers, audit payloads) point at this case."""
        return f"ethics_case:{self.pk}"

    @property
    def is_private_school(self) -> bool:
        return self.organization.ownership == c.Ownership.PRIVATE

    @property
    def bureau(self):
        """The bureau that answers reviews: the authority for public schools, the school's bureau otherwise."""
        return self.authority if not self.is_private_school else bureau_for(self.organization)

    @property
    def violation_found(self) -> bool:
        return bool(self.violations)

    @property
    def needs_hearing(self) -> bool:
        """The teacher asked, and the sanction notified to them is 降低岗位等级 or heavier."""
        return self.hearing_requested and severity(self.intended_kind) >= HEARING_SEVERITY

    @property
    def is_sanctioned(self) -> bool:
        return bool(self.decided_kind or self.decided_measures)

    @property
    def sanction_stands(self) -> bool:
        """After the review answer: something is left to appeal against."""
        return self.sanction_id is not None and self.review_result != Revision.ANNUL

    @property
    def proposed_measure_labels(self) -> list[str]:
        return measure_labels(self.proposed_measures)

    @property
    def decided_measure_labels(self) -> list[str]:
        return measure_labels(self.decided_measures)

    @property
    def stage_label(self) -> str:
        return c.label_of(CaseOutcome, self.outcome) if self.outcome else str(_("办理中"))

    @property
    def teacher_user(self):
        """The teacher's login (their Profile names them), or None."""
        from cadres.models import Profile

        profile = Profile.objects.select_related("user").filter(person_id=self.teacher_id).first()
        return profile.user if profile else None

    @property
    def violation_labels(self) -> list[str]:
        return [str(Violation(v).label) for v in self.violations if v in Violation.values]

    @staticmethod
    def _closing_moment(due: dt.date | None) -> dt.datetime:
        """The first moment after the last day of a period, in the site's time zone."""
        day = (due or timezone.localdate()) + dt.timedelta(days=1)
        return timezone.make_aware(dt.datetime.combine(day, dt.time.min))

    @property
    def review_window_closes(self) -> dt.datetime:
        return self._closing_moment(self.review_due)

    @property
    def appeal_window_closes(self) -> dt.datetime:
        return self._closing_moment(self.appeal_due)


def evidence_path(instance: EthicsCaseEvidence, filename: str) -> str:
    """The old, guessable naming; migration 0001 still refers to it. New files use `random_upload_to`."""
    return f"ethics_cases/{instance.case_id}/{filename}"


class EthicsCaseEvidence(models.Model):
    """A piece of evidence gathered in the investigation.

    Stored under a random name (the uploader's file name is kept in `original_name` and used only as the
    download's name) and served only by the case's evidence view, to the readers `actors.may_read_evidence`
    allows.
    """

    case = models.ForeignKey(EthicsCase, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("文件"), upload_to=random_upload_to("ethics_cases"))
    original_name = models.CharField(_("原文件名"), max_length=255, blank=True)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("证据材料")
        verbose_name_plural = _("证据材料")
        ordering = ["case", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.description or self.download_name

    @property
    def download_name(self) -> str:
        """The name the file is saved as: the uploader's name, or the stored one for files from before."""
        return self.original_name or self.file.name.rsplit("/", 1)[-1]
