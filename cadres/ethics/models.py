"""A person's ethics records: yearly assessments (师德考核) and sanctions (处分 and other measures).

They are registry records (DOMAIN §6): the veto service in `cadres.ethics.veto` reads them, and the
workflows write them through `cadres.ethics.services`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Violation(models.TextChoices):
    """The 11 kinds of 《中小学教师违反职业道德行为处理办法（2018年修订）》第四条."""

    POLITICAL = "v01", _("损害党中央权威、违背党的路线方针政策的言行")
    PUBLIC_INTEREST = "v02", _("损害国家利益、社会公共利益，或违背社会公序良俗")
    FALSE_INFORMATION = "v03", _("发表、转发错误观点，或编造散布虚假信息、不良信息")
    TEACHING_DISCIPLINE = "v04", _("违反教学纪律，敷衍教学，或擅自从事影响教育教学本职工作的兼职兼薪行为")
    STUDENT_ABUSE = "v05", _("歧视、侮辱学生，虐待、伤害学生")
    ABANDONING_STUDENTS = "v06", _("遇突发事件、面临危险时，不顾学生安危，擅离职守，自行逃离")
    SEXUAL_MISCONDUCT = "v07", _("与学生发生不正当关系，有任何形式的猥亵、性骚扰行为")
    FRAUD = "v08", _("在招生、考试、推优、保送及绩效考核、岗位聘用、职称评聘、评优评奖等工作中徇私舞弊、弄虚作假")
    GIFTS = "v09", _("索要、收受学生及家长财物或参加由学生及家长付费的宴请、旅游、娱乐休闲等活动等")
    PAID_TUTORING = "v10", _("组织、参与有偿补课，或为校外培训机构和他人介绍生源、提供相关信息")
    OTHER = "v11", _("其他违反职业道德的行为")


class EthicsGrade(models.TextChoices):
    """Default grade scheme; the grades in use come from the rule set (`ethics_grades`)."""

    EXCELLENT = "excellent", _("优秀")
    COMPETENT = "competent", _("合格")
    BASIC = "basic", _("基本合格")
    FAILED = "failed", _("不合格")


class EthicsAssessment(models.Model):
    """One teacher's 师德考核 for one year, with the four inputs and the school's decision."""

    person = models.ForeignKey("cadres.Person", on_delete=models.PROTECT, related_name="ethics_assessments")
    year = models.PositiveSmallIntegerField(_("考核年度"))
    self_review = models.TextField(_("个人自评"), blank=True)
    peer_review = models.TextField(_("同事评议"), blank=True)
    student_review = models.TextField(_("学生评议"), blank=True)
    parent_review = models.TextField(_("家长评议"), blank=True)
    grade = models.CharField(_("考核等次"), max_length=16, choices=EthicsGrade.choices, blank=True)
    violations = models.JSONField(_("查实的违规行为"), default=list, blank=True)
    decided_on = models.DateField(_("确定等次日期"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("师德考核")
        verbose_name_plural = _("师德考核")
        ordering = ["person", "year"]
        constraints = [models.UniqueConstraint(fields=["person", "year"], name="ethics_assessment_once_a_year")]

    def __str__(self) -> str:
        return f"{self.year}年师德考核 {self.get_grade_display() or '未定'}"

    def clean(self):
        if self.grade == EthicsGrade.FAILED and not self.violations:
            raise ValidationError({"violations": _("师德考核不合格须列明查实的违规行为。")})
        unknown = set(self.violations or []) - set(Violation.values)
        if unknown:
            raise ValidationError({"violations": _("未知的违规行为类别：%(v)s") % {"v": "、".join(sorted(unknown))}})


class SanctionKind(models.TextChoices):
    """处分 (2018 办法 and 2023 事业单位处分规定), 政务处分 for managerial staff, other measures."""

    WARNING = "warning", _("警告")
    DEMERIT = "demerit", _("记过")
    MAJOR_DEMERIT = "major_demerit", _("记大过")
    DEMOTION = "demotion", _("降级")
    POST_GRADE_DEMOTION = "post_grade_demotion", _("降低岗位等级")
    REMOVAL_FROM_POST = "removal_from_post", _("撤职")
    EXPULSION = "expulsion", _("开除")
    CRITICISM = "criticism", _("批评教育")
    ADMONITION = "admonition", _("诫勉谈话")
    ORDERED_REVIEW = "ordered_review", _("责令检查")
    CIRCULATED_CRITICISM = "circulated_criticism", _("通报批评")
    DISQUALIFICATION = "disqualification", _("取消相关资格")


DISCIPLINARY_KINDS = frozenset(
    {
        SanctionKind.WARNING,
        SanctionKind.DEMERIT,
        SanctionKind.MAJOR_DEMERIT,
        SanctionKind.DEMOTION,
        SanctionKind.POST_GRADE_DEMOTION,
        SanctionKind.REMOVAL_FROM_POST,
        SanctionKind.EXPULSION,
    }
)

# Severity order, lightest first: an appeal may keep, lighten or annul, never go up this list.
SEVERITY = {
    SanctionKind.CRITICISM: 1,
    SanctionKind.ORDERED_REVIEW: 1,
    SanctionKind.CIRCULATED_CRITICISM: 2,
    SanctionKind.ADMONITION: 2,
    SanctionKind.DISQUALIFICATION: 3,
    SanctionKind.WARNING: 4,
    SanctionKind.DEMERIT: 5,
    SanctionKind.MAJOR_DEMERIT: 6,
    SanctionKind.DEMOTION: 7,
    SanctionKind.POST_GRADE_DEMOTION: 7,
    SanctionKind.REMOVAL_FROM_POST: 8,
    SanctionKind.EXPULSION: 9,
}


class SanctionRegime(models.TextChoices):
    TEACHER = "teacher", _("教师处分（2018处理办法、事业单位处分规定）")
    MANAGERIAL = "managerial", _("政务处分（从事管理的人员）")


class Sanction(models.Model):
    """A sanction or measure on a person, with the period computed from the rule set in force on the decision date."""

    class Status(models.TextChoices):
        IN_FORCE = "in_force", _("执行中")
        LIFTED = "lifted", _("已解除")
        ANNULLED = "annulled", _("已撤销")
        REPLACED = "replaced", _("已变更")

    person = models.ForeignKey("cadres.Person", on_delete=models.PROTECT, related_name="sanctions")
    kind = models.CharField(_("处理种类"), max_length=32, choices=SanctionKind.choices)
    regime = models.CharField(
        _("适用规定"), max_length=16, choices=SanctionRegime.choices, default=SanctionRegime.TEACHER
    )
    violations = models.JSONField(_("违规行为"), default=list, blank=True)
    disqualified_from = models.JSONField(
        _("取消资格事项"), default=list, blank=True, help_text=_("取消相关资格时，列出被取消的事项（veto 用途代码）")
    )
    decided_on = models.DateField(_("决定日期"))
    authority = models.CharField(_("决定机关"), max_length=100)
    document_number = models.CharField(_("决定文号"), max_length=60, blank=True)
    facts = models.TextField(_("事实"), blank=True)
    basis = models.TextField(_("依据"), blank=True)
    start_date = models.DateField(_("影响期起"))
    end_date = models.DateField(_("影响期止"), null=True, blank=True, help_text=_("不含当日；为空表示无期限或无影响期"))
    period_months = models.PositiveSmallIntegerField(_("影响期（月）"), default=0)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.IN_FORCE)
    ended_on = models.DateField(_("解除或撤销日期"), null=True, blank=True)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("变更前处理"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    source_ref = models.CharField(_("来源案件"), max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("处分与处理")
        verbose_name_plural = _("处分与处理")
        ordering = ["person", "decided_on", "id"]
        indexes = [models.Index(fields=["status", "end_date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.decided_on:%Y.%m.%d}）"

    def in_force_on(self, day) -> bool:
        """In force from its start until its end, or until it was annulled or replaced (not retroactively)."""
        if self.ended_on and day >= self.ended_on:
            return False
        if day < self.start_date:
            return False
        return self.end_date is None or day < self.end_date
