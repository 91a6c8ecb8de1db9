"""竞聘资格审查结果: each registration accepted or refused, with the reason (DOMAIN §5.2).

Per post: every reviewed registration (withdrawn ones are left out by the caller) with 通过 / 不通过 and the
reason — a refusal must carry its reason, an acceptance defaults to "符合报名条件"; then the number qualified
against the plan's minimum (`min_candidates`, default the seats), flagged `short` when fewer. Raises
ValueError (Chinese) on a refusal without a reason, a minimum below the seats, or a missing or unknown field.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .support import Fields, cn_date

PASSED, REFUSED = "通过", "不通过"
RESULTS = {PASSED: PASSED, REFUSED: REFUSED, "accepted": PASSED, "refused": REFUSED}


def _sentence(text: str) -> str:
    return text if text[-1] in "。！？；.!?" else text + "。"


def _row(item: Fields) -> dict:
    name = item.text("name", "姓名")
    current_post = item.text("current_post", "现任职务", required=False)
    result = item.choice("result", "审查结果", RESULTS)
    reason = item.text("reason", "理由", required=False, max_length=500)
    item.done()
    result = RESULTS[result]
    if result == REFUSED and not reason:
        raise item.error(_("不予通过须写明理由"))
    return {
        "name": name,
        "current_post": current_post,
        "result": result,
        "accepted": result == PASSED,
        "reason": _sentence(reason) if reason else _("符合报名条件。"),
    }


def _post(item: Fields) -> dict:
    post = item.text("name", "岗位名称")
    seats = item.integer("seats", "职数", minimum=1)
    minimum = item.integer("min_candidates", "最少合格人数", default=seats, minimum=1)
    rows = [_row(r) for r in item.items("rows", "审查对象", required=False)]
    item.done()
    if minimum < seats:
        raise item.error(_("最少合格人数（%(m)d）不得少于职数（%(s)d）") % {"m": minimum, "s": seats})
    qualified = sum(r["accepted"] for r in rows)
    short = qualified < minimum
    line = _("%(p)s：参加资格审查%(n)d人，通过%(q)d人，不予通过%(r)d人；实施方案要求合格人数不少于%(m)d人") % {
        "p": post,
        "n": len(rows),
        "q": qualified,
        "r": len(rows) - qualified,
        "m": minimum,
    }
    line += _("，合格人数不足，须按实施方案研究处理。") if short else _("，符合要求。")
    return {
        "post": post,
        "seats": seats,
        "min_candidates": minimum,
        "rows": rows,
        "qualified": qualified,
        "refused": len(rows) - qualified,
        "short": short,
        "line": line,
    }


def build_competition_qualification(**data) -> dict:
    """Content of the 竞聘资格审查结果."""
    f = Fields(data)
    school = f.text("school", "学校")
    competition = f.text("competition", "竞聘名称")
    groups = [_post(item) for item in f.items("posts", "竞聘岗位")]
    reviewed_by = f.text("reviewed_by", "审查单位", required=False)
    issuer = f.text("issuer", "发布单位", required=False) or school
    day = f.date("date", "审查日期")
    f.done()
    posts = [g["post"] for g in groups]
    if len(set(posts)) != len(posts):
        raise f.error(_("竞聘岗位重复"))
    heading = _("%(c)s资格审查结果") % {"c": competition.removeprefix(school)}
    short = [g["post"] for g in groups if g["short"]]
    return {
        "title": school + heading,
        "title_lines": [school, heading],
        "school": school,
        "competition": competition,
        "intro": _("根据实施方案规定的报名条件，%(by)s对报名人员逐一进行了资格审查，现将结果公布如下：")
        % {"by": reviewed_by or school},
        "groups": groups,
        "qualified": sum(g["qualified"] for g in groups),
        "refused": sum(g["refused"] for g in groups),
        "short_posts": short,
        "short_line": (_("合格人数不足的岗位：%(p)s。") % {"p": "、".join(short)}) if short else "",
        "reviewed_by": reviewed_by,
        "issuer": issuer,
        "date": day.isoformat(),
        "date_text": cn_date(day),
    }
