"""竞聘评分表: one judge's sheet for one candidate's speech and defence (DOMAIN §5.3).

Guarantees: every criterion has a maximum and a score within [0, maximum] with at most two decimals; the
total and the total maximum are summed exactly; the sheet shows when it was submitted and locked, which
cannot be before the sitting opened. Raises ValueError (Chinese) otherwise.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from .support import Fields, cn_date, cn_datetime, fmt_plain, fmt_points


def build_competition_score_sheet(**data) -> dict:
    """Content of one judge's 竞聘评分表."""
    f = Fields(data)
    competition = f.text("competition", "竞聘名称")
    organization = f.text("organization", "单位")
    post = f.text("post", "竞聘岗位")
    candidate = f.mapping("candidate", "竞聘人")
    candidate_name = candidate.text("name", "姓名")
    candidate_number = candidate.integer("number", "演讲序号", minimum=1)
    candidate_post = candidate.text("current_post", "现任岗位", required=False)
    candidate.done()
    judge = f.mapping("judge", "评委")
    judge_name = judge.text("name", "姓名")
    judge_number = judge.integer("number", "评委编号", minimum=1)
    judge.done()
    criteria = []
    for item in f.items("criteria", "评分项目"):
        name = item.text("name", "项目")
        description = item.text("description", "评分要点", required=False)
        maximum = item.decimal("max_points", "分值", minimum=Decimal("0.5"))
        score = item.decimal("score", "得分", maximum=maximum)
        item.done()
        if score != score.quantize(Decimal("0.01")):
            raise item.error(_("得分最多保留两位小数"))
        criteria.append({"name": name, "description": description, "max": maximum, "score": score})
    opened_at = f.datetime("opened_at", "开始评分时间", required=False)
    locked_at = f.datetime("locked_at", "提交锁定时间")
    if opened_at and locked_at < opened_at:
        raise f.error(_("提交时间早于评分开始时间"))
    comment = f.text("comment", "评语", required=False, max_length=300)
    f.done()
    total = sum((c["score"] for c in criteria), Decimal(0))
    total_max = sum((c["max"] for c in criteria), Decimal(0))
    return {
        "title": _("竞聘演讲答辩评分表"),
        "competition": competition,
        "organization": organization,
        "post": post,
        "candidate": {"name": candidate_name, "number": candidate_number, "current_post": candidate_post},
        "judge": {"name": judge_name, "number": judge_number},
        "criteria": [
            {
                "name": c["name"],
                "description": c["description"],
                "max": fmt_plain(c["max"]),
                "score": fmt_points(c["score"]),
            }
            for c in criteria
        ],
        "total": fmt_points(total),
        "total_max": fmt_plain(total_max),
        "comment": comment,
        "opened_at_text": cn_datetime(opened_at) if opened_at else "",
        "locked_at": locked_at.isoformat(),
        "locked_at_text": cn_datetime(locked_at),
        "date_text": cn_date(locked_at),
        "lock_line": _("本表已于%(t)s提交并锁定，不得更改。") % {"t": cn_datetime(locked_at)},
    }
