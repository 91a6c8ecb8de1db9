"""交流轮岗方案: a batch plan of exchange moves (DOMAIN §3 "Alongside", issue 16), 机密 until and after it is made.

Prints the plan's title, issuer, effective date and (once decided) the meeting; one row per move with the
person, the post left and the post taken, the reason (years at the school, terms) and the result of every
check as of the date it was asked; and per affected school the team before and after with the gaps the plan
opens or closes. Guarantees: moves are numbered in the order given; a move counts as refused when any of its
checks failed, and the summary says how many; each move names two different units. Raises ValueError
(Chinese) on a missing or unknown field, or an empty list of moves.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .support import Fields, cn_date


def _check(item: Fields) -> dict:
    row = {
        "label": item.text("label", "核查项目"),
        "passed": item.boolean("passed"),
        "messages": item.strings("messages", "核查意见", required=False),
    }
    item.done()
    return row


def _move(item: Fields, number: int) -> dict:
    row = {
        "number": number,
        "name": item.text("name", "姓名"),
        "sex": item.sex(required=False),
        "birth": item.text("birth", "出生年月", required=False),
        "from_unit": item.text("from_unit", "原单位"),
        "from_post": item.text("from_post", "原任职务"),
        "to_unit": item.text("to_unit", "拟任单位"),
        "to_post": item.text("to_post", "拟任职务"),
        "reason": item.text("reason", "交流原因"),
        "document_number": item.text("document_number", "任免文号", required=False),
    }
    checks = [_check(c) for c in item.items("checks", "核查结果", required=False)]
    item.done()
    if row["from_unit"] == row["to_unit"]:
        raise item.error(_("原单位与拟任单位相同，不属于交流"))
    row["checks"] = checks
    row["refused"] = any(not c["passed"] for c in checks)
    row["check_text"] = (
        "；".join(m for c in checks if not c["passed"] for m in c["messages"]) if row["refused"] else _("各项核查通过")
    )
    return row


def _school(item: Fields) -> dict:
    row = {
        "name": item.text("name", "学校"),
        "before": item.strings("before", "调整前班子", required=False),
        "after": item.strings("after", "调整后班子", required=False),
        "gaps_added": item.strings("gaps_added", "新增缺口", required=False),
        "gaps_removed": item.strings("gaps_removed", "消除缺口", required=False),
    }
    item.done()
    return row


def build_exchange_plan(**data) -> dict:
    """Content of the 交流轮岗方案."""
    f = Fields(data)
    title = f.text("title", "方案名称")
    issuer = f.text("issuer", "编制单位")
    effective = f.date("effective_date", "生效日期")
    status = f.text("status", "方案状态")
    checked_on = f.date("checked_on", "核查日期")
    meeting = f.mapping("meeting", "研究会议", required=False)
    meeting_name = meeting.text("name", "会议名称", required=False)
    meeting_date = meeting.date("date", "会议日期", required=False)
    decision = meeting.text("decision", "会议决定", required=False)
    meeting.done()
    moves = [_move(item, n) for n, item in enumerate(f.items("moves", "交流人选"), 1)]
    schools = [_school(item) for item in f.items("schools", "班子结构影响", required=False)]
    day = f.date("date", "编制日期")
    f.done()
    refused = sum(1 for m in moves if m["refused"])
    summary = _("本方案共交流%(n)d人，涉及%(s)d所学校；核查未通过%(r)d人。") % {
        "n": len(moves),
        "s": len({m["from_unit"] for m in moves} | {m["to_unit"] for m in moves}),
        "r": refused,
    }
    return {
        "title": title,
        "issuer": issuer,
        "confidentiality": _("机密"),
        "status": status,
        "effective_date": effective.isoformat(),
        "effective_text": cn_date(effective),
        "checked_on": checked_on.isoformat(),
        "checked_text": cn_date(checked_on),
        "meeting": {
            "name": meeting_name,
            "date": meeting_date.isoformat() if meeting_date else "",
            "date_text": cn_date(meeting_date) if meeting_date else "",
            "decision": decision,
        },
        "moves": moves,
        "refused_count": refused,
        "schools": schools,
        "summary": summary,
        "date": day.isoformat(),
        "date_text": cn_date(day),
    }
