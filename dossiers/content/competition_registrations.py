"""竞聘报名情况表: who registered for which post of a mid-level competition (DOMAIN §5.2).

One table per post, rows in the order given (the caller passes registration order), numbered from 1 within the
post. Age is computed here, in full years (周岁) at `as_of` (normally the registration deadline): from the
birth date when the full date is given, else from the 1st of the birth month (the 任免审批表 convention).
Counts per post: registrations, withdrawals (status "已撤回") and those still standing. Raises ValueError
(Chinese) on a missing or unknown field, a birth after `as_of` or a window that closes before it opens.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

from .support import Fields, cn_date, full_years_from_month, to_date

WITHDRAWN = "已撤回"
_FULL_DATE = re.compile(r"^\d{4}[-.年]\d{1,2}[-.月]\d{1,2}日?$")


def _age(item: Fields, as_of: dt.date) -> tuple[int, str]:
    """(周岁 at `as_of`, birth as printed 1982.05) from a full birth date or a birth month."""
    raw = item.raw("birth")
    if isinstance(raw, dt.date) or (isinstance(raw, str) and _FULL_DATE.match(raw.strip())):
        birth = to_date(raw, "出生年月", where=item.where)
        years = as_of.year - birth.year - ((as_of.month, as_of.day) < (birth.month, birth.day))
        year, month = birth.year, birth.month
    else:
        year, month = Fields({"birth": raw}, item.where).month("birth", "出生年月")
        years = full_years_from_month(year, month, as_of)
    if (year, month) > (as_of.year, as_of.month):
        raise item.error(_("出生年月晚于年龄计算日期"))
    return max(years, 0), f"{year}.{month:02d}"


def _row(item: Fields, number: int, as_of: dt.date) -> dict:
    name = item.text("name", "姓名")
    sex = item.sex()
    age, birth = _age(item, as_of)
    current_post = item.text("current_post", "现任职务")
    title = item.text("title", "专业技术职务", required=False)
    registered = item.date("registered", "报名日期")
    status = item.text("status", "状态")
    note = item.text("note", "备注", required=False)
    item.done()
    return {
        "number": number,
        "name": name,
        "sex": sex,
        "birth": birth,
        "age": age,
        "current_post": current_post,
        "title": title,
        "registered": registered.isoformat(),
        "registered_text": f"{registered.year}.{registered.month:02d}.{registered.day:02d}",
        "status": status,
        "withdrawn": status == WITHDRAWN,
        "note": note,
    }


def build_competition_registrations(**data) -> dict:
    """Content of the 竞聘报名情况表."""
    f = Fields(data)
    school = f.text("school", "学校")
    competition = f.text("competition", "竞聘名称")
    opens = f.date("opens", "报名开始日期", required=False)
    closes = f.date("closes", "报名截止日期", required=False)
    as_of = f.date("as_of", "年龄计算日期")
    day = f.date("date", "制表日期")
    groups = []
    for item in f.items("posts", "竞聘岗位"):
        post = item.text("name", "岗位名称")
        seats = item.integer("seats", "职数", required=False, minimum=1)
        rows = [_row(r, n, as_of) for n, r in enumerate(item.items("rows", "报名人员", required=False), 1)]
        item.done()
        withdrawn = sum(r["withdrawn"] for r in rows)
        groups.append(
            {
                "post": post,
                "seats": seats,
                "rows": rows,
                "registered": len(rows),
                "withdrawn": withdrawn,
                "standing": len(rows) - withdrawn,
                "summary": _("报名%(n)d人，撤回%(w)d人，有效报名%(s)d人。")
                % {"n": len(rows), "w": withdrawn, "s": len(rows) - withdrawn}
                + ((_("职数%(s)d名。") % {"s": seats}) if seats else ""),
            }
        )
    prepared_by = f.text("prepared_by", "制表人", required=False)
    issuer = f.text("issuer", "制表单位", required=False) or school
    f.done()
    if opens and closes and closes < opens:
        raise f.error(_("报名截止日期早于开始日期"))
    posts = [g["post"] for g in groups]
    if len(set(posts)) != len(posts):
        raise f.error(_("竞聘岗位重复"))
    total = sum(g["registered"] for g in groups)
    withdrawn = sum(g["withdrawn"] for g in groups)
    window = (_("报名时间：%(a)s至%(b)s") % {"a": cn_date(opens), "b": cn_date(closes)}) if opens and closes else ""
    heading = _("%(c)s报名情况表") % {"c": competition.removeprefix(school)}
    return {
        "title": school + heading,
        "title_lines": [school, heading],
        "school": school,
        "competition": competition,
        "window_line": window,
        "as_of": as_of.isoformat(),
        "age_line": _("年龄按%(d)s计算（周岁）。") % {"d": cn_date(as_of)},
        "groups": groups,
        "total": total,
        "withdrawn": withdrawn,
        "total_line": _("共%(p)d个岗位，报名%(n)d人次，撤回%(w)d人次，有效报名%(s)d人次。")
        % {"p": len(groups), "n": total, "w": withdrawn, "s": total - withdrawn},
        "prepared_by": prepared_by,
        "issuer": issuer,
        "date": day.isoformat(),
        "date_text": cn_date(day),
    }
