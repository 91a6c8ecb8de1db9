"""民主测评结果 of one unit's 年度考核: per cadre the 优秀/称职/基本称职/不称职 counts by voter category, with shares.

Input: `voters` = [{category, attended}] (实到 per category of the sitting) and `subjects` =
[{name, post, votes: [{category, excellent, competent, basic, incompetent}]}], the categories of `votes`
being those of `voters`. Guarantees: per subject and category the four counts together are at most that
category's 实到 (the rest abstained); shares are of the 实到, one decimal, half-up; a 合计 row per subject.
`read_poll` is shared with the 年度考核登记表 and the 任期考核表, so the three documents print one 测评 shape.
Raises ValueError (Chinese) on a missing field, an unknown category or counts above the 实到.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .support import Fields, cn_date, percent

GRADE_KEYS = ("excellent", "competent", "basic", "incompetent")
GRADE_LABELS = ("优秀", "称职", "基本称职", "不称职")
RESULT_GRADES = ("优秀", "称职", "基本称职", "不称职", "不定等次")


def read_voters(f: Fields) -> list[dict]:
    voters = []
    for item in f.items("voters", "参加测评人员"):
        voters.append({"category": item.text("category", "类别"), "attended": item.integer("attended", "实到人数")})
        item.done()
    return voters


def _row(label: str, counts: list[int], attended: int) -> dict:
    marked = sum(counts)
    return {
        "category": label,
        "attended": attended,
        "cells": [{"count": n, "share": percent(n, attended)} for n in counts],
        "abstained": attended - marked,
        "favourable_share": percent(counts[0] + counts[1], attended),
    }


def read_poll(f: Fields, voters: list[dict], key: str = "votes") -> dict:
    """One person's counts by category (every category of `voters`, in its order) and the 合计 row."""
    attended = {v["category"]: v["attended"] for v in voters}
    given = {}
    for item in f.items(key, "测评票数", required=False):
        category = item.text("category", "类别")
        if category not in attended:
            raise item.error(_("未知的参加人员类别：%(c)s") % {"c": category})
        counts = [item.integer(k, label) for k, label in zip(GRADE_KEYS, GRADE_LABELS, strict=True)]
        item.done()
        if sum(counts) > attended[category]:
            raise item.error(
                _("%(c)s测评票合计（%(m)d）多于实到人数（%(a)d）")
                % {"c": category, "m": sum(counts), "a": attended[category]}
            )
        given[category] = counts
    rows = [_row(v["category"], given.get(v["category"], [0, 0, 0, 0]), v["attended"]) for v in voters]
    totals = [sum(given.get(v["category"], [0, 0, 0, 0])[i] for v in voters) for i in range(4)]
    return {"rows": rows, "total": _row(_("合计"), totals, sum(attended.values()))}


def build_appraisal_evaluation(**data) -> dict:
    """Content of one unit's 年度考核民主测评结果."""
    f = Fields(data)
    organization = f.text("organization", "单位")
    year = f.integer("year", "年度", minimum=2000)
    day = f.date("date", "测评日期")
    voters = read_voters(f)
    subjects = []
    for item in f.items("subjects", "测评对象"):
        name = item.text("name", "姓名")
        post = item.text("post", "职务", required=False)
        poll = read_poll(item, voters)
        item.done()
        subjects.append({"name": name, "post": post, **poll})
    f.done()
    attended = sum(v["attended"] for v in voters)
    return {
        "title": _("%(org)s%(y)d年度干部考核民主测评结果") % {"org": organization, "y": year},
        "organization": organization,
        "year": year,
        "date": day.isoformat(),
        "date_text": cn_date(day),
        "grades": list(GRADE_LABELS),
        "voters": voters,
        "attended": attended,
        "attendance_line": _("参加测评%(n)d人。") % {"n": attended},
        "subjects": subjects,
        "note": _("比例以各类别实到人数为基数，保留一位小数；未填写等次的计为弃权。"),
        "confidentiality": _("内部资料 注意保密"),
    }
