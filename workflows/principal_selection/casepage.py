"""The 校长选拔任用 case page: what the shared page (workflows.common.casepage) needs from this flow.

Each step's result sentence is written from the step's audit event (`services._event` payloads); fields
that hold codes or user names (the inspection team's usernames) are not shown.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from cadres.choices import label_of
from workflows.common.casepage import CaseSpec, date_text, names_of, register
from workflows.meetings.models import ObjectionStatus

from .models import CaseState, SelectionCase
from .selectors import cases_visible_to

P = "principal_selection."
STEP_ACTIONS = {
    "propose": (P + "propose",),
    "recommend": (P + "recommend.talk", P + "recommend.meeting", P + "recommend"),
    "shortlist": (P + "shortlist",),
    "approve_exception": (P + "approve_exception",),
    "inspect": (P + "inspect",),
    "dossier_review": (P + "dossier_review",),
    "personal_matters_check": (P + "personal_matters_check",),
    "discipline_opinion": (P + "discipline_opinion",),
    "petition_check": (P + "petition_check",),
    "integrity_signoff": (P + "integrity_signoff",),
    "decide": (P + "decide",),
    "publicise": (P + "publicise",),
    "appoint": (P + "appoint",),
    "probation_review": (P + "probation_review",),
}
MISMATCH = {"none": _lazy("一致"), "minor": _lazy("有出入，已说明"), "major": _lazy("出入较大")}


def _propose(p, e):
    text = _("动议%(post)s选拔，拟任%(n)s名，选拔方式：%(method)s") % {
        "post": p.get("post", ""),
        "n": p.get("posts_to_fill", 1),
        "method": p.get("method", ""),
    }
    if p.get("exceptional"):
        text += _("，破格或越级提拔")
    return text + "。"


def _round(p, e):
    results = p.get("results") or []
    top = "、".join(
        _("%(name)s%(votes)s票") % {"name": r.get("name", ""), "votes": r.get("votes", 0)} for r in results[:3]
    )
    text = _("%(form)s（%(on)s）：应到%(due)s人，实到%(att)s人") % {
        "form": p.get("form", ""),
        "on": date_text(p.get("held_on")),
        "due": p.get("due", 0),
        "att": p.get("attended", 0),
    }
    return text + (_("；得票居前：%(top)s。") % {"top": top} if top else "。")


def _exception(p, e):
    if p.get("approved"):
        return _("%(who)s于%(on)s批准破格提拔。") % {
            "who": p.get("approver") or _("上级"),
            "on": date_text(p.get("approved_on")),
        }
    return _("上级未批准破格提拔。")


def _check(label):
    def sentence(p, e):
        text = _("%(c)s：%(r)s") % {
            "c": p.get("candidate", ""),
            "r": _("未发现影响使用的问题") if p.get("passed", True) else _("发现影响使用的问题"),
        }
        if p.get("mismatch") in MISMATCH:
            text += _("，查核结果%(m)s") % {"m": MISMATCH[p["mismatch"]]}
        return text + "。"

    return sentence


def _inspect(p, e):
    ev = p.get("evaluation") or {}
    return _("考察%(c)s：个别谈话%(t)s人；民主测评优秀%(a)s票、称职%(b)s票、基本称职%(d)s票、不称职%(f)s票。") % {
        "c": p.get("candidate", ""),
        "t": p.get("talks", 0),
        "a": ev.get("excellent", 0),
        "b": ev.get("competent", 0),
        "d": ev.get("basic", 0),
        "f": ev.get("incompetent", 0),
    }


def _decide(p, e):
    parts = [
        _("%(c)s：同意%(a)s票、不同意%(d)s票、缓议%(f)s票，%(o)s")
        % {
            "c": r.get("candidate", ""),
            "a": r.get("agree", 0),
            "d": r.get("disagree", 0),
            "f": r.get("defer", 0),
            "o": r.get("outcome", ""),
        }
        for r in p.get("results") or []
    ]
    head = _("%(m)s（%(on)s）应到%(due)s人，实到%(present)s人") % {
        "m": p.get("meeting", ""),
        "on": date_text(p.get("held_on")),
        "due": p.get("due", 0),
        "present": p.get("present", 0),
    }
    return head + ("；" + "；".join(parts) if parts else "") + "。"


def _publicise(p, e):
    return _("任前公示自%(s)s至%(e)s，共%(n)s个工作日。") % {
        "s": date_text(p.get("start")),
        "e": date_text(p.get("end")),
        "n": p.get("workdays", ""),
    }


def _appoint(p, e):
    text = _("任职文号%(no)s，任职通知日期%(on)s") % {
        "no": p.get("document_number", ""),
        "on": date_text(p.get("notice_date")),
    }
    if p.get("probation_end"):
        text += _("，试用期至%(d)s") % {"d": date_text(p["probation_end"])}
    return text + "。"


def _probation(p, e):
    if p.get("confirmed"):
        return _("试用期满考核合格，正式任职。")
    return _("试用期满考核不合格：%(r)s。") % {"r": e.reason or p.get("reason", "")}


SENTENCES = {
    "propose": _propose,
    "recommend.talk": _round,
    "recommend.meeting": _round,
    "recommend": lambda p, e: _("民主推荐完成，共%(n)s轮。") % {"n": p.get("rounds", 0)},
    "shortlist": lambda p, e: (
        _("确定考察对象：%(c)s（%(on)s）。") % {"c": "、".join(p.get("candidates") or []), "on": date_text(p.get("on"))}
    ),
    "approve_exception": _exception,
    "inspect": _inspect,
    "dossier_review": _check("档案必审"),
    "personal_matters_check": _check("个人有关事项报告必核"),
    "discipline_opinion": _check("纪检监察机关意见必听"),
    "petition_check": _check("信访举报必查"),
    "integrity_signoff": lambda p, e: _("以%(c)s身份签署廉洁自律结论性意见。") % {"c": p.get("capacity", "")},
    "decide": _decide,
    "publicise": _publicise,
    "appoint": _appoint,
    "probation_review": _probation,
}


def sentence(event) -> str | None:
    fn = SENTENCES.get(event.action.removeprefix(P))
    return fn(event.payload or {}, event) if fn else None


def header(case: SelectionCase) -> list[tuple[str, str]]:
    post = case.post
    officer = names_of([case.officer_id]).get(case.officer_id, "") if case.officer_id else ""
    return [
        (_("拟任职位"), post.name if post else ""),
        (_("学校"), post.organization.name if post else ""),
        (_("选拔方式"), case.get_method_display()),
        (_("拟任职数"), str(case.posts_to_fill)),
        (_("动议日期"), date_text(case.started_on or case.created)),
        (_("经办人"), officer),
        (_("破格或越级提拔"), _("是") if case.exceptional else ""),
        (
            _("任前公示"),
            _("%(s)s至%(e)s") % {"s": date_text(case.publicity_start), "e": date_text(case.publicity_end)}
            if case.publicity_start
            else "",
        ),
        (_("任职文号"), case.document_number),
        (_("终止或撤销理由"), case.closing_reason),
    ]


def subject(case: SelectionCase) -> str:
    if case.post_id:
        return _("%(org)s%(post)s选拔任用") % {"org": case.post.organization.name, "post": case.post.name}
    return _("校长选拔任用")


def extras(case: SelectionCase, user) -> dict:
    notes = list(case.notes.order_by("created_at", "id"))
    names = names_of(n.author_id for n in notes)
    return {
        "objections": list(case.objections.select_related("subject").order_by("received_on", "id")),
        "notes": [{"note": n, "author": names.get(n.author_id, "")} for n in notes],
        "objection_open": case.state == CaseState.PUBLICISED,
        "pending_status": ObjectionStatus.PENDING,
    }


def record_url(case, user) -> str | None:
    from .flows import PrincipalSelectionFlow

    if PrincipalSelectionFlow.instance.has_manage_permission(user):
        return PrincipalSelectionFlow.instance.reverse("record", args=[case.pk])
    return None


SPEC = CaseSpec(
    visible=cases_visible_to,
    header=header,
    subject=subject,
    state=lambda case: label_of(CaseState, case.state),
    step_actions=STEP_ACTIONS,
    sentence=sentence,
    process_ref=lambda case: f"principal_selection:{case.pk}",
    extras=extras,
    extra_template="principal_selection/_case_extras.html",
    record_url=record_url,
    list_related=("post__organization",),
    waits={"publicity_wait": lambda case: case.publicity_end, "probation_wait": lambda case: case.probation_end},
)


def install(flow_class) -> None:
    register(flow_class, SPEC)
