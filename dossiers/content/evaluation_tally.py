"""民主测评统计表: 优秀/称职/基本称职/不称职 counts per person evaluated (DOMAIN §3.4, regulations.md §1.4).

Guarantees: per person the four counts, 弃权 (participants who marked no grade), each share of the
participants, and the favourable share (优秀 + 称职). There is no national pass mark: a threshold is printed
only when the caller passes one (e.g. the local "称职以上不超过2/3不能正式任职" rule), with the verdict.
Raises ValueError (Chinese) on missing counts or counts exceeding the participants.
"""

from __future__ import annotations

from fractions import Fraction

from django.utils.translation import gettext as _

from .support import Fields, cn_date, percent

DEFAULT_GRADES = ("优秀", "称职", "基本称职", "不称职")
GRADE_KEYS = ("excellent", "competent", "basic", "incompetent")


def _threshold(f: Fields) -> Fraction | None:
    numerator = f.integer("favourable_numerator", "好评比例分子", required=False, minimum=1)
    denominator = f.integer("favourable_denominator", "好评比例分母", required=False, minimum=1)
    if numerator is None and denominator is None:
        return None
    if numerator is None or denominator is None or numerator > denominator:
        raise f.error(_("好评比例应同时给出分子和分母，且不大于1"))
    return Fraction(numerator, denominator)


def _subject(item: Fields, participants: int, threshold: Fraction | None) -> dict:
    name = item.text("name", "姓名")
    post = item.text("post", "职务", required=False)
    counts = [item.integer(key, grade) for key, grade in zip(GRADE_KEYS, DEFAULT_GRADES, strict=True)]
    item.done()
    marked = sum(counts)
    if marked > participants:
        raise item.error(_("测评票合计（%(m)d）多于参加测评人数（%(p)d）") % {"m": marked, "p": participants})
    favourable = counts[0] + counts[1]
    row = {
        "name": name,
        "post": post,
        "cells": [{"count": n, "share": percent(n, participants)} for n in counts],
        "abstained": participants - marked,
        "favourable": favourable,
        "favourable_share": percent(favourable, participants),
        "meets_threshold": None,
    }
    if threshold is not None:
        row["meets_threshold"] = Fraction(favourable, participants) > threshold if participants else False
    return row


def build_evaluation_tally(**data) -> dict:
    """Content of the 民主测评统计表 for one sitting (one or more people evaluated)."""
    f = Fields(data)
    organization = f.text("organization", "测评单位")
    purpose = f.text("purpose", "测评事项")
    day = f.date("date", "测评日期")
    grades = tuple(f.strings("grade_labels", "等次名称", required=False)) or DEFAULT_GRADES
    if len(grades) != 4:
        raise f.error(_("等次名称应为四个"))
    voters = []
    for item in f.items("voters", "参加人员类别"):
        category = item.text("category", "类别")
        due = item.integer("due", "应参加人数")
        attended = item.integer("attended", "实参加人数")
        item.done()
        if attended > due:
            raise item.error(_("实参加人数（%(a)d）不能多于应参加人数（%(d)d）") % {"a": attended, "d": due})
        voters.append({"category": category, "due": due, "attended": attended})
    due = sum(v["due"] for v in voters)
    participants = sum(v["attended"] for v in voters)
    threshold = _threshold(f)
    subjects = [_subject(item, participants, threshold) for item in f.items("subjects", "测评对象")]
    counter = f.text("counter", "统计人", required=False)
    scrutineer = f.text("scrutineer", "监督人", required=False)
    f.done()
    threshold_line = ""
    if threshold is not None:
        threshold_line = _("“%(a)s”和“%(b)s”票合计应超过参加人数的%(n)d/%(d)d。") % {
            "a": grades[0],
            "b": grades[1],
            "n": threshold.numerator,
            "d": threshold.denominator,
        }
    return {
        "title": _("%(org)s民主测评统计表") % {"org": organization},
        "organization": organization,
        "purpose": purpose,
        "date": day.isoformat(),
        "date_text": cn_date(day),
        "grades": list(grades),
        "voters": voters,
        "due": due,
        "participants": participants,
        "participation_line": _("应参加测评%(due)d人，实参加%(p)d人，参加率%(rate)s%%。")
        % {"due": due, "p": participants, "rate": percent(participants, due)},
        "subjects": subjects,
        "has_threshold": threshold is not None,
        "threshold_line": threshold_line,
        "counter": counter,
        "scrutineer": scrutineer,
        "note": _("比例均以实参加测评人数为基数，保留一位小数；未填写等次的计为弃权。"),
        "confidentiality": _("内部资料 注意保密"),
    }
