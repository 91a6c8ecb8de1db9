"""年度考核登记表 of one cadre for one year: the registry facts, the 述职述廉 summary, the 民主测评 counts,
the proposed and the confirmed grade, and the ethics cap with its reason when one applied.

Guarantees: grades are the cadres' wording (优秀/称职/基本称职/不称职/不定等次); a confirmed grade under a cap
is never better than the cap (不定等次 caps allow 不定等次 only) — the document cannot print a result the
capped registry service would refuse. The 测评 block is `appraisal_evaluation.read_poll`.
Raises ValueError (Chinese) otherwise or on a missing or unknown field.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .appraisal_evaluation import RESULT_GRADES, read_poll, read_voters
from .support import Fields, cn_date, cn_month

_RANK = {"不称职": 0, "基本称职": 1, "称职": 2, "优秀": 3}


def _within(grade: str, cap: str) -> bool:
    if not cap:
        return True
    if cap == "不定等次":
        return grade == "不定等次"
    return grade == "不定等次" or _RANK[grade] <= _RANK[cap]


def build_annual_appraisal_form(**data) -> dict:
    """Content of the 年度考核登记表."""
    f = Fields(data)
    organization = f.text("organization", "单位")
    year = f.integer("year", "年度", minimum=2000)
    name = f.text("name", "姓名")
    sex = f.sex(required=False)
    birth = f.month("birth", "出生年月", required=False)
    post = f.text("post", "职务")
    education = f.text("education", "学历", required=False)
    title = f.text("title", "专业技术职务", required=False)
    summary = f.paragraphs("report_summary", "述职述廉报告摘要", required=False)
    voters = read_voters(f)
    poll = read_poll(f, voters)
    proposed = f.choice("proposed_grade", "拟定等次", RESULT_GRADES)
    proposed_by = f.text("proposed_by", "提出方", required=False)
    confirmed = f.choice("confirmed_grade", "确定等次", RESULT_GRADES)
    cap = f.choice("cap_grade", "最高可定等次", RESULT_GRADES, required=False, default="")
    cap_reason = f.text("cap_reason", "限制原因", required=False)
    meeting = f.text("meeting", "确定会议", required=False)
    meeting_day = f.date("meeting_date", "会议日期", required=False)
    final_day = f.date("final_date", "办结日期", required=False)
    f.done()
    if cap and not cap_reason:
        raise f.error(_("有等次限制时须写明原因"))
    for label, grade in (("拟定等次", proposed), ("确定等次", confirmed)):
        if not _within(grade, cap):
            raise f.error(_("%(l)s“%(g)s”高于限制“%(c)s”") % {"l": label, "g": grade, "c": cap})
    return {
        "title": _("%(y)d年度考核登记表") % {"y": year},
        "organization": organization,
        "year": year,
        "name": name,
        "sex": sex,
        "birth_text": cn_month(*birth) if birth else "",
        "post": post,
        "education": education,
        "teacher_title": title,
        "report_summary": summary,
        "grades": ["优秀", "称职", "基本称职", "不称职"],
        "voters": voters,
        **poll,
        "proposed_grade": proposed,
        "proposed_by": proposed_by,
        "confirmed_grade": confirmed,
        "cap_grade": cap,
        "cap_reason": cap_reason,
        "cap_line": _("受%(r)s影响，本年度最高可定为“%(c)s”。") % {"r": cap_reason, "c": cap} if cap else "",
        "meeting": meeting,
        "meeting_date_text": cn_date(meeting_day) if meeting_day else "",
        "final_date_text": cn_date(final_day) if final_day else "",
        "told_line": _("考核结果以书面形式告知本人。"),
        "confidentiality": _("内部资料 注意保密"),
    }
