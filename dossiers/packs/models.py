"""Committee meetings, the cases they discuss, who receives a numbered copy, and each built copy."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cadres.files import random_upload_to

DEFAULT_CONFIDENTIALITY = "机密"

__all__ = ["CommitteeMeeting", "PackBuild", "PackCase", "PackRecipient"]


class CommitteeMeeting(models.Model):
    """A 党工委（党委）会议 that discusses cadre appointments; its pack is assembled per recipient."""

    title = models.CharField(_("会议名称"), max_length=120)
    date = models.DateField(_("会议日期"))
    organization = models.ForeignKey(
        "cadres.Organization", verbose_name=_("主办单位"), on_delete=models.PROTECT, related_name="committee_meetings"
    )
    confidentiality = models.CharField(_("密级"), max_length=20, default=DEFAULT_CONFIDENTIALITY)
    kinds = models.JSONField(_("材料类别及顺序"), default=list, blank=True, help_text=_("为空时使用默认顺序。"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("上会会议")
        verbose_name_plural = _("上会会议")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.title}（{self.date:%Y-%m-%d}）"


class PackCase(models.Model):
    """One candidate discussed at the meeting, in the pack's order."""

    meeting = models.ForeignKey(
        CommitteeMeeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="cases"
    )
    subject = models.ForeignKey(
        "cadres.Person", verbose_name=_("人选"), on_delete=models.PROTECT, related_name="pack_cases"
    )
    order = models.PositiveSmallIntegerField(_("顺序"))
    label = models.CharField(_("拟任职务"), max_length=120, blank=True)
    process_ref = models.CharField(
        _("所属流程"),
        max_length=80,
        blank=True,
        help_text=_("填写后只收录该流程的材料及不属于任何流程的材料。"),
    )

    class Meta:
        verbose_name = _("上会人选")
        verbose_name_plural = _("上会人选")
        ordering = ["meeting", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "subject"], name="pack_case_subject_once"),
            models.UniqueConstraint(fields=["meeting", "order"], name="pack_case_order_once"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.subject}"


class PackRecipient(models.Model):
    """Who receives copy number N: a user of the system, or a name only (e.g. an invited attendee)."""

    meeting = models.ForeignKey(
        CommitteeMeeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="recipients"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("姓名"), max_length=40)
    copy_number = models.PositiveSmallIntegerField(_("份号"))

    class Meta:
        verbose_name = _("分送对象")
        verbose_name_plural = _("分送对象")
        ordering = ["meeting", "copy_number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "copy_number"], name="pack_copy_number_once")]

    def __str__(self) -> str:
        return f"{self.name}（第{self.copy_number:03d}份）"


class PackBuild(models.Model):
    """One assembled copy of a meeting's pack for one recipient; kept with its SHA-256."""

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已生成")
        FAILED = "failed", _("生成失败")

    meeting = models.ForeignKey(
        CommitteeMeeting, verbose_name=_("会议"), on_delete=models.PROTECT, related_name="builds"
    )
    recipient = models.ForeignKey(
        PackRecipient, verbose_name=_("分送对象"), on_delete=models.PROTECT, related_name="builds"
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    pages = models.PositiveIntegerField(_("页数"), default=0)
    # Random stored name (cadres.files); handed out only by BuildDownloadView to the copy's readers.
    file = models.FileField(_("文件"), upload_to=random_upload_to("packs"), blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, db_index=True)
    error = models.TextField(_("错误信息"), blank=True)
    manifest = models.JSONField(_("收录清单"), default=dict, blank=True, help_text=_("收录的材料版本及目录。"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("生成人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("上会材料")
        verbose_name_plural = _("上会材料")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.meeting.title} · {self.recipient}"

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE
