"""Excel export of a filtered list of entries: one row per entry, the 名册's columns (openpyxl)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from openpyxl.styles import Font

from cadres.excel import XLSX, ExcelBook

from .rows import roster_rows

__all__ = ["XLSX", "columns", "entries_workbook"]


def columns() -> list[tuple[str, str]]:
    return [
        ("name", _("姓名")),
        ("sex", _("性别")),
        ("birth", _("出生年月")),
        ("age", _("年龄")),
        ("unit", _("工作单位")),
        ("current_post", _("现任职务")),
        ("education", _("学历")),
        ("title", _("职称")),
        ("political_status", _("政治面貌")),
        ("kind", _("后备类别")),
        ("target", _("拟培养方向")),
        ("horizon", _("使用期限")),
        ("origin", _("推荐方式")),
        ("state", _("状态")),
        ("admitted_on", _("入库日期")),
        ("valid_until", _("有效期至")),
        ("training_hours", _("本年培训学时")),
    ]


def entries_workbook(entries, *, on: dt.date) -> bytes:
    """The .xlsx of `entries` (a queryset, already filtered and scoped) as of `on` (rows: `rows.roster_rows`)."""
    book = ExcelBook()  # write-only: streams rows, a province's pool saves in a fraction of the time
    sheet = book.sheet(_("后备干部"))
    cols = columns()
    sheet.freeze("A2")
    sheet.append_row([label for _key, label in cols], font=Font(bold=True))
    for row in roster_rows(entries, on=on):
        sheet.append_row([row[key] for key, _label in cols])  # escapes formula-like text (cadres.excel)
    return book.to_bytes()
