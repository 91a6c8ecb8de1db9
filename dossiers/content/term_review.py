"""任期考核表 of one school leader's term: the term (number, start, end), the 任期目标 set at its start, the
民主测评 at its end (the yearly 测评's shape, `appraisal_evaluation.read_poll`) and the grade.

Raises ValueError (Chinese) on a missing or unknown field, an end before the start, or a grade outside
优秀/称职/基本称职/不称职.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .appraisal_evaluation import read_poll, read_voters
from .support import Fields, cn_date

TERM_GRADES = ("优秀", "称职", "基本称职", "不称职")


def build_term_review(**data) -> dict:
    """Content of the 任期考核表."""
    f = Fields(data)
    organization = f.text("organization", "单位")
    name = f.text("name", "姓名")
    post = f.text("post", "职务")
    number = f.integer("number", "任期届次", minimum=1)
    start = f.date("start", "任期开始")
    end = f.date("end", "任期届满")
    goals = f.paragraphs("goals", "任期目标", required=False)
    voters = read_voters(f)
    poll = read_poll(f, voters)
    grade = f.choice("grade", "任期考核等次", TERM_GRADES)
    reviewed = f.date("reviewed_on", "考核日期")
    f.done()
    if end < start:
        raise f.error(_("任期届满日期早于开始日期"))
    return {
        "title": _("%(org)s%(name)s任期考核表") % {"org": organization, "name": name},
        "organization": organization,
        "name": name,
        "post": post,
        "term_line": _("第%(n)d个任期：%(s)s至%(e)s") % {"n": number, "s": cn_date(start), "e": cn_date(end)},
        "goals": goals or [_("（未记录任期目标）")],
        "grades": ["优秀", "称职", "基本称职", "不称职"],
        "voters": voters,
        **poll,
        "grade": grade,
        "reviewed_text": cn_date(reviewed),
        "confidentiality": _("内部资料 注意保密"),
    }
