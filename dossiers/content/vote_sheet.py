"""表决票/计票单: the committee's vote on each candidate (DOMAIN §3.5, regulations.md §1.5, §8.1).

Arithmetic (rule-set defaults): 应到 = all members; quorum = present ≥ ⌈2/3 × 应到⌉; a candidate passes when
同意 > 应到/2 — of those *due*, not of those present (9 members → quorum 6, 5 yes needed). Recused members
do not vote and are recorded; whether they leave the 应到 denominator is unsettled in the sources, so it is a
flag (`recused_leave_denominator`, default False) printed on the sheet. The head speaks last: the head's row
is printed last. Open votes (口头/举手表决) are given per member; a secret ballot (无记名投票) gives totals.
Raises ValueError (Chinese) when a present, non-recused member has no vote in an open vote, when an absent or
recused member has one, or when totals exceed the members entitled to vote.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .support import Fields, ceil_fraction, cn_date

METHODS = ("举手表决", "口头表决", "无记名投票")
SECRET = "无记名投票"
AGREE, DISAGREE, DEFER = "同意", "不同意", "缓议"
CHOICES = {AGREE: AGREE, DISAGREE: DISAGREE, DEFER: DEFER, "agree": AGREE, "disagree": DISAGREE, "defer": DEFER}
ABSENT, RECUSED, NOT_VOTED = "缺席", "回避", "—"


def _candidates(f: Fields) -> list[dict]:
    rows = []
    for item in f.items("candidates", "表决人选"):
        rows.append(
            {
                "item": item,
                "name": item.text("name", "姓名"),
                "current_post": item.text("current_post", "现任职务", required=False),
                "proposed": item.text("proposed", "拟任（免）职务"),
                "deferred": item.boolean("deferred"),
            }
        )
    names = [r["name"] for r in rows]
    if len(set(names)) != len(names):
        raise f.error(_("表决人选姓名重复"))
    return rows


def _members(f: Fields, candidates: list[dict], secret: bool) -> list[dict]:
    candidate_names = [c["name"] for c in candidates]
    deferred = {c["name"] for c in candidates if c["deferred"]}
    members = []
    for item in f.items("members", "应到会成员"):
        name = item.text("name", "姓名")
        role = item.text("role", "职务", required=False)
        present = item.boolean("present", default=True)
        absence_reason = item.text("absence_reason", "缺席原因", required=False)
        is_head = item.boolean("is_head")
        recused_for = item.strings("recused_for", "回避人选", required=False)
        recusal_reason = item.text("recusal_reason", "回避原因", required=False)
        unknown = set(recused_for) - set(candidate_names)
        if unknown:
            raise item.error(_("回避人选不在表决人选中：%(n)s") % {"n": "、".join(sorted(unknown))})
        votes = item.mapping("votes", "表态", required=False)
        if not present and votes.data:
            raise item.error(_("缺席成员不能表态"))
        if secret and votes.data:
            raise item.error(_("无记名投票不记录个人表态"))
        cells = []
        for candidate in candidate_names:
            raw = votes.text(candidate, candidate, required=False)
            if not present:
                cells.append(ABSENT)
            elif candidate in recused_for:
                if raw:
                    raise item.error(_("已回避，不能对%(c)s表态") % {"c": candidate})
                cells.append(RECUSED)
            elif candidate in deferred:
                if raw:
                    raise item.error(_("%(c)s暂缓表决，不应有表态") % {"c": candidate})
                cells.append(NOT_VOTED)
            elif secret:
                cells.append("")
            elif not raw:
                raise item.error(_("未对%(c)s表态（同意、不同意或缓议）") % {"c": candidate})
            elif raw not in CHOICES:
                raise item.error(_("对%(c)s的表态应为同意、不同意或缓议") % {"c": candidate})
            else:
                cells.append(CHOICES[raw])
        votes.done()
        item.done()
        members.append(
            {
                "name": name,
                "role": role,
                "present": present,
                "absence_reason": absence_reason,
                "is_head": is_head,
                "recused_for": recused_for,
                "recusal_reason": recusal_reason,
                "cells": cells,
            }
        )
    if sum(m["is_head"] for m in members) > 1:
        raise f.error(_("主要负责人只能有一人"))
    names = [m["name"] for m in members]
    if len(set(names)) != len(names):
        raise f.error(_("成员姓名重复"))
    # The head states a view last (条例: 主要负责人应当最后表态).
    return [m for m in members if not m["is_head"]] + [m for m in members if m["is_head"]]


def _tally(candidate: dict, index: int, members: list[dict], secret: bool) -> dict:
    eligible = sum(1 for m in members if m["present"] and m["cells"][index] != RECUSED)
    recused = [m["name"] for m in members if m["cells"][index] == RECUSED]
    item = candidate["item"]
    if secret:
        totals = item.mapping("totals", "计票结果", required=not candidate["deferred"])
        counts = {
            AGREE: totals.integer("agree", AGREE, default=0),
            DISAGREE: totals.integer("disagree", DISAGREE, default=0),
            DEFER: totals.integer("defer", DEFER, default=0),
        }
        totals.done()
        if sum(counts.values()) > eligible:
            raise item.error(
                _("票数合计（%(n)d）多于有表决权的到会成员（%(e)d）") % {"n": sum(counts.values()), "e": eligible}
            )
    else:
        counts = {c: sum(1 for m in members if m["cells"][index] == c) for c in (AGREE, DISAGREE, DEFER)}
    item.done()
    return {"counts": counts, "eligible": eligible, "recused": recused, "blank": eligible - sum(counts.values())}


def build_vote_sheet(**data) -> dict:
    """Content of the 计票单 of one decision meeting (one or more candidates)."""
    f = Fields(data)
    body = f.text("body", "决定机关")
    meeting = f.text("meeting", "会议名称")
    day = f.date("date", "会议日期")
    place = f.text("place", "会议地点", required=False)
    method = f.choice("method", "表决方式", METHODS, default="举手表决")
    chair = f.text("chair", "主持人")
    recorder = f.text("recorder", "记录人")
    scrutineers = f.strings("scrutineers", "监票人", required=False)
    leave_denominator = f.boolean("recused_leave_denominator")
    secret = method == SECRET
    candidates = _candidates(f)
    members = _members(f, candidates, secret)
    f.done()

    due_all = len(members)
    present = sum(1 for m in members if m["present"])
    quorum_needed = ceil_fraction(due_all, 2, 3)
    quorum_met = present >= quorum_needed
    rows = []
    for index, candidate in enumerate(candidates):
        tally = _tally(candidate, index, members, secret)
        due = due_all - (len(tally["recused"]) if leave_denominator else 0)
        pass_needed = due // 2 + 1
        agree = tally["counts"][AGREE]
        if candidate["deferred"]:
            result = _("暂缓表决")
        elif not quorum_met:
            result = _("到会人数不足，不得表决")
        else:
            result = _("通过") if agree >= pass_needed else _("未通过")
        summary = _("应到%(due)d人 实到%(present)d人 同意%(agree)d票 %(result)s") % {
            "due": due,
            "present": present,
            "agree": agree,
            "result": result,
        }
        rows.append(
            {
                "name": candidate["name"],
                "current_post": candidate["current_post"],
                "proposed": candidate["proposed"],
                "deferred": candidate["deferred"],
                "agree": agree,
                "disagree": tally["counts"][DISAGREE],
                "defer": tally["counts"][DEFER],
                "blank": tally["blank"],
                "eligible": tally["eligible"],
                "recused": tally["recused"],
                "due": due,
                "pass_needed": pass_needed,
                "passed": result == _("通过"),
                "result": result,
                "summary": summary,
            }
        )
    absent = [m for m in members if not m["present"]]
    recusals = [m for m in members if m["recused_for"]]
    return {
        "title": _("干部任免事项表决计票单"),
        "body": body,
        "meeting": meeting,
        "date": day.isoformat(),
        "date_text": cn_date(day),
        "place": place,
        "method": method,
        "secret": secret,
        "chair": chair,
        "recorder": recorder,
        "scrutineers": scrutineers,
        "members": members,
        "absent": [{"name": m["name"], "reason": m["absence_reason"]} for m in absent],
        "recusals": [
            {"name": m["name"], "candidates": m["recused_for"], "reason": m["recusal_reason"]} for m in recusals
        ],
        "candidates": rows,
        "due": due_all,
        "present": present,
        "quorum_needed": quorum_needed,
        "quorum_met": quorum_met,
        "attendance_line": _(
            "应到会成员%(due)d人，实到%(present)d人，法定到会人数%(needed)d人（三分之二以上），%(v)s。"
        )
        % {
            "due": due_all,
            "present": present,
            "needed": quorum_needed,
            "v": _("符合规定") if quorum_met else _("不符合规定"),
        },
        "pass_rule": _("以应到会成员超过半数同意形成决定（应到%(due)d人，同意不少于%(n)d票为通过）。")
        % {"due": due_all, "n": due_all // 2 + 1},
        "denominator_rule": (
            _("回避成员不计入应到会人数。") if leave_denominator else _("回避成员不参加表决，仍计入应到会人数。")
        ),
        "confidentiality": _("机密"),
    }
