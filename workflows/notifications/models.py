"""Step deadlines (data, like the rule sets), in-app notifications, e-mail preferences and the mail outbox.

- `StepDeadline`: how many working days a step (a human node of a flow) may take. One row per
  (flow, node); `workdays` empty means the step has no deadline (a party's own right to apply, such as
  申请复核/提出申诉, whose legal window the ethics flow keeps with its own timer).
- `Notification`: one message to one user about one task: 任务到达, 即将到期 or 已逾期. Unique per
  (task, recipient, kind), so a reminder is created once however often the scan runs.
- `Delivery`: the e-mail of a notification, an outbox row unique per (task, recipient, kind), so a mail is
  sent once; it records status, attempts, the last error and when it was sent, and is retried with backoff.
- `NotificationPreference`: a user's choice to receive e-mail (no row: e-mail on).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Task


class StepDeadline(models.Model):
    flow = models.CharField(_("流程"), max_length=200, help_text=_("流程的内部标识"))
    node = models.CharField(_("环节"), max_length=100, help_text=_("环节的内部标识"))
    workdays = models.PositiveSmallIntegerField(
        _("办理期限（工作日）"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("自任务到达之日起计算（到达当天为工作日的计入）；留空表示该环节不设期限、不发到期提醒。"),
    )

    class Meta:
        verbose_name = _("环节办理期限")
        verbose_name_plural = _("环节办理期限")
        ordering = ["flow", "node"]
        constraints = [models.UniqueConstraint(fields=["flow", "node"], name="notifications_step_deadline_unique")]

    def __str__(self) -> str:
        return f"{self.flow}.{self.node}"


class Kind(models.TextChoices):
    ARRIVED = "arrived", _("任务到达")
    DUE_SOON = "due_soon", _("即将到期")
    OVERDUE = "overdue", _("已逾期")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("类别"), max_length=12, choices=Kind.choices)
    task = models.ForeignKey(Task, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="+")
    case_label = models.CharField(_("案件"), max_length=300, blank=True)
    text = models.CharField(_("内容"), max_length=500)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    created = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["task", "recipient", "kind"], name="notifications_once_per_kind"),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created"], name="notif_recipient_created"),
            models.Index(fields=["recipient", "read_at"], name="notif_recipient_unread"),
        ]

    def __str__(self) -> str:
        return self.text


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
    CANCELED = "canceled", _("已取消")


class Delivery(models.Model):
    task = models.ForeignKey(Task, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("类别"), max_length=12, choices=Kind.choices)
    to_email = models.EmailField(_("收件地址"))
    subject = models.CharField(_("主题"), max_length=300)
    body = models.TextField(_("正文"))
    status = models.CharField(
        _("状态"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("发送次数"), default=0)
    last_error = models.TextField(_("最近一次错误"), blank=True)
    next_attempt_at = models.DateTimeField(_("下次发送时间"), null=True, blank=True)
    claim = models.CharField(max_length=32, blank=True, editable=False)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知邮件")
        verbose_name_plural = _("通知邮件")
        ordering = ["-created", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["task", "recipient", "kind"], name="notifications_mail_once_per_kind"),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notif_delivery_due")]

    def __str__(self) -> str:
        return self.subject


class NotificationPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_enabled = models.BooleanField(_("接收邮件通知"), default=True)

    class Meta:
        verbose_name = _("通知设置")
        verbose_name_plural = _("通知设置")

    def __str__(self) -> str:
        return str(self.email_enabled)
