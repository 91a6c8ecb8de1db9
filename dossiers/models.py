"""Dossier documents: immutable, versioned PDFs with their SHA-256 and a printed verification code."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cadres.files import random_upload_to

from .kinds import audience_of, kind_choices

# Crockford-style alphabet without 0/O/1/I/L: codes are read aloud and typed from paper.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10


def new_verification_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class ImmutableDocumentError(Exception):
    """A rendered version cannot be changed or deleted: make a new version instead."""


class DossierDocument(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("生成中")
        RENDERED = "rendered", _("已生成")
        FAILED = "failed", _("生成失败")

    kind = models.CharField(_("材料类别"), max_length=40, choices=kind_choices)
    title = models.CharField(_("标题"), max_length=200)
    subject = models.ForeignKey(
        "cadres.Person",
        verbose_name=_("对象"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    organization = models.ForeignKey(
        "cadres.Organization", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="dossiers"
    )
    process_ref = models.CharField(_("所属流程"), max_length=80, blank=True)
    step = models.CharField(_("所属环节"), max_length=60, blank=True)
    series = models.CharField(_("版本系列"), max_length=240, db_index=True, editable=False)
    version = models.PositiveIntegerField(_("版本"))
    content = models.JSONField(_("内容数据"), default=dict)
    template_name = models.CharField(_("模板"), max_length=120)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("生成次数"), default=0)
    last_error = models.TextField(_("错误信息"), blank=True)
    # Stored under a random name (cadres.files); read only through the download view, which checks audience.
    pdf = models.FileField(_("PDF"), upload_to=random_upload_to("dossiers"), blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, db_index=True)
    verification_code = models.CharField(_("验证码"), max_length=16, unique=True, default=new_verification_code)
    page_count = models.PositiveIntegerField(_("页数"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("生成人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("生成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("材料")
        verbose_name_plural = _("材料")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["series", "version"], name="dossier_version_once")]
        indexes = [models.Index(fields=["status", "attempts"])]

    def __str__(self) -> str:
        return f"{self.title}（第{self.version}版）"

    def save(self, *args, **kwargs):
        if getattr(self, "_loaded_status", None) == self.Status.RENDERED:
            raise ImmutableDocumentError(str(_("已生成的材料不可修改，请生成新版本。")))
        super().save(*args, **kwargs)
        self._loaded_status = self.status

    def delete(self, *args, **kwargs):
        if self.status == self.Status.RENDERED:
            raise ImmutableDocumentError(str(_("已生成的材料不可删除。")))
        return super().delete(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_status = instance.status
        return instance

    def refresh_from_db(self, *args, **kwargs):
        # A refreshed instance that now holds a rendered version must be as immutable as a freshly loaded one.
        super().refresh_from_db(*args, **kwargs)
        self._loaded_status = self.status

    @property
    def is_rendered(self) -> bool:
        return self.status == self.Status.RENDERED

    @property
    def audience(self):
        """The kind's 密级 and readers (dossiers.kinds.AUDIENCES)."""
        return audience_of(self.kind)


def series_key(*, kind: str, subject_id: int | None, organization_id: int, process_ref: str, step: str) -> str:
    """Versions of one document share a series: same kind, subject (or unit), process and step."""
    return f"{kind}|{subject_id or '-'}|{organization_id}|{process_ref or '-'}|{step or '-'}"


# Registers the committee-pack models with this app.
from .packs.models import CommitteeMeeting, PackBuild, PackCase, PackRecipient  # noqa: E402, F401
