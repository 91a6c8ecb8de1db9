"""A meeting of a case with one vote row per member and item, and an objection received during the 公示.

`Meeting.tally` stores the count as the meeting took it (due, present, quorum, each item's figures and
outcome); documents and pages print it and the rows, they never count again.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from cadres.models import Person


class Purpose(models.TextChoices):
    PLAN = "plan", _("审议实施方案")
    DECISION = "decision", _("讨论决定")
    ADJUSTMENT = "adjustment", _("研究调整事项")


class Form(models.TextChoices):
    MEETING = "meeting", _("召开党组织会议")
    CIRCULATED = "circulated", _("传签（书面传阅）")


class Vote(models.TextChoices):
    AGREE = "agree", _("同意")
    DISAGREE = "disagree", _("不同意")
    DEFER = "defer", _("缓议")
    RECUSED = "recused", _("回避")
    ABSENT = "absent", _("缺席")


@dataclass(frozen=True)
class ItemResult:
    """One item's stored figures: its key, label, counts and outcome (voting.PASSED/FAILED/DEFERRED)."""

    item: str
    label: str
    agree: int
    disagree: int
    defer: int
    outcome: str

    @property
    def passed(self) -> bool:
        return self.outcome == "passed"


class Meeting(models.Model):
    """One meeting of a case (plan, decision or adjustment): attendance, the ratio used and the stored tally."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="meetings")
    purpose = models.CharField(_("议题"), max_length=16, choices=Purpose.choices)
    held_on = models.DateField(_("会议日期"))
    name = models.CharField(_("会议名称"), max_length=120)
    form = models.CharField(_("研究方式"), max_length=12, choices=Form.choices, default=Form.MEETING)
    due = models.PositiveSmallIntegerField(_("应到人数"))
    present = models.PositiveSmallIntegerField(_("实到人数"))
    quorum_ratio = models.CharField(_("到会比例"), max_length=10, default="2/3")
    reconsideration = models.BooleanField(_("复议"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    tally = models.JSONField(_("计票"), default=dict)

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def quorum(self) -> int:
        return int(self.tally.get("quorum", 0))

    def results(self) -> list[ItemResult]:
        """Each item's stored figures, in the order voted."""
        return [
            ItemResult(r["item"], r.get("label", r["item"]), r["agree"], r["disagree"], r["defer"], r["outcome"])
            for r in self.tally.get("items", [])
        ]

    def result_of(self, item) -> ItemResult | None:
        return next((r for r in self.results() if r.item == str(item)), None)

    def _rows(self):
        cached = getattr(self, "_prefetched_objects_cache", {}).get("votes")
        return list(cached) if cached is not None else list(self.votes.order_by("id"))

    @property
    def member_labels(self) -> list[str]:
        """The members due to attend, as the record names them, in the order given."""
        return list(dict.fromkeys(v.member_label for v in self._rows()))

    @property
    def present_labels(self) -> list[str]:
        absent = {v.member_label for v in self._rows() if v.vote == Vote.ABSENT}
        return [m for m in self.member_labels if m not in absent]


class MeetingVote(models.Model):
    """One member's view on one item: 同意/不同意/缓议, or 回避 (with the reason) or 缺席."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="votes")
    member_label = models.CharField(_("成员"), max_length=120)
    member_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    member_person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    item = models.CharField(_("表决事项"), max_length=40)
    item_label = models.CharField(_("表决事项名称"), max_length=120)
    subject = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    vote = models.CharField(_("表决意见"), max_length=10, choices=Vote.choices)
    reason = models.CharField(_("理由"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("表决")
        verbose_name_plural = _("表决")
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return f"{self.member_label} {self.item_label} {self.get_vote_display()}"


class ObjectionStatus(models.TextChoices):
    PENDING = "pending", _("待核查")
    CLEARED = "cleared", _("经核查不影响任用")
    UPHELD = "upheld", _("经核查属实")


class Objection(models.Model):
    """A matter reported about a person during the 公示 of a case, and what checking it found."""

    Status = ObjectionStatus

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="objections")
    subject = models.ForeignKey(Person, verbose_name=_("反映对象"), on_delete=models.PROTECT, related_name="+")
    received_on = models.DateField(_("收到日期"))
    content = models.TextField(_("反映内容"))
    status = models.CharField(_("状态"), max_length=10, choices=ObjectionStatus.choices, default="pending")
    finding = models.CharField(_("核查结论"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(_("核查时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("公示反映问题")
        verbose_name_plural = _("公示反映问题")
        ordering = ["received_on", "id"]

    def __str__(self) -> str:
        return f"{self.subject} {self.received_on}"
