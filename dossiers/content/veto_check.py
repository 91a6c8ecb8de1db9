"""一票否决校验结果: a submitted list's standing for one purpose on one date (DOMAIN §6, §10), one row per person.

Guarantees: rows are numbered in the order given (the caller puts the blocked first); the summary counts the
rows, those with no veto and those blocked, and — for 教师资格定期注册 — 暂缓注册 and 注册不合格 separately; rows
that could not be checked (unknown ID numbers, names that do not match) are listed after the table with their
Excel row. Only the last four digits of an ID number are printed. Raises ValueError (Chinese) on a missing
field or an empty list.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .support import Fields, cn_date


def _row(item: Fields, number: int) -> dict:
    row = {
        "number": number,
        "name": item.text("name", "姓名"),
        "unit": item.text("unit", "单位"),
        "id_tail": item.text("id_tail", "身份证号后四位", required=False, max_length=4) or "—",
        "standing": item.text("standing", "校验结论"),
        "blocked": item.boolean("blocked"),
        "reason": item.text("reason", "原因", required=False) or "—",
        "until": item.text("until", "限制至", required=False) or "—",
    }
    item.done()
    return row


def _problem(item: Fields) -> dict:
    row = item.integer("row", "行号", required=False)
    problem = {
        "row": str(row) if row else "—",
        "name": item.text("name", "姓名", required=False) or "—",
        "id_tail": item.text("id_tail", "身份证号后四位", required=False, max_length=4) or "—",
        "message": item.text("message", "原因"),
    }
    item.done()
    return problem


def build_veto_check(**data) -> dict:
    """Content of one 一票否决校验结果."""
    f = Fields(data)
    issuer = f.text("issuer", "提交单位")
    purpose = f.text("purpose_label", "校验事项")
    on = f.date("on", "校验日期")
    submitted_by = f.text("submitted_by", "提交人")
    day = f.date("date", "编制日期")
    registration = f.boolean("registration")
    rows = [_row(item, n) for n, item in enumerate(f.items("rows", "校验人员"), start=1)]
    problems = [_problem(item) for item in f.items("problems", "未能校验的行", required=False)]
    f.done()
    total = len(rows)
    blocked = sum(1 for r in rows if r["blocked"])
    summary = _("共校验%(total)d人：无一票否决情形%(clear)d人，受限%(blocked)d人。") % {
        "total": total,
        "clear": total - blocked,
        "blocked": blocked,
    }
    if registration:
        deferred = sum(1 for r in rows if r["standing"] == _("暂缓注册"))
        failed = sum(1 for r in rows if r["standing"] == _("注册不合格"))
        summary += _("其中暂缓注册%(deferred)d人、注册不合格%(failed)d人。") % {"deferred": deferred, "failed": failed}
    if problems:
        summary += _("另有%(n)d行未能校验，见表后。") % {"n": len(problems)}
    return {
        "title": _("师德一票否决校验结果"),
        "purpose": purpose,
        "issuer": issuer,
        "on_text": cn_date(on),
        "submitted_by": submitted_by,
        "date_text": cn_date(day),
        "rows": rows,
        "problems": problems,
        "summary": summary,
        "total": total,
        "blocked": blocked,
        "basis": _(
            "依据师德考核结果和处分、处理记录，按校验日期施行的一票否决规则逐人校验；“限制至”为受限的最后一日（含）。"
        ),
        "confidentiality": _("内部资料 注意保密"),
    }
