"""A submitted list check, kept as it was answered: who asked, for what, on which date, and every standing.

The standings are stored as data at the time of the check (`cadres.ethics.list_check.Standing.as_data`), so
reopening the result, its Excel file or its PDF always shows what was checked then, even after a sanction
ended or a record changed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cadres.ethics.list_check import LIST_PURPOSES


class VetoCheck(models.Model):
    class Source(models.TextChoices):
        UPLOAD = "upload", _("上传名单")
        PICK = "pick", _("选择人员")
        SCHOOL = "school", _("本校全体教职工")

    purpose = models.CharField(_("校验事项"), max_length=32, choices=[(str(k), v) for k, v in LIST_PURPOSES.items()])
    on = models.DateField(_("校验日期"))
    source = models.CharField(_("名单来源"), max_length=16, choices=Source.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提交人"), on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "cadres.Organization", verbose_name=_("提交单位"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    people = models.JSONField(_("校验人员"), default=list)  # person ids, in the order submitted
    standings = models.JSONField(_("校验结果"), default=list)  # Standing.as_data(), blocked first
    problems = models.JSONField(_("未能校验的行"), default=list)  # RowProblem.as_data()
    total = models.PositiveIntegerField(_("人数"), default=0)
    blocked = models.PositiveIntegerField(_("受限人数"), default=0)
    document = models.ForeignKey(
        "dossiers.DossierDocument",
        verbose_name=_("校验结果PDF"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("一票否决名单校验")
        verbose_name_plural = _("一票否决名单校验")
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.on:%Y-%m-%d}"
