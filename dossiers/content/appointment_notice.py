"""任职通知: the appointment (and removal) notice, laid out as a 公文 (DOMAIN §3.7, regulations.md §1.6).

Guarantees: a document number of the form 机关代字〔年份〕序号号 (e.g. 示教工委〔2026〕12号) whose year is the
notice's year; each appointee's 任命/免去 lines; for a promotion the probation (试用期一年) runs from the notice
date to the day before its first anniversary, and the tenure counts from the decision date; issuing
authority, date and a seal area. Raises ValueError (Chinese) on a malformed number, a decision after the
notice, or a line that neither appoints nor removes.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from .support import Fields, cn_date, date_pair, period_end

DOC_NUMBER = re.compile(r"^(?P<prefix>[^〔〕\s]+)〔(?P<year>\d{4})〕(?P<seq>[1-9]\d*)号$")
PROBATION_MONTHS = 12


def document_number(f: Fields, key: str = "doc_number", label: str = "发文字号", *, required: bool = True) -> str:
    """Accept "示教工委〔2026〕12号" (or with [] / ［］), or {prefix, year, number}; return the canonical form."""
    if f.has(key) and isinstance(f.data[key], dict):
        parts = f.mapping(key, label)
        value = "{}〔{}〕{}号".format(
            parts.text("prefix", "机关代字"),
            parts.integer("year", "年份", minimum=1949),
            parts.integer("number", "序号", minimum=1),
        )
        parts.done()
    else:
        value = f.text(key, label, required=required)
        if not value:
            return ""
        value = value.replace("[", "〔").replace("]", "〕").replace("［", "〔").replace("］", "〕")
    if not DOC_NUMBER.match(value):
        raise f.error(_("“%(label)s”格式应如“示教工委〔2026〕12号”：%(v)s") % {"label": label, "v": value})
    return value


def build_appointment_notice(**data) -> dict:
    """Content of the 任职通知."""
    f = Fields(data)
    issuer = f.text("issuer", "发文机关")
    masthead = f.text("masthead", "发文机关标志", required=False) or _("%(i)s文件") % {"i": issuer}
    number = document_number(f)
    addressee = f.text("addressee", "主送机关")
    decided_by = f.text("decided_by", "决定会议")
    decided_on = f.date("decided_on", "决定日期")
    day = f.date("date", "成文日期")
    if decided_on > day:
        raise f.error(_("决定日期不能晚于通知日期"))
    if int(DOC_NUMBER.match(number).group("year")) != day.year:
        raise f.error(_("发文字号的年份应与成文日期一致"))
    lines, names, probations, appointed = [], [], [], False
    for item in f.items("appointments", "任免事项"):
        name = item.text("name", "姓名")
        appoint = item.text("appoint", "任命职务", required=False)
        remove = item.text("remove", "免去职务", required=False)
        probation = item.boolean("probation")
        item.done()
        if not appoint and not remove:
            raise item.error(_("应至少填写任命职务或免去职务"))
        if probation and not appoint:
            raise item.error(_("只有任命职务才有试用期"))
        names.append(name)
        if appoint:
            appointed = True
            text = _("任命%(n)s同志为%(p)s") % {"n": name, "p": appoint}
            if probation:
                end = period_end(day, PROBATION_MONTHS)
                text += _("（试用期一年，自%(a)s至%(b)s）") % {"a": cn_date(day), "b": cn_date(end)}
                probations.append({"name": name, "post": appoint, "start": date_pair(day), "end": date_pair(end)})
            lines.append(text)
        if remove:
            lines.append(_("免去%(n)s同志的%(p)s职务") % {"n": name, "p": remove})
    title = f.text("title", "标题", required=False)
    cc = f.strings("cc", "抄送", required=False)
    printer = f.text("printer", "印发机关", required=False) or _("%(i)s办公室") % {"i": issuer}
    f.done()
    unique = list(dict.fromkeys(names))
    if not title:
        who = unique[0] if len(unique) == 1 else _("%(n)s等") % {"n": unique[0]}
        title = _("关于%(who)s同志职务任免的通知") % {"who": who}
    body_lines = [line + ("；" if i < len(lines) - 1 else "。") for i, line in enumerate(lines)]
    return {
        "title": title,
        "issuer": issuer,
        "masthead": masthead,
        "doc_number": number,
        "addressee": addressee,
        "opening": _("经%(by)s研究决定：") % {"by": decided_by},
        "lines": body_lines,
        "tenure_line": (_("任职时间自%(d)s起计算。") % {"d": cn_date(decided_on)}) if appointed else "",
        "probations": probations,
        "closing": _("特此通知。"),
        "decided_on": decided_on.isoformat(),
        "date": day.isoformat(),
        "date_text": cn_date(day),
        "cc_text": "，".join(cc),
        "printer": printer,
        "print_date_text": cn_date(day),
    }
