"""班子结构分析: a school's leadership team on a date — members, mid-level cadres, 职数 and vacancies, admitted
reserves and the structure gaps found (the team-structure page's figures, passed in as plain data).

Guarantees: members are printed in the order given (the caller ranks them); ages are as given (周岁 on
`on`); the gap list is printed as given, or "未发现结构性问题" when empty; the summary line counts members,
women, members under the age threshold, vacancies and reserves from the rows themselves. Raises ValueError
(Chinese) on a missing or malformed field.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .support import Fields, cn_date


def _member(item: Fields) -> dict:
    term_end = item.date("term_end", "任期届满", required=False)
    row = {
        "name": item.text("name", "姓名"),
        "post": item.text("post", "职务"),
        "sex": item.sex(),
        "age": item.integer("age", "年龄", minimum=16, maximum=80),
        "education": item.text("education", "学历", required=False) or "—",
        "subject": item.text("subject", "任教学科", required=False) or "—",
        "years_in_post": item.text("years_in_post", "任现职时间"),
        "term_end": f"{term_end:%Y.%m.%d}" if term_end else "—",
        "term_ending": item.boolean("term_ending"),
    }
    item.done()
    return row


def _post(item: Fields) -> dict:
    row = {
        "name": item.text("name", "职务"),
        "headcount": item.integer("headcount", "职数"),
        "holders": item.integer("holders", "现任人数"),
        "vacancies": item.integer("vacancies", "空缺"),
    }
    item.done()
    return row


def _reserve(item: Fields) -> dict:
    row = {
        "name": item.text("name", "姓名"),
        "post_kind": item.text("post_kind", "拟任职务类别"),
        "horizon": item.text("horizon", "使用期限", required=False) or "—",
    }
    item.done()
    return row


def build_team_structure(**data) -> dict:
    """Content of one 班子结构分析."""
    f = Fields(data)
    organization = f.text("organization", "学校")
    on = f.date("on", "分析日期")
    issuer = f.text("issuer", "编制单位")
    day = f.date("date", "编制日期")
    members = [_member(i) for i in f.items("members", "校级领导", required=False)]
    middle = [_member(i) for i in f.items("middle", "中层干部", required=False)]
    leader_posts = [_post(i) for i in f.items("leader_posts", "校级职位", required=False)]
    middle_posts = [_post(i) for i in f.items("middle_posts", "中层职位", required=False)]
    headcount = f.integer("headcount", "校级职数")
    vacancies = f.integer("vacancies", "校级空缺")
    middle_headcount = f.integer("middle_headcount", "中层职数")
    middle_vacancies = f.integer("middle_vacancies", "中层空缺")
    reserve = [_reserve(i) for i in f.items("reserve", "后备干部", required=False)]
    gaps = f.strings("gaps", "结构问题", required=False)
    thresholds = f.mapping("thresholds", "研判标准")
    young_age = thresholds.integer("young_age", "年轻干部年龄", minimum=18, maximum=70)
    warning_months = thresholds.integer("term_warning_months", "任期届满提示月数", minimum=1, maximum=60)
    thresholds.done()
    f.done()
    names = {m["name"] for m in members}
    women = len({m["name"] for m in members if m["sex"] == "女"})
    young = len({m["name"] for m in members if m["age"] < young_age})
    summary = _(
        "校级领导%(n)d人（女性%(women)d人，%(age)d岁以下%(young)d人），校级职数%(h)d、空缺%(v)d；"
        "中层干部%(m)d人，中层职数%(mh)d、空缺%(mv)d；校级后备干部%(r)d人。"
    ) % {
        "n": len(names),
        "women": women,
        "age": young_age,
        "young": young,
        "h": headcount,
        "v": vacancies,
        "m": len(middle),
        "mh": middle_headcount,
        "mv": middle_vacancies,
        "r": len(reserve),
    }
    return {
        "title": _("%(school)s领导班子结构分析") % {"school": organization},
        "organization": organization,
        "issuer": issuer,
        "on_text": cn_date(on),
        "date_text": cn_date(day),
        "members": members,
        "middle": middle,
        "leader_posts": leader_posts,
        "middle_posts": middle_posts,
        "reserve": reserve,
        "gaps": gaps,
        "no_gaps": _("未发现结构性问题。"),
        "criteria": _(
            "研判标准：班子无%(age)d岁以下成员、班子成员性别单一、职数空缺、%(months)d个月内任期届满、无校级后备干部。"
        )
        % {"age": young_age, "months": warning_months},
        "summary": summary,
        "confidentiality": _("内部资料 注意保密"),
    }
