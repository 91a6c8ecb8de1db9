"""The cadre registry: units, posts, people and what the 干部任免审批表 prints about them.

Derived facts (age, 工龄, 党龄, years in post …) are never stored; see `cadres.facts`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import choices as c
from .files import random_upload_to
from .idcard import IdCardError, parse_id_number
from .name_keys import INITIALS_MAX, PINYIN_MAX, SEARCH_KEY_FIELDS, fill_search_keys


class Organization(models.Model):
    """The bureau or one of its schools."""

    code = models.CharField(_("单位代码"), max_length=32, unique=True)
    name = models.CharField(_("单位名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    kind = models.CharField(_("单位类别"), max_length=16, choices=c.OrgKind.choices, default=c.OrgKind.SCHOOL)
    stage = models.CharField(_("学段"), max_length=16, choices=c.Stage.choices, blank=True)
    township = models.CharField(_("所在镇街"), max_length=40, blank=True)
    ownership = models.CharField(_("办学性质"), max_length=16, choices=c.Ownership.choices, default=c.Ownership.PUBLIC)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Printed on notices (公示, 公告) as where to phone or write; blank until the unit records them.
    contact_phone = models.CharField(_("联系电话"), max_length=60, blank=True)
    address = models.CharField(_("通讯地址"), max_length=120, blank=True)
    postcode = models.CharField(
        _("邮政编码"), max_length=6, blank=True, validators=[RegexValidator(r"^\d{6}$", _("邮政编码应为6位数字。"))]
    )

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_bureau(self) -> bool:
        return self.kind == c.OrgKind.BUREAU

    def clean(self):
        if self.kind == c.OrgKind.SCHOOL and not self.stage:
            raise ValidationError({"stage": _("学校必须填写学段。")})


class Post(models.Model):
    """A post (职位) in a unit, with its headcount (职数)."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="posts"
    )
    name = models.CharField(_("职务名称"), max_length=60)
    kind = models.CharField(_("职务类别"), max_length=24, choices=c.PostKind.choices)
    level = models.CharField(_("职务层级"), max_length=16, choices=c.PostLevel.choices)
    headcount = models.PositiveSmallIntegerField(_("职数"), default=1)

    class Meta:
        verbose_name = _("职位")
        verbose_name_plural = _("职位")
        ordering = ["organization__code", "level", "name"]
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="post_unique_name_per_org")]

    def __str__(self) -> str:
        return f"{self.organization.short_name or self.organization.name}{self.name}"


class Person(models.Model):
    """A member of staff, with every field the 干部任免审批表 prints."""

    name = models.CharField(_("姓名"), max_length=40, db_index=True)
    sex = models.CharField(_("性别"), max_length=1, choices=c.Sex.choices)
    id_number = models.CharField(_("身份证号"), max_length=18, unique=True, null=True, blank=True)
    birth_date = models.DateField(_("出生日期"), help_text=_("身份证上的出生日期"))
    record_birth_month = models.DateField(
        _("档案出生年月"),
        null=True,
        blank=True,
        help_text=_("干部档案认定的出生年月（取当月1日）；为空时取身份证出生日期所在月"),
    )
    ethnicity = models.CharField(_("民族"), max_length=20, default="汉族")
    native_place = models.CharField(_("籍贯"), max_length=40, blank=True)
    birthplace = models.CharField(_("出生地"), max_length=40, blank=True)
    political_status = models.CharField(
        _("政治面貌"), max_length=20, choices=c.PoliticalStatus.choices, default=c.PoliticalStatus.MASSES
    )
    party_join_date = models.DateField(_("入党时间"), null=True, blank=True)
    work_start_date = models.DateField(_("参加工作时间"))
    health = models.CharField(_("健康状况"), max_length=20, default="健康")
    specialty = models.CharField(_("熟悉专业有何专长"), max_length=100, blank=True)
    subject = models.CharField(_("任教学科"), max_length=20, blank=True)
    organization = models.ForeignKey(
        Organization, verbose_name=_("工作单位"), on_delete=models.PROTECT, related_name="people"
    )
    employment_status = models.CharField(
        _("在职状态"), max_length=16, choices=c.EmploymentStatus.choices, default=c.EmploymentStatus.ACTIVE
    )
    # Stored under a random name and served only by the scoped photo view (never by a /media/ URL).
    photo = models.ImageField(_("照片"), upload_to=random_upload_to("photos"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Search keys for the person picker (cadres.name_keys; refreshed on save, and by bulk writers explicitly).
    name_initials = models.CharField(_("姓名拼音首字母"), max_length=INITIALS_MAX, blank=True, editable=False)
    name_pinyin = models.CharField(_("姓名全拼"), max_length=PINYIN_MAX, blank=True, editable=False)
    name_tail = models.CharField(_("姓名去首字"), max_length=40, blank=True, editable=False)
    name_tail2 = models.CharField(_("姓名去前两字"), max_length=40, blank=True, editable=False)
    id_last4 = models.CharField(_("身份证号后四位"), max_length=4, blank=True, editable=False)

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["organization__code", "name", "id"]
        # On PostgreSQL the picker's prefix lookups use indexes on (key COLLATE "C", id) made by migration 0010
        # (cadres.person_search explains why); these plain ones serve equality and ordering on every backend.
        indexes = [
            models.Index(fields=["organization", "employment_status"]),
            models.Index(fields=["name_initials"], name="person_name_initials"),
            models.Index(fields=["name_pinyin"], name="person_name_pinyin"),
            models.Index(fields=["id_last4"], name="person_id_last4"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        fill_search_keys(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"name", "id_number"} & set(update_fields):  # keep the keys in step
            kwargs["update_fields"] = {*update_fields, *SEARCH_KEY_FIELDS}
        super().save(*args, **kwargs)

    @property
    def birth_month(self):
        """出生年月 as printed on the form: the record's month, else the ID card's."""
        return self.record_birth_month or self.birth_date.replace(day=1)

    def clean(self):
        errors = {}
        if self.id_number:
            try:
                info = parse_id_number(self.id_number)
            except IdCardError as exc:
                errors["id_number"] = str(exc)
            else:
                self.id_number = info.number
                if self.birth_date and info.birth_date != self.birth_date:
                    errors["birth_date"] = _("出生日期 %(a)s 与身份证号中的 %(b)s 不一致。") % {
                        "a": self.birth_date.isoformat(),
                        "b": info.birth_date.isoformat(),
                    }
                if self.sex and info.sex != self.sex:
                    errors["sex"] = _("性别与身份证号不一致（身份证号显示为%(s)s）。") % {"s": c.Sex(info.sex).label}
        if self.record_birth_month and self.record_birth_month.day != 1:
            self.record_birth_month = self.record_birth_month.replace(day=1)
        if self.political_status in (c.PoliticalStatus.CPC_MEMBER, c.PoliticalStatus.CPC_PROBATIONARY):
            if not self.party_join_date:
                errors["party_join_date"] = _("党员须填写入党时间。")
        if self.birth_date and self.work_start_date and self.work_start_date <= self.birth_date:
            errors["work_start_date"] = _("参加工作时间不能早于出生日期。")
        if errors:
            raise ValidationError(errors)


class Education(models.Model):
    """One education record; 全日制 and 在职 are printed in separate rows."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="educations")
    kind = models.CharField(_("教育类别"), max_length=16, choices=c.EducationKind.choices)
    level = models.CharField(_("学历"), max_length=24, choices=c.EducationLevel.choices)
    degree = models.CharField(_("学位"), max_length=16, choices=c.Degree.choices, blank=True)
    institution = models.CharField(_("毕业院校"), max_length=60)
    major = models.CharField(_("系及专业"), max_length=60, blank=True)
    start_date = models.DateField(_("入学时间"), null=True, blank=True)
    end_date = models.DateField(_("毕业时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("学历学位")
        verbose_name_plural = _("学历学位")
        ordering = ["person", "end_date"]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.institution}"


class ResumeEntry(models.Model):
    """A 简历 line; `during` makes it a （其间：…） line inside another line's period."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="resume_entries")
    start_month = models.DateField(_("起始年月"))
    end_month = models.DateField(_("截止年月"), null=True, blank=True, help_text=_("为空表示至今"))
    text = models.CharField(_("单位及职务"), max_length=120)
    during = models.ForeignKey(
        "self", verbose_name=_("其间所属"), null=True, blank=True, on_delete=models.CASCADE, related_name="during_lines"
    )

    class Meta:
        verbose_name = _("简历")
        verbose_name_plural = _("简历")
        ordering = ["person", "start_month", "id"]

    def __str__(self) -> str:
        from .facts import resume_line

        return resume_line(self.start_month, self.end_month, self.text)


class TitleHistory(models.Model):
    """专业技术职务: which title, obtained and appointed (聘任) when."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="titles")
    title = models.CharField(_("专业技术职务"), max_length=16, choices=c.TeacherTitle.choices)
    obtained_on = models.DateField(_("取得资格时间"))
    appointed_on = models.DateField(_("聘任时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("职称")
        verbose_name_plural = _("职称")
        ordering = ["person", "obtained_on"]

    def __str__(self) -> str:
        return f"{self.get_title_display()}（{self.obtained_on:%Y.%m}）"


class AnnualAppraisal(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="appraisals")
    year = models.PositiveSmallIntegerField(_("年度"))
    grade = models.CharField(_("考核结果"), max_length=16, choices=c.AppraisalGrade.choices)

    class Meta:
        verbose_name = _("年度考核")
        verbose_name_plural = _("年度考核")
        ordering = ["person", "year"]
        constraints = [models.UniqueConstraint(fields=["person", "year"], name="appraisal_one_per_year")]

    def __str__(self) -> str:
        return f"{self.year}年{self.get_grade_display()}"


class RewardPunishment(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="rewards_punishments")
    kind = models.CharField(_("类别"), max_length=16, choices=c.RewardKind.choices)
    date = models.DateField(_("时间"))
    approver = models.CharField(_("批准机关"), max_length=60, blank=True)
    description = models.CharField(_("内容"), max_length=200)

    class Meta:
        verbose_name = _("奖惩情况")
        verbose_name_plural = _("奖惩情况")
        ordering = ["person", "date"]

    def __str__(self) -> str:
        return self.description


class FamilyMember(models.Model):
    """家庭主要成员及重要社会关系; `relative` links to the registry when the relative is staff too."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="family")
    relation = models.CharField(_("称谓"), max_length=20, choices=c.Relation.choices)
    name = models.CharField(_("姓名"), max_length=40)
    birth_month = models.DateField(_("出生年月"), null=True, blank=True)
    political_status = models.CharField(_("政治面貌"), max_length=20, choices=c.PoliticalStatus.choices, blank=True)
    work_unit_and_post = models.CharField(_("工作单位及职务"), max_length=120, blank=True)
    emigrated = models.BooleanField(_("已移居国（境）外"), default=False)
    relative = models.ForeignKey(
        Person,
        verbose_name=_("在册人员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="relatives_of",
    )

    class Meta:
        verbose_name = _("家庭成员")
        verbose_name_plural = _("家庭成员")
        ordering = ["person", "id"]

    def __str__(self) -> str:
        return f"{self.get_relation_display()} {self.name}"

    def clean(self):
        if self.relative_id and self.relative_id == self.person_id:
            raise ValidationError({"relative": _("家庭成员不能是本人。")})


class Tenure(models.Model):
    """Who held which post from when to when, by which document, which term."""

    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="tenures")
    post = models.ForeignKey(Post, verbose_name=_("职位"), on_delete=models.PROTECT, related_name="tenures")
    start_date = models.DateField(_("任职时间"))
    end_date = models.DateField(_("免职时间"), null=True, blank=True)
    document_number = models.CharField(_("任免文号"), max_length=60, blank=True)
    method = models.CharField(
        _("任用方式"), max_length=20, choices=c.AppointmentMethod.choices, default=c.AppointmentMethod.APPOINTED
    )
    term_number = models.PositiveSmallIntegerField(_("任期届次"), default=1)
    probation_end = models.DateField(_("试用期满"), null=True, blank=True)

    class Meta:
        verbose_name = _("任职经历")
        verbose_name_plural = _("任职经历")
        ordering = ["person", "start_date"]
        indexes = [models.Index(fields=["post", "end_date"])]

    def __str__(self) -> str:
        return f"{self.person} {self.post}"

    @property
    def is_current(self) -> bool:
        return self.end_date is None

    def clean(self):
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("免职时间不能早于任职时间。")})


class Profile(models.Model):
    """What the app knows of a login: the unit it belongs to and, if any, the registry person it is."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    organization = models.ForeignKey(
        Organization, verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="user_profiles"
    )
    person = models.OneToOneField(
        Person, verbose_name=_("对应人员"), null=True, blank=True, on_delete=models.SET_NULL, related_name="profile"
    )

    class Meta:
        verbose_name = _("用户档案")
        verbose_name_plural = _("用户档案")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization}"


class CalendarOverride(models.Model):
    """An administrator's word on one day, winning over the holiday packages (new 国办 notices, local days)."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"))
    note = models.CharField(_("说明"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("工作日调整")
        verbose_name_plural = _("工作日调整")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'工作日' if self.is_workday else '休息日'}"


class RuleSet(models.Model):
    """The rules and parameters in force for one purpose over a span of dates.

    The set in force on a date is the one whose [effective_from, effective_to] holds it; a process uses
    the set in force on the day it started. Parameters are edited by an administrator in the admin.

    A set may apply to one post level only (`post_level`; empty: every level): principal selection keeps
    one set per level, because a 校长 is chosen from 副职 and a 副校长 from 中层正职 (条例 第八条). Asked for a
    level, the set of that level wins over a level-less one.
    """

    purpose = models.CharField(_("适用事项"), max_length=40, db_index=True)
    post_level = models.CharField(
        _("适用职务层级"),
        max_length=16,
        choices=c.PostLevel.choices,
        blank=True,
        default="",
        help_text=_("为空表示适用于各职务层级"),
    )
    name = models.CharField(_("名称"), max_length=100)
    basis = models.CharField(_("依据"), max_length=200, blank=True)
    effective_from = models.DateField(_("生效日期"))
    effective_to = models.DateField(_("失效日期"), null=True, blank=True, help_text=_("为空表示长期有效"))

    class Meta:
        verbose_name = _("规则集")
        verbose_name_plural = _("规则集")
        ordering = ["purpose", "effective_from"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.effective_to and self.effective_to < self.effective_from:
            raise ValidationError({"effective_to": _("失效日期不能早于生效日期。")})
        overlapping = RuleSet.objects.filter(purpose=self.purpose, post_level=self.post_level).exclude(pk=self.pk)
        for other in overlapping:
            starts_before_other_ends = other.effective_to is None or self.effective_from <= other.effective_to
            ends_after_other_starts = self.effective_to is None or self.effective_to >= other.effective_from
            if starts_before_other_ends and ends_after_other_starts:
                raise ValidationError(_("与规则集“%(name)s”的有效期重叠。") % {"name": other.name})


class RuleSetItem(models.Model):
    """One rule of a set, with its parameters (validated against the rule's declared parameters)."""

    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="items")
    rule_code = models.CharField(_("规则"), max_length=60)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("规则")
        verbose_name_plural = _("规则")
        ordering = ["rule_set", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["rule_set", "rule_code"], name="rule_once_per_set")]

    def __str__(self) -> str:
        return self.rule_code

    def clean(self):
        from .rules.registry import RuleConfigError, build_rule

        try:
            build_rule(self.rule_code, self.params or {})
        except RuleConfigError as exc:
            raise ValidationError({"params": str(exc)}) from exc


from .ethics.models import EthicsAssessment, Sanction  # noqa: E402  (registry records of issue 4)

__all__ = [
    "AnnualAppraisal",
    "CalendarOverride",
    "Education",
    "EthicsAssessment",
    "FamilyMember",
    "Organization",
    "Person",
    "Post",
    "Profile",
    "RegistryCorrection",
    "ResumeEntry",
    "RewardPunishment",
    "RuleSet",
    "RuleSetItem",
    "Sanction",
    "Tenure",
    "TitleHistory",
]


class RegistryCorrection(models.Model):
    """A proposed correction of one field of a person's record (档案必审's 三龄两历一身份), old → new.

    Nothing in the registry changes until a personnel officer confirms it (`cadres.corrections`): the
    confirmation applies it in one transaction and audits it; a rejection keeps the reason.
    """

    class Field(models.TextChoices):
        BIRTH_MONTH = "record_birth_month", _("出生年月")
        WORK_START = "work_start_date", _("参加工作时间")
        PARTY_JOIN = "party_join_date", _("入党时间")

    class Status(models.TextChoices):
        PENDING = "pending", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        REJECTED = "rejected", _("已退回")
        SUPERSEDED = "superseded", _("已被新的更正建议取代")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("人员"))
    field = models.CharField(_("更正项目"), max_length=32, choices=Field.choices)
    old_value = models.DateField(_("原记载"), null=True, blank=True)
    new_value = models.DateField(_("建议更正为"))
    source = models.CharField(_("来源"), max_length=200)
    reason = models.TextField(_("依据"), blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("提出人")
    )
    proposed_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("确认人"),
    )
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    decision_reason = models.TextField(_("退回理由"), blank=True)

    class Meta:
        verbose_name = _("信息更正建议")
        verbose_name_plural = _("信息更正建议")
        ordering = ["-proposed_at", "-pk"]
        indexes = [models.Index(fields=["status", "person"])]

    def __str__(self) -> str:
        return f"{self.person.name}：{self.get_field_display()}"
