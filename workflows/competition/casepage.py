"""The 中层竞聘 and 能上能下 case pages: what the shared page (workflows.common.casepage) needs from these flows.

Sentences come from the steps' audit events (`services._event`, `adjustment.record_event`); codes are turned
into their labels, and judges' user names and tenure ids in the payloads are never shown.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from cadres.choices import label_of
from workflows.common.casepage import CaseSpec, date_text, register

from .models import AdjustmentOutcome, AdjustmentTrigger, RegStatus, ReportStatus, State
from .plan import plan_posts
from .selectors import adjustments_visible_to, competitions_visible_to

C = "competition."


# ---------------------------------------------------------------- competition

COMPETITION_ACTIONS = {
    "plan": (C + "plan",),
    "revise_plan": (C + "plan",),
    "school_meeting_approval": (C + "plan_meeting",),
    "file_with_bureau": (C + "filing",),
    "freeze": (C + "freeze",),
    "announce": (C + "announce",),
    "registration": (C + "registration_close",),
    "qualification_review": (C + "qualification", C + "qualification_done"),
    "scoring": (C + "sitting_open", C + "sitting_close"),
    "ranking": (C + "ranking",),
    "inspection": (C + "inspection", C + "inspection_done"),
    "school_decision": (C + "decision",),
    "publicise": (C + "publicity",),
    "appoint": (C + "appoint",),
    "file_report": (C + "report",),
    "probation_review": (C + "probation", C + "probation_done"),
}


def _meeting(p, e):
    text = _("党组织会议应到%(due)s人，实到%(present)s人") % {"due": p.get("due", 0), "present": p.get("present", 0)}
    if "agree" in p:
        text += _("，同意%(n)s票") % {"n": p.get("agree", 0)}
    state = label_of(State, e.to_state)
    return text + (_("，结果：%(s)s") % {"s": state} if state else "") + "。"


def _filing(p, e):
    if p.get("accepted"):
        return _("局同意备案。")
    return _("局退回方案：%(r)s。") % {"r": e.reason} if e.reason else _("局退回方案。")


def _qualification(p, e):
    text = _("%(person)s：%(status)s") % {"person": p.get("person", ""), "status": label_of(RegStatus, e.to_state)}
    return text + (_("（%(r)s）") % {"r": e.reason} if e.reason else "") + "。"


def _ranking(p, e):
    parts = []
    for rows in (p.get("ranks") or {}).values():
        for row in rows[:3]:
            if isinstance(row, list) and len(row) == 3:
                parts.append(
                    _("第%(rank)s名%(name)s（%(score)s分）") % {"rank": row[2], "name": row[0], "score": row[1]}
                )
    return _("综合成绩排名：%(list)s。") % {"list": "、".join(parts)} if parts else _("综合成绩排名完成。")


def _probation(p, e):
    result = _("合格") if e.to_state == "confirmed" else _("不合格")
    return _("%(person)s试用期满考核%(result)s。") % {"person": p.get("person", ""), "result": result}


COMPETITION_SENTENCES = {
    "plan": lambda p, e: _("拟订实施方案，竞聘岗位%(n)s个。") % {"n": p.get("posts", 0)},
    "plan_meeting": _meeting,
    "filing": _filing,
    "freeze": lambda p, e: _("实施方案定稿。"),
    "announce": lambda p, e: _("发布竞聘公告。"),
    "registration_close": lambda p, e: _("报名截止，共%(n)s人报名。") % {"n": p.get("registrations", 0)},
    "qualification": _qualification,
    "qualification_done": lambda p, e: _("资格审查完成。"),
    "sitting_open": lambda p, e: _("演讲答辩评分开始。"),
    "sitting_close": lambda p, e: _("演讲答辩评分结束。"),
    "ranking": _ranking,
    "inspection": lambda p, e: _("考察%(person)s。") % {"person": p.get("person", "")},
    "inspection_done": lambda p, e: _("组织考察完成。"),
    "decision": _meeting,
    "publicity": lambda p, e: (
        _("任前公示自%(s)s至%(e)s，共%(n)s个工作日。")
        % {"s": date_text(p.get("start")), "e": date_text(p.get("end")), "n": p.get("workdays", "")}
    ),
    "appoint": lambda p, e: _("聘任文号%(no)s。") % {"no": p.get("document_number", "")},
    "report": lambda p, e: _("竞聘结果报局备案。"),
    "probation": _probation,
    "probation_done": lambda p, e: _("试用期满考核完成。"),
}


def competition_sentence(event) -> str | None:
    fn = COMPETITION_SENTENCES.get(event.action.removeprefix(C))
    return fn(event.payload or {}, event) if fn else None


def competition_header(case) -> list[tuple[str, str]]:
    plan = case.rules or case.plan or {}
    posts = "、".join(
        _("%(name)s%(seats)s名") % {"name": item.get("name", ""), "seats": item.get("seats", "")}
        for item in plan_posts(plan).values()
    )
    return [
        (_("竞聘名称"), case.title),
        (_("学校"), case.organization.name if case.organization_id else ""),
        (_("竞聘岗位"), posts),
        (_("方案定稿"), date_text(case.frozen_at)),
        (
            _("任前公示"),
            _("%(s)s至%(e)s") % {"s": date_text(case.publicity_start), "e": date_text(case.publicity_end)}
            if case.publicity_start
            else "",
        ),
        (_("聘任文号"), case.document_number),
    ]


def competition_extras(case, user) -> dict:
    return {
        "objections": [
            {
                "who": o.subject.name,
                "text": o.content,
                "on": o.received_on,
                "status": o.get_status_display(),
                "finding": o.finding,
            }
            for o in case.objections.select_related("subject").order_by("received_on", "id")
        ],
        "objection_open": case.state == State.PUBLICISED,
    }


COMPETITION = CaseSpec(
    visible=lambda user: competitions_visible_to(user).select_related("organization"),
    header=competition_header,
    subject=lambda case: (
        case.title or _("%(org)s中层干部竞聘") % {"org": case.organization.name if case.organization_id else ""}
    ),
    state=lambda case: label_of(State, case.state),
    step_actions=COMPETITION_ACTIONS,
    sentence=competition_sentence,
    process_ref=lambda case: f"competition:{case.pk}",
    extras=competition_extras,
    extra_template="competition/_case_extras.html",
    list_related=("organization",),
    waits={"publicity_wait": lambda case: case.publicity_end},
)


# ---------------------------------------------------------------- 能上能下

ADJUSTMENT_ACTIONS = {
    "propose": (C + "adjustment_propose",),
    "statement": (C + "adjustment_statement",),
    "decide": (C + "adjustment_decide",),
    "file_report": (C + "adjustment_report",),
    "bureau_review": (C + "adjustment_report_review",),
}


def _adjust_propose(p, e):
    text = _("建议对%(person)s%(outcome)s，启动原因：%(trigger)s") % {
        "person": p.get("person", ""),
        "outcome": label_of(AdjustmentOutcome, p.get("outcome")),
        "trigger": label_of(AdjustmentTrigger, p.get("trigger")) or _("组织提出"),
    }
    return text + (_("；理由：%(r)s") % {"r": e.reason} if e.reason else "") + "。"


def _adjust_review(p, e):
    if p.get("acknowledged"):
        return _("局确认调整情况报告。")
    return _("局退回调整情况报告：%(r)s。") % {"r": e.reason} if e.reason else _("局退回调整情况报告。")


ADJUSTMENT_SENTENCES = {
    "adjustment_propose": _adjust_propose,
    "adjustment_statement": lambda p, e: _("本人已作陈述（%(n)s字）。") % {"n": p.get("chars", 0)},
    "adjustment_decide": lambda p, e: (
        _("党组织会议应到%(due)s人，实到%(present)s人，决定：%(o)s。")
        % {"due": p.get("due", 0), "present": p.get("present", 0), "o": label_of(AdjustmentOutcome, e.to_state)}
    ),
    "adjustment_report": lambda p, e: (
        _("调整情况（%(o)s）报局备案。") % {"o": label_of(AdjustmentOutcome, p.get("outcome"))}
    ),
    "adjustment_report_review": _adjust_review,
}


def adjustment_sentence(event) -> str | None:
    fn = ADJUSTMENT_SENTENCES.get(event.action.removeprefix(C))
    return fn(event.payload or {}, event) if fn else None


def adjustment_header(case) -> list[tuple[str, str]]:
    tenure = case.tenure
    return [
        (_("当事干部"), tenure.person.name if tenure else ""),
        (_("现任职务"), tenure.post.name if tenure else ""),
        (_("学校"), case.organization.name if case.organization_id else ""),
        (_("启动原因"), case.get_trigger_display()),
        (_("拟调整方式"), case.get_proposed_outcome_display()),
        (_("拟任较低职务"), case.proposed_post.name if case.proposed_post_id else ""),
        (_("调整理由"), case.grounds),
        (_("本人陈述"), case.statement),
        (_("决定"), case.get_outcome_display()),
        (_("决定日期"), date_text(case.decided_on)),
        (_("报告状态"), case.get_report_status_display()),
        (_("调整情况报告"), case.report_summary),
        (_("局退回理由"), case.report_return_reason),
    ]


def adjustment_state(case) -> str:
    if case.report_status:
        return label_of(ReportStatus, case.report_status)
    if case.outcome:
        return label_of(AdjustmentOutcome, case.outcome)
    return _("办理中") if case.status != "DONE" else _("已办结")


ADJUSTMENT = CaseSpec(
    visible=lambda user: adjustments_visible_to(user).select_related(
        "organization", "tenure__person", "tenure__post", "proposed_post"
    ),
    header=adjustment_header,
    subject=lambda case: str(case) if case.tenure_id else _("干部能上能下调整"),
    state=adjustment_state,
    step_actions=ADJUSTMENT_ACTIONS,
    sentence=adjustment_sentence,
    process_ref=lambda case: f"adjustment:{case.pk}",
    list_related=("tenure__person", "tenure__post"),
)


def install(competition_flow, adjustment_flow) -> None:
    register(competition_flow, COMPETITION)
    register(adjustment_flow, ADJUSTMENT)
