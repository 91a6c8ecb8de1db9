"""A 交流轮岗 plan: a batch of moves drafted by the bureau, approved at a committee meeting, applied at once.

State (a protected FSM field, changed only by the transitions below, which the services call):
draft → approved → applied, or draft → returned → draft. Moves are edited only while the plan is a draft.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition


class PlanState(models.TextChoices):
    DRAFT = "draft", _("草拟中")
    APPROVED = "approved", _("已批准")
    RETURNED = "returned", _("已退回")
    APPLIED = "applied", _("已实施")


class ExchangePlan(models.Model):
    title = models.CharField(_("方案名称"), max_length=100)
    effective_date = models.DateField(_("生效日期"))
    state = FSMField(_("状态"), default=PlanState.DRAFT, choices=PlanState.choices, protected=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("拟定人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("拟定时间"), auto_now_add=True)
    meeting_name = models.CharField(_("研究会议"), max_length=100, blank=True)
    meeting_date = models.DateField(_("会议日期"), null=True, blank=True)
    decision_note = models.TextField(_("会议意见"), blank=True)
    applied_on = models.DateField(_("实施日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("交流轮岗方案")
        verbose_name_plural = _("交流轮岗方案")
        ordering = ["-effective_date", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def process_ref(self) -> str:
        return f"exchange_plan:{self.pk}"

    @property
    def is_draft(self) -> bool:
        return self.state == PlanState.DRAFT

    @transition(field=state, source=PlanState.DRAFT, target=PlanState.APPROVED)
    def approve(self, *, meeting_name: str, meeting_date, note: str = "") -> None:
        self.meeting_name, self.meeting_date, self.decision_note = meeting_name, meeting_date, note

    @transition(field=state, source=PlanState.DRAFT, target=PlanState.RETURNED)
    def return_for_revision(self, *, meeting_name: str, meeting_date, note: str) -> None:
        self.meeting_name, self.meeting_date, self.decision_note = meeting_name, meeting_date, note

    @transition(field=state, source=PlanState.RETURNED, target=PlanState.DRAFT)
    def reopen(self) -> None:
        """Back to a draft after a return; the meeting's note stays until the next decision overwrites it."""

    @transition(field=state, source=PlanState.APPROVED, target=PlanState.APPLIED)
    def mark_applied(self, *, on) -> None:
        self.applied_on = on


class ExchangeMove(models.Model):
    """One person's move: from the post they held when it was drafted (read from the registry) to another
    school's post. `reason` says why they are due (years, terms) or why the bureau moves them."""

    plan = models.ForeignKey(ExchangePlan, verbose_name=_("方案"), on_delete=models.CASCADE, related_name="moves")
    person = models.ForeignKey("cadres.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="+")
    from_tenure = models.ForeignKey(
        "cadres.Tenure", verbose_name=_("现任职务"), on_delete=models.PROTECT, related_name="+"
    )
    to_post = models.ForeignKey("cadres.Post", verbose_name=_("拟任职位"), on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("交流原因"), max_length=200)
    document_number = models.CharField(_("任免文号"), max_length=60, blank=True)
    new_tenure = models.ForeignKey(
        "cadres.Tenure", verbose_name=_("新任职务"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("交流人选")
        verbose_name_plural = _("交流人选")
        ordering = ["plan", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "person"], name="exchange_move_one_per_person")]

    def __str__(self) -> str:
        return f"{self.person} → {self.to_post}"
