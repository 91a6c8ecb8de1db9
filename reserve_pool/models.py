"""The reserve-cadre pool (后备干部库, DOMAIN §4): entries with a state machine, training and yearly reviews.

States (django-fsm, `state` is protected: only the transitions below change it):

    nominated ─submit_for_review→ under_review ─record_review (stays)→ under_review ─assess→ assessed
    assessed ─admit→ in_pool ─renew (stays)→ in_pool ─shortlist→ shortlisted ─return_to_pool→ in_pool
    in_pool | shortlisted ─mark_used→ used;   in_pool | shortlisted ─amend (yearly review, stays)
    any live state ─remove→ removed (reason required) | ─expire→ expired

Transitions only set fields; the services in `reserve_pool.services` check roles, scope, recusal, the rule
sets and the veto, lock the row, bump `version`, save and write the audit event. `ConcurrentTransitionMixin`
refuses a save whose state changed in the database meanwhile (a second line of defence behind the
services' row lock and version check).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from cadres.choices import PostKind

from . import policies
from .choices import (
    LIVE_STATES,
    POOL_STATES,
    TARGET_POST_KINDS,
    EndTrigger,
    Horizon,
    Origin,
    ReserveKind,
    ReserveState,
    ReviewDecision,
    ReviewStatus,
)

PROFILE_MAX_CHARS = 500
S = ReserveState


def profile_char_count(text: str) -> int:
    """字数 as offices count it (every non-blank character): the rule of `dossiers.content.support.char_count`."""
    return sum(1 for ch in text if not ch.isspace())


def validate_profile_text(value: str) -> None:
    count = profile_char_count(value or "")
    if count > PROFILE_MAX_CHARS:
        raise ValidationError(
            _("后备干部小传不能超过%(m)d字，现有%(n)d字。"),
            code="profile_too_long",
            params={"m": PROFILE_MAX_CHARS, "n": count},
        )


def _condition(message, code: str):
    """Mark a transition condition with the Chinese message and code the services refuse with."""

    def mark(fn):
        fn.message = message
        fn.code = code
        return fn

    return mark


@_condition(_("资格审查未通过或尚未进行资格审查。"), "review_not_passed")
def review_has_passed(entry) -> bool:
    return entry.review_passed is True


@_condition(_("考察记录不完整：须有谈话人数、考察评价和后备干部小传。"), "assessment_incomplete")
def assessment_is_complete(entry) -> bool:
    return bool(entry.talks_count and entry.evaluation_summary.strip() and entry.profile_text.strip())


class ReserveEntry(ConcurrentTransitionMixin, models.Model):
    """One person's passage through the pool, from nomination to use, removal or expiry."""

    person = models.ForeignKey(
        "cadres.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="reserve_entries"
    )
    state = FSMField(_("状态"), default=S.NOMINATED, choices=S.choices, protected=True, db_index=True)
    version = models.PositiveIntegerField(_("版本"), default=0, editable=False)

    origin = models.CharField(_("推荐方式"), max_length=16, choices=Origin.choices)
    source_ref = models.CharField(_("推荐来源"), max_length=80, blank=True, help_text=_("如民主推荐结果的编号"))
    kind = models.CharField(_("后备类别"), max_length=8, choices=ReserveKind.choices)
    post_kind = models.CharField(_("拟任职务类别"), max_length=24, choices=PostKind.choices)
    target_post = models.ForeignKey(
        "cadres.Post",
        verbose_name=_("拟任职位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reserve_entries",
    )
    organization = models.ForeignKey(
        "cadres.Organization",
        verbose_name=_("后备单位"),
        on_delete=models.PROTECT,
        related_name="reserve_entries",
        help_text=_("后备干部所对应职位的单位；职数限额按此单位计算"),
    )
    horizon = models.CharField(_("使用期限"), max_length=16, choices=Horizon.choices)

    nominating_unit = models.ForeignKey(
        "cadres.Organization", verbose_name=_("提名单位"), on_delete=models.PROTECT, related_name="+"
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提名人"), on_delete=models.PROTECT, related_name="+"
    )
    nominated_on = models.DateField(_("提名日期"))
    nomination_note = models.TextField(_("推荐理由"), blank=True)

    reviewed_on = models.DateField(_("资格审查日期"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审查人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    review_passed = models.BooleanField(_("资格审查通过"), null=True, blank=True)
    review_rule_set = models.CharField(_("适用规则集"), max_length=100, blank=True)
    review_refusals = models.JSONField(
        _("资格不符情形"), default=list, blank=True, help_text=_("审查时规则集给出的不符合项：[{rule, message}]")
    )
    review_veto = models.JSONField(
        _("师德一票否决查询结果"), default=dict, blank=True, help_text=_("{blocked, sentence, until}")
    )
    personal_matters_ok = models.BooleanField(_("个人有关事项报告查核相符"), null=True, blank=True)
    personal_matters_note = models.TextField(_("个人有关事项查核说明"), blank=True)

    assessed_on = models.DateField(_("考察日期"), null=True, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("考察记录人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    talks_count = models.PositiveSmallIntegerField(_("谈话人数"), null=True, blank=True)
    evaluation_summary = models.TextField(_("考察评价"), blank=True)
    profile_text = models.TextField(
        _("后备干部小传"), blank=True, validators=[validate_profile_text], help_text=_("不超过500字")
    )

    admitted_on = models.DateField(_("入库决定日期"), null=True, blank=True)
    admission_document = models.CharField(_("入库文号"), max_length=60, blank=True)
    admitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("入库决定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    valid_until = models.DateField(_("有效期至"), null=True, blank=True, help_text=_("含当日"))
    renewed_on = models.DateField(_("最近续期日期"), null=True, blank=True)

    shortlisted_on = models.DateField(_("列为考察对象日期"), null=True, blank=True)
    shortlist_ref = models.CharField(_("考察事项"), max_length=80, blank=True)
    used_on = models.DateField(_("任用日期"), null=True, blank=True)
    used_post = models.ForeignKey(
        "cadres.Post", verbose_name=_("任用职位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    used_document = models.CharField(_("任职文号"), max_length=60, blank=True)

    ended_on = models.DateField(_("撤销或到期日期"), null=True, blank=True)
    end_trigger = models.CharField(_("撤销或到期情形"), max_length=24, choices=EndTrigger.choices, blank=True)
    removal_reason = models.TextField(_("撤销资格原因"), blank=True)

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("后备干部")
        verbose_name_plural = _("后备干部")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(state__in=LIVE_STATES), name="reserve_one_live_entry_per_person"
            ),
            models.CheckConstraint(
                condition=~Q(state=S.REMOVED) | ~Q(removal_reason=""), name="reserve_removed_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(state__in=[*POOL_STATES, S.USED])
                | Q(admitted_on__isnull=False, valid_until__isnull=False),
                name="reserve_admitted_has_decision",
            ),
        ]
        indexes = [models.Index(fields=["organization", "post_kind", "state"], name="reserve_org_postkind_state")]

    def __str__(self) -> str:
        return f"{self.person.name} {self.get_kind_display()}（{self.get_state_display()}）"

    @property
    def is_live(self) -> bool:
        return self.state in LIVE_STATES

    def clean(self):
        errors = {}
        expected = TARGET_POST_KINDS.get(self.post_kind)
        if expected is None:
            errors["post_kind"] = _("后备干部不能以“%(k)s”为拟任职务类别。") % {
                "k": PostKind(self.post_kind).label if self.post_kind in PostKind.values else self.post_kind
            }
        elif self.kind != expected:
            errors["kind"] = _("%(p)s后备应为%(k)s。") % {
                "p": PostKind(self.post_kind).label,
                "k": ReserveKind(expected).label,
            }
        if self.target_post_id and self.target_post.kind != self.post_kind:
            errors["target_post"] = _("拟任职位的职务类别与拟任职务类别不一致。")
        if self.target_post_id and self.target_post.organization_id != self.organization_id:
            errors["target_post"] = _("拟任职位不属于后备单位。")
        if errors:
            raise ValidationError(errors)

    # ------------------------------------------------------------------ transitions (fields only)

    @transition(
        field=state,
        source=S.NOMINATED,
        target=S.UNDER_REVIEW,
        permission=policies.SUBMIT,
        custom={"label": _("提交审核")},
    )
    def submit_for_review(self):
        pass

    @transition(
        field=state,
        source=S.UNDER_REVIEW,
        target=S.UNDER_REVIEW,
        permission=policies.REVIEW,
        custom={"label": _("资格审查")},
    )
    def record_review(self, *, on, by, rule_set_name, refusals, veto, personal_matters_ok, personal_matters_note):
        self.reviewed_on = on
        self.reviewed_by = by
        self.review_rule_set = rule_set_name
        self.review_refusals = refusals
        self.review_veto = veto
        self.personal_matters_ok = personal_matters_ok
        self.personal_matters_note = personal_matters_note
        self.review_passed = not refusals and not veto.get("blocked") and personal_matters_ok

    @transition(
        field=state,
        source=S.UNDER_REVIEW,
        target=S.ASSESSED,
        conditions=[review_has_passed],
        permission=policies.ASSESS,
        custom={"label": _("录入考察结果")},
    )
    def assess(self, *, on, by, talks_count, evaluation_summary, profile_text):
        self.assessed_on = on
        self.assessed_by = by
        self.talks_count = talks_count
        self.evaluation_summary = evaluation_summary
        self.profile_text = profile_text

    @transition(
        field=state,
        source=S.ASSESSED,
        target=S.IN_POOL,
        conditions=[assessment_is_complete],
        permission=policies.DECIDE,
        custom={"label": _("决定入库")},
    )
    def admit(self, *, on, by, document_number, valid_until, horizon):
        self.admitted_on = on
        self.admitted_by = by
        self.admission_document = document_number
        self.valid_until = valid_until
        self.horizon = horizon

    @transition(
        field=state, source=S.IN_POOL, target=S.IN_POOL, permission=policies.DECIDE, custom={"label": _("续期")}
    )
    def renew(self, *, on, valid_until):
        self.renewed_on = on
        self.valid_until = valid_until

    @transition(
        field=state,
        source=S.IN_POOL,
        target=S.SHORTLISTED,
        permission=policies.DECIDE,
        custom={"label": _("列为考察对象")},
    )
    def shortlist(self, *, on, ref):
        self.shortlisted_on = on
        self.shortlist_ref = ref

    @transition(
        field=state,
        source=S.SHORTLISTED,
        target=S.IN_POOL,
        permission=policies.DECIDE,
        custom={"label": _("退回后备库")},
    )
    def return_to_pool(self):
        self.shortlisted_on = None
        self.shortlist_ref = ""

    @transition(
        field=state,
        source=list(POOL_STATES),
        target=S.USED,
        permission=policies.DECIDE,
        custom={"label": _("标记已使用")},
    )
    def mark_used(self, *, on, post, document_number):
        self.used_on = on
        self.used_post = post
        self.used_document = document_number
        self.ended_on = on

    @transition(
        field=state,
        source=list(LIVE_STATES),
        target=S.REMOVED,
        permission=policies.REMOVE,
        custom={"label": _("撤销资格")},
    )
    def remove(self, *, on, reason, trigger):
        self.removal_reason = reason
        self.end_trigger = trigger
        self.ended_on = on

    @transition(
        field=state, source=list(LIVE_STATES), target=S.EXPIRED, permission=policies.DECIDE, custom={"label": _("到期")}
    )
    def expire(self, *, on, trigger):
        self.end_trigger = trigger
        self.ended_on = on

    @transition(
        field=state, source=list(POOL_STATES), target=None, permission=policies.DECIDE, custom={"label": _("年度复核")}
    )
    def amend(self, *, kind, post_kind, horizon):
        self.kind = kind
        self.post_kind = post_kind
        self.horizon = horizon


class TrainingRecord(models.Model):
    """后备培训: one course a reserve attended, with its hours."""

    entry = models.ForeignKey(
        ReserveEntry, verbose_name=_("后备干部"), on_delete=models.PROTECT, related_name="trainings"
    )
    course = models.CharField(_("培训项目"), max_length=100)
    provider = models.CharField(_("主办单位"), max_length=100)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    hours = models.DecimalField(_("学时"), max_digits=6, decimal_places=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("后备培训")
        verbose_name_plural = _("后备培训")
        ordering = ["entry", "start_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="reserve_training_dates"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="reserve_training_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.course}（{self.hours}学时）"


class YearlyReview(models.Model):
    """A yearly review of one entry: opened as a pending task when due, then decided by the bureau."""

    entry = models.ForeignKey(
        ReserveEntry, verbose_name=_("后备干部"), on_delete=models.PROTECT, related_name="yearly_reviews"
    )
    year = models.PositiveSmallIntegerField(_("复核年度"))
    due_on = models.DateField(_("应复核日期"))
    status = models.CharField(_("状态"), max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.PENDING)
    decision = models.CharField(_("复核结论"), max_length=16, choices=ReviewDecision.choices, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    kind_before = models.CharField(_("原后备类别"), max_length=8, choices=ReserveKind.choices, blank=True)
    kind_after = models.CharField(_("调整后后备类别"), max_length=8, choices=ReserveKind.choices, blank=True)
    post_kind_before = models.CharField(_("原拟任职务类别"), max_length=24, choices=PostKind.choices, blank=True)
    post_kind_after = models.CharField(_("调整后拟任职务类别"), max_length=24, choices=PostKind.choices, blank=True)
    horizon_before = models.CharField(_("原使用期限"), max_length=16, choices=Horizon.choices, blank=True)
    horizon_after = models.CharField(_("调整后使用期限"), max_length=16, choices=Horizon.choices, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("复核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_on = models.DateField(_("复核日期"), null=True, blank=True)
    opened_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("后备干部年度复核")
        verbose_name_plural = _("后备干部年度复核")
        ordering = ["entry", "due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry"], condition=Q(status=ReviewStatus.PENDING), name="reserve_one_pending_review"
            ),
            models.UniqueConstraint(fields=["entry", "due_on"], name="reserve_review_once_per_due_date"),
            models.CheckConstraint(
                condition=Q(status=ReviewStatus.PENDING) | ~Q(decision=""), name="reserve_decided_review_has_decision"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年度复核（{self.get_status_display()}）"
