"""会议纪要摘录: the extract of a meeting's minutes covering the cadre items (DOMAIN §3.5, §5.4).

Guarantees: attendance (应到/实到, absentees with reasons, 列席) and the quorum verdict for personnel items
(≥ ⌈2/3 × 应到⌉ by default; the school 党组织会议 uses the same ratio for 干部任免); each item with its discussion,
decision and, when given, the vote and recusals; the extract is certified by the person who made it.
Raises ValueError (Chinese) on a missing field or an absentee who is also listed as present.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .support import Fields, ceil_fraction, cn_date, cn_ordinal


def _item(item: Fields, number: int) -> dict:
    title = item.text("title", "议题")
    discussion = item.paragraphs("discussion", "讨论情况", required=False)
    decision = item.paragraphs("decision", "会议决定")
    vote = item.mapping("vote", "表决情况", required=False)
    vote_line = ""
    if vote.data:
        agree = vote.integer("agree", "同意", default=0)
        disagree = vote.integer("disagree", "不同意", default=0)
        defer = vote.integer("defer", "缓议", default=0)
        vote_line = _("表决结果：同意%(a)d票，不同意%(d)d票，缓议%(f)d票。") % {"a": agree, "d": disagree, "f": defer}
    vote.done()
    recused = item.strings("recused", "回避人员", required=False)
    item.done()
    return {
        "heading": _("%(n)s、%(title)s") % {"n": cn_ordinal(number), "title": title},
        "discussion": discussion,
        "decision": decision,
        "vote_line": vote_line,
        "recusal_line": (_("%(names)s按规定回避。") % {"names": "、".join(recused)}) if recused else "",
    }


def build_minutes_extract(**data) -> dict:
    """Content of the 会议纪要（摘录） for one meeting."""
    f = Fields(data)
    body = f.text("body", "会议机关")
    meeting = f.text("meeting", "会议名称")
    number = f.text("number", "纪要编号", required=False)
    day = f.date("date", "会议日期")
    place = f.text("place", "会议地点")
    chair = f.text("chair", "主持人")
    recorder = f.text("recorder", "记录人")
    present = f.strings("present", "出席人员")
    absent = []
    for item in f.items("absent", "缺席人员", required=False):
        absent.append({"name": item.text("name", "姓名"), "reason": item.text("reason", "缺席原因")})
        item.done()
    overlap = set(present) & {a["name"] for a in absent}
    if overlap:
        raise f.error(_("同一人不能既出席又缺席：%(n)s") % {"n": "、".join(sorted(overlap))})
    attending = f.strings("attending", "列席人员", required=False)
    items = [_item(item, n) for n, item in enumerate(f.items("items", "议题"), 1)]
    extracted_by = f.text("extracted_by", "摘录人")
    extract_date = f.date("extract_date", "摘录日期")
    f.done()

    due = len(present) + len(absent)
    needed = ceil_fraction(due, 2, 3)
    quorum_met = len(present) >= needed
    absent_text = "；".join(f"{a['name']}（{a['reason']}）" for a in absent) or _("无")
    return {
        "title": _("会议纪要（摘录）"),
        "body": body,
        "meeting": meeting,
        "number": number,
        "date": day.isoformat(),
        "date_text": cn_date(day),
        "place": place,
        "chair": chair,
        "recorder": recorder,
        "present": present,
        "present_text": "、".join(present),
        "absent": absent,
        "absent_text": absent_text,
        "attending_text": "、".join(attending) or _("无"),
        "due": due,
        "quorum_needed": needed,
        "quorum_met": quorum_met,
        "attendance_line": _("应到%(due)d人，实到%(p)d人，%(v)s（讨论干部任免事项须三分之二以上成员到会）。")
        % {
            "due": due,
            "p": len(present),
            "v": _("符合规定人数") if quorum_met else _("不足规定人数，干部任免事项不得讨论决定"),
        },
        "items": items,
        "extracted_by": extracted_by,
        "extract_date": extract_date.isoformat(),
        "extract_date_text": cn_date(extract_date),
        "certification": _("以上内容摘录自%(body)s%(meeting)s纪要，经核对与原件一致。")
        % {"body": body, "meeting": meeting},
        "confidentiality": _("机密"),
    }
