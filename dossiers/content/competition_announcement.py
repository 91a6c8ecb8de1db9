"""竞聘公告: the announcement of a school's mid-level competition (DOMAIN §5.2, regulations.md §4).

Everything printed comes from the frozen 实施方案 as the caller passes it: posts with their seats (职数) and
the minimum number of qualified candidates, the eligibility conditions already put in words, the
registration window, the score weights, the trimming rule and the tie-break order; the plan's SHA-256 is
printed so that anyone can check the notice against the filed plan. Guarantees: weights sum to 100; each
post's minimum is at least its seats; the window closes on or after it opens. Raises ValueError (Chinese)
on a missing field, an unknown field or an inconsistency.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from .competition_ranking import COMPONENTS, read_tie_break, read_weights, tie_sentence
from .support import Fields, cn_date, cn_ordinal, fmt_plain

PLAN_HASH = re.compile(r"^[0-9a-f]{64}$")


def _posts(f: Fields) -> list[dict]:
    rows = []
    for item in f.items("posts", "竞聘岗位"):
        name = item.text("name", "岗位名称")
        seats = item.integer("seats", "职数", minimum=1)
        minimum = item.integer("min_candidates", "最少合格人数", default=seats, minimum=1)
        item.done()
        if minimum < seats:
            raise item.error(_("最少合格人数（%(m)d）不得少于职数（%(s)d）") % {"m": minimum, "s": seats})
        rows.append({"name": name, "seats": seats, "min_candidates": minimum})
    names = [r["name"] for r in rows]
    if len(set(names)) != len(names):
        raise f.error(_("竞聘岗位重复"))
    return rows


def build_competition_announcement(**data) -> dict:
    """Content of the 竞聘公告."""
    f = Fields(data)
    school = f.text("school", "学校")
    competition = f.text("competition", "竞聘名称")
    posts = _posts(f)
    conditions = f.paragraphs("conditions", "报名条件")
    opens = f.date("opens", "报名开始日期")
    closes = f.date("closes", "报名截止日期")
    place = f.text("registration_place", "报名地点", required=False)
    weights = read_weights(f)
    trim_min = f.integer("trim_min_judges", "去高去低的最少评委数", default=5, minimum=3)
    keys = read_tie_break(f)
    inspect_top = f.integer("inspect_top", "每个职数的考察人数", default=1, minimum=1)
    plan_hash = f.text("plan_hash", "实施方案哈希").lower()
    contact = f.text("contact", "联系人", required=False)
    phone = f.text("phone", "联系电话")
    issuer = f.text("issuer", "发布单位")
    day = f.date("date", "公告日期")
    f.done()
    if closes < opens:
        raise f.error(_("报名截止日期早于开始日期"))
    if not PLAN_HASH.match(plan_hash):
        raise f.error(_("实施方案哈希应为64位十六进制数"))

    competition_title = school + competition.removeprefix(school)
    heading = _("%(c)s公告") % {"c": competition.removeprefix(school)}
    seats = sum(p["seats"] for p in posts)
    weight_text = "、".join(
        _("%(label)s占%(w)s%%") % {"label": label, "w": fmt_plain(weights[key])}
        for key, label in COMPONENTS
        if weights[key]
    )
    window_line = _("报名时间：%(a)s至%(b)s。") % {"a": cn_date(opens), "b": cn_date(closes)}
    if place:
        window_line += _("报名地点：%(p)s。") % {"p": place}
    sections = [
        {
            "heading": _("竞聘岗位及职数"),
            "paragraphs": [
                _(
                    "本次竞聘岗位%(n)d个，共%(s)d个职数（见下表）。某一岗位资格审查合格人数少于最少合格人数的，"
                    "该岗位按实施方案另行研究。"
                )
                % {"n": len(posts), "s": seats}
            ],
            "table": True,
        },
        {
            "heading": _("报名条件"),
            "paragraphs": [
                _("（%(n)s）%(c)s") % {"n": cn_ordinal(i), "c": text.rstrip("。；;") + "。"}
                for i, text in enumerate(conditions, 1)
            ],
        },
        {
            "heading": _("报名时间和方式"),
            "paragraphs": [
                window_line,
                _(
                    "符合条件的教职工本人报名，报名截止前可以撤回。"
                    "报名结束后，学校对报名人员进行资格审查，审查结果及不予通过的理由予以公布。"
                ),
            ],
        },
        {
            "heading": _("竞聘程序"),
            "paragraphs": [
                _("资格审查合格者参加演讲答辩，由指定评委当场独立评分；同时进行民主测评，并按实施方案评定工作业绩。"),
                _(
                    "按综合成绩排名，每个岗位按职数1∶%(n)d的比例确定考察对象；经组织考察后，"
                    "由学校党组织会议研究决定拟聘人选，任前公示不少于5个工作日，公示无异议的予以聘任，试用期一年。"
                )
                % {"n": inspect_top},
            ],
        },
        {
            "heading": _("成绩计算"),
            "paragraphs": [
                _("综合成绩按百分制计算，其中%(w)s，保留两位小数。") % {"w": weight_text},
                _(
                    "演讲答辩评委不少于%(m)d人时，去掉一个最高分和一个最低分后取平均分；少于%(m)d人时取全部分数的平均分。"
                )
                % {"m": trim_min},
                tie_sentence(keys),
            ],
        },
        {
            "heading": _("其他事项"),
            "paragraphs": [
                (_("联系人：%(c)s；联系电话：%(p)s。") % {"c": contact, "p": phone})
                if contact
                else (_("联系电话：%(p)s。") % {"p": phone}),
                _(
                    "本公告依据经学校党组织会议审议通过并报教育主管部门备案的实施方案定稿制定，"
                    "可用下列方案定稿校验码（SHA-256）核对："
                ),
            ],
        },
    ]
    for i, section in enumerate(sections, 1):
        section["number"] = cn_ordinal(i)
    return {
        "title": school + heading,
        "title_lines": [school, heading],
        "school": school,
        "competition": competition,
        "intro": _(
            "为进一步深化学校干部人事制度改革，选拔政治过硬、业务精湛、敢于担当的中层干部，"
            "根据学校中层干部竞聘上岗实施方案，现将%(c)s有关事项公告如下："
        )
        % {"c": competition_title},
        "posts": posts,
        "seats": seats,
        "conditions": conditions,
        "opens": opens.isoformat(),
        "closes": closes.isoformat(),
        "weights": {key: fmt_plain(weights[key]) for key, _label in COMPONENTS},
        "trim_min_judges": trim_min,
        "tie_break": list(keys) if keys else [],
        "inspect_top": inspect_top,
        "plan_hash": plan_hash,
        "contact": contact,
        "phone": phone,
        "sections": sections,
        "issuer": issuer,
        "date": day.isoformat(),
        "date_text": cn_date(day),
    }
