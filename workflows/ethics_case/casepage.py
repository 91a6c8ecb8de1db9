"""The 师德违规处理 case page on the shared pattern (workflows.common.casepage): the case panel's facts as the
header, the steps from the audit trail, and the ethics blocks (deadlines, evidence, sanctions, the appeal
extension) as the flow's extra block. The case page used to be `views.CaseDetailView`; it now is the shared one.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from cadres.ethics.models import Sanction, SanctionKind
from workflows.common.casepage import CaseSpec, date_text, names_of, register

from .actors import STEP_ACTORS, may_read_evidence
from .models import CaseSource, Revision
from .selectors import cases_visible_to, deadline_lines

STEP_ACTIONS = {
    "report": ("ethics_case_reported",),
    "assign_investigator": ("ethics_case_investigator_assigned",),
    "investigate": ("ethics_case_investigated",),
    "statement": ("ethics_case_statement_submitted",),
    "hearing": ("ethics_case_hearing_held",),
    "propose": ("ethics_case_proposed",),
    "decide": ("ethics_case_decided",),
    "issue_decision": ("ethics_case_decision_issued",),
    "apply_review": ("ethics_case_review_applied",),
    "review_lapsed": ("ethics_case_review_lapsed",),
    "answer_review": ("ethics_case_review_answered",),
    "apply_appeal": ("ethics_case_appeal_applied",),
    "appeal_lapsed": ("ethics_case_appeal_lapsed",),
    "decide_appeal": ("ethics_case_appeal_decided",),
}


def _kind(code) -> str:
    return str(SanctionKind(code).label) if code in SanctionKind.values else ""


def _revision(code) -> str:
    return str(Revision(code).label) if code in Revision.values else ""


def _statement(p, e):
    if p.get("waived"):
        return _("当事教师放弃陈述申辩。")
    return _("当事教师提交陈述申辩，要求听证。") if p.get("hearing_requested") else _("当事教师提交陈述申辩。")


def _decided(p, e):
    kind = _kind(p.get("kind")) or _("不给予处分")
    return _("作出处理决定：%(k)s（%(on)s，%(no)s）。") % {
        "k": kind,
        "on": date_text(p.get("decided_on")),
        "no": p.get("document_number") or "—",
    }


SENTENCES = {
    "ethics_case_reported": lambda p, e: (
        _("报告案件，来源：%(s)s。")
        % {"s": str(CaseSource(p["source"]).label) if p.get("source") in CaseSource.values else ""}
    ),
    "ethics_case_investigator_assigned": lambda p, e: (
        _("指定调查人员：%(n)s。") % {"n": names_of([p.get("investigator")]).get(p.get("investigator"), _("工作人员"))}
    ),
    "ethics_case_investigated": lambda p, e: (
        _("查明违反职业道德行为%(n)s项，拟%(k)s；证据材料%(m)s份。")
        % {
            "n": len(p.get("violations") or []),
            "k": _kind(p.get("intended_kind")) or _("不予处分"),
            "m": p.get("evidence", 0),
        }
    ),
    "ethics_case_statement_submitted": _statement,
    "ethics_case_hearing_held": lambda p, e: _("于%(on)s举行听证。") % {"on": date_text(p.get("held_on"))},
    "ethics_case_proposed": lambda p, e: _("学校建议：%(k)s。") % {"k": _kind(p.get("kind")) or _("不给予处分")},
    "ethics_case_decided": _decided,
    "ethics_case_decision_issued": lambda p, e: _("送达处理决定书。"),
    "ethics_case_review_applied": lambda p, e: (
        _("于%(on)s申请复核，答复期限%(due)s。")
        % {"on": date_text(p.get("applied_on")), "due": date_text(p.get("answer_due"))}
    ),
    "ethics_case_review_lapsed": lambda p, e: _("复核申请期限届满，未申请复核。"),
    "ethics_case_review_answered": lambda p, e: _("复核答复：%(r)s。") % {"r": _revision(e.to_state)},
    "ethics_case_appeal_applied": lambda p, e: (
        _("于%(on)s提出申诉，处理期限%(due)s。")
        % {"on": date_text(p.get("applied_on")), "due": date_text(p.get("decision_due"))}
    ),
    "ethics_case_appeal_lapsed": lambda p, e: _("申诉期限届满，未提出申诉。"),
    "ethics_case_appeal_decided": lambda p, e: _("申诉处理：%(r)s。") % {"r": _revision(e.to_state)},
}


def sentence(event) -> str | None:
    fn = SENTENCES.get(event.action)
    if fn is None:
        return None
    text = fn(event.payload or {}, event)
    return text.replace("：。", "。")


def header(case) -> list[tuple[str, str]]:
    investigator = names_of([case.investigator_id]).get(case.investigator_id, "") if case.investigator_id else ""
    decision = ""
    if case.decided_on:
        decision = _("%(k)s（%(on)s）") % {
            "k": case.get_decided_kind_display() or _("不给予处分"),
            "on": date_text(case.decided_on),
        }
    return [
        (_("当事教师"), case.teacher.name),
        (_("学校"), case.organization.name),
        (_("案件来源"), _("%(s)s（%(on)s）") % {"s": case.get_source_display(), "on": date_text(case.reported_on)}),
        (_("处理决定机关"), str(case.authority) if case.authority_id else ""),
        (_("调查人员"), investigator),
        (_("违反职业道德行为"), "；".join(case.violation_labels) if case.violations else ""),
        (_("拟处理意见（已告知）"), case.get_intended_kind_display()),
        (_("处理决定"), decision),
        (_("结果"), case.get_outcome_display()),
    ]


def trail(case) -> list[dict]:
    """The case's audit trail in words (全程纪实): every event, its actor by name, its reason."""
    from audit.models import AuditEvent

    from .views import EVENT_LABELS

    events = list(AuditEvent.objects.filter(object_type=case._meta.label_lower, object_id=str(case.pk)).order_by("id"))
    names = names_of(e.actor_id for e in events)
    return [
        {
            "label": EVENT_LABELS.get(e.action, _("其他操作")),
            "reason": e.reason,
            "at": e.at,
            "who": names.get(e.actor_id, _("系统")) if e.actor_id else _("系统"),
        }
        for e in events
    ]


def extras(case, user) -> dict:
    from .flows import EthicsCaseFlow

    can_extend = (
        case.appeal_applied_on is not None
        and case.appeal_decided_on is None
        and not case.appeal_extended
        and STEP_ACTORS["extend_appeal"].allows(user, case)
    )
    return {
        "deadline_lines": deadline_lines(case),
        "evidence": list(case.evidence.all()) if may_read_evidence(user, case) else [],
        "sanctions": list(Sanction.objects.filter(source_ref=case.ref).order_by("id")),
        "extend_url": EthicsCaseFlow.instance.reverse("extend_appeal", args=[case.pk]) if can_extend else "",
        "trail": trail(case),
    }


SPEC = CaseSpec(
    visible=lambda user: cases_visible_to(user).select_related("teacher", "organization", "authority"),
    header=header,
    subject=lambda case: _("%(name)s师德违规案件") % {"name": case.teacher.name},
    state=lambda case: case.stage_label,
    step_actions=STEP_ACTIONS,
    sentence=sentence,
    process_ref=lambda case: case.ref,
    extras=extras,
    extra_template="workflows/ethics_case/_case_extras.html",
    list_related=("teacher",),
)


def install(flow_class) -> None:
    register(flow_class, SPEC)
