"""The 校验结果 as an .xlsx, written through the one workbook writer (`cadres.excel`: formula-like text is
escaped), from the stored standings: one row per person checked, then the rows that could not be checked."""

from __future__ import annotations

from django.utils.translation import gettext as _

from cadres.ethics.list_check import LIST_PURPOSES
from cadres.excel import ExcelBook

from .models import VetoCheck

HEADERS = ("序号", "姓名", "单位", "身份证号后四位", "校验结论", "原因", "限制至（含）")


def check_workbook(check: VetoCheck) -> bytes:
    book = ExcelBook()
    sheet = book.sheet(_("校验结果"))
    sheet.set_widths((6, 12, 28, 14, 16, 70, 14))
    sheet.freeze("A3")
    sheet.append_row(
        [
            _("师德一票否决校验结果：%(p)s，校验日期 %(d)s，共%(n)d人，受限%(b)d人")
            % {"p": LIST_PURPOSES[check.purpose], "d": check.on.isoformat(), "n": check.total, "b": check.blocked}
        ]
    )
    sheet.append_row([_(h) for h in HEADERS])
    for number, s in enumerate(check.standings, start=1):
        sheet.append_row(
            [number, s["name"], s["unit"], s["id_tail"], s["outcome_label"], s["reason_text"], s["until_text"]]
        )
    if check.problems:
        problems = book.sheet(_("未能校验的行"))
        problems.set_widths((8, 12, 14, 60))
        problems.append_row([_("行号"), _("姓名"), _("身份证号后四位"), _("原因")])
        for p in check.problems:
            problems.append_row([p["row"] or "", p["name"], p["id_tail"], p["message"]])
    return book.to_bytes()
