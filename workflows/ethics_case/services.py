"""Writes of an ethics case: one function per step, each one transaction with one audit event.

Every step service
- takes `acting_user` (keyword-only) and the case — the very instance the flow activation holds, because
  viewflow saves that instance again when the process ends; a step never writes through another copy;
- first checks who acts (`actors.STEP_ACTORS`): outside the user's scope, the wrong role, or kin of the
  teacher (回避). A recusal is itself recorded (`ethics_case_recusal`) before the refusal is raised, in a
  transaction of its own, so it stays on record when the caller catches the error (views and the API do);
- refuses an illegal action with `EthicsCaseError` (Chinese message, `code`) and changes nothing: the step
  body is atomic, and on any error the case instance is reloaded from the database;
- writes the case and the person's records (through `cadres.ethics.services`), then one `record_event`
  named `ethics_case_<step>` (the record services add their own events: sanction_recorded, …).

Callers hold the flow lock (`EthicsCaseFlow.lock(case.pk)`): viewflow's task views and the API both do.

Error codes: out_of_scope, not_allowed, recused, teacher_without_account, not_a_school_teacher, no_bureau,
source_not_allowed, future_date, before_previous_step (`cadres.step_dates`), text_required, investigator_role,
investigator_scope,
unknown_violation, kind_required, kind_not_in_regime, measure_invalid, statement_twice, statement_empty,
statement_required, hearing_not_required, hearing_required, proposal_required, nothing_decided,
heavier_than_notified, letter_invalid, decision_required, decision_issued, late, review_twice,
review_not_applied, review_answered, new_kind_required, not_lighter, appeal_not_open, appeal_twice,
appeal_not_applied, appeal_decided, extended_twice, extension_late, no_rule_set; and from
`cadres.ethics.services`: heavier_on_appeal, sanction_not_in_force, disqualification_too_short.
"""

from __future__ import annotations

import datetime as dt
import functools

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from cadres import choices as c
from cadres.ethics.models import Sanction, SanctionKind, Violation
from cadres.ethics.params import ethics_params
from cadres.ethics.services import EthicsError, sanction_record, sanction_revise_on_appeal
from cadres.files import original_name
from cadres.models import Profile
from cadres.recusal import recusal_reason
from cadres.roles import has_role, is_bureau_user
from cadres.rules.engine import NoRuleSetInForce
from cadres.scoping import people_visible_to
from cadres.step_dates import step_date_refusal
from dossiers.kinds import DossierKind
from dossiers.services import dossier_generate

from . import deadlines
from .actors import INVESTIGATOR_ROLES, STEP_ACTORS, may_investigate, may_report, step_recusal
from .letter import decision_letter_content
from .models import (
    DISQUALIFICATION_PURPOSES,
    MEASURE_CHOICES,
    CaseOutcome,
    CaseSource,
    DisqualificationScope,
    EthicsCase,
    EthicsCaseEvidence,
    Revision,
    bureau_for,
    measures_severity,
    severity,
)
from .selectors import case_visible


class EthicsCaseError(EthicsError):
    """A refused step of an ethics case: the message says why in Chinese, `code` names the rule."""


# ---------------------------------------------------------------- helpers


def _today() -> dt.date:
    return timezone.localdate()


def _record_recusal(*, acting_user, case: EthicsCase, step: str, reason: str, excluded) -> None:
    """Put the exclusion on record (DOMAIN §7), in its own transaction: it must outlive the refusal."""
    with transaction.atomic():
        record_event(
            actor=acting_user,
            action="ethics_case_recusal",
            obj=case,
            reason=reason,
            payload={"step": step, "excluded_user": excluded.pk},
        )


def _require_actor(user, case: EthicsCase, step: str) -> None:
    if not case_visible(user, case):
        raise EthicsCaseError(_("该案件不在您的管辖范围内。"), code="out_of_scope")
    actor = STEP_ACTORS[step]
    if not actor.rule_allows(user, case):
        raise EthicsCaseError(_("此环节应由%(who)s办理。") % {"who": actor.label}, code="not_allowed")
    reason = step_recusal(user, case, step)
    if reason:
        _record_recusal(acting_user=user, case=case, step=step, reason=reason, excluded=user)
        raise EthicsCaseError(reason, code="recused")


def _step(step: str):
    """Check the actor of `step` before its transaction, run the body atomically, reload the case on error."""

    def wrap(func):
        body = transaction.atomic(func)

        @functools.wraps(func)
        def run(*, acting_user, case: EthicsCase, **kwargs):
            _require_actor(acting_user, case, step)
            try:
                return body(acting_user=acting_user, case=case, **kwargs)
            except Exception:
                case.refresh_from_db()
                raise

        return run

    return wrap


def _params(on: dt.date):
    try:
        return ethics_params(on)
    except NoRuleSetInForce:
        raise EthicsCaseError(
            _("%(d)s没有现行的师德处理规则集，请管理员补充。") % {"d": deadlines.cn_date(on)}, code="no_rule_set"
        ) from None


def _check_date(day: dt.date, label: str, *earlier: tuple[dt.date | None, str]) -> None:
    """The one rule of `cadres.step_dates`: `day` not after today ("future_date"), nor before the latest of
    the `earlier` (date, label) steps it follows ("before_previous_step")."""
    known = [(d, lbl) for d, lbl in earlier if d is not None]
    after, after_label = max(known, key=lambda pair: pair[0]) if known else (None, "")
    refusal = step_date_refusal(day, what=label, today=_today(), after=after, after_what=after_label)
    if refusal:
        raise EthicsCaseError(refusal[0], code=refusal[1])


def _text(value: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise EthicsCaseError(_("请填写%(l)s。") % {"l": label}, code="text_required")
    return value


def _check_kind(kind: str, *, regime: str, on: dt.date) -> None:
    if kind not in _params(on).periods.get(regime, {}):
        raise EthicsCaseError(
            _("现行规定对该类人员没有“%(k)s”这一处理种类。") % {"k": SanctionKind(kind).label},
            code="kind_not_in_regime",
        )


def _clean_measures(measures, *, regime: str, on: dt.date) -> list[dict]:
    """Other measures as stored: [{"kind": code}] and at most one disqualification with scopes and months."""
    allowed = {code for code, _label in MEASURE_CHOICES}
    params = _params(on)
    cleaned, seen = [], set()
    for item in measures or []:
        kind = item.get("kind", "")
        if kind in seen or (kind not in allowed and kind != SanctionKind.DISQUALIFICATION):
            raise EthicsCaseError(_("其他处理“%(k)s”无效或重复。") % {"k": kind}, code="measure_invalid")
        seen.add(kind)
        _check_kind(kind, regime=regime, on=on)
        if kind != SanctionKind.DISQUALIFICATION:
            cleaned.append({"kind": kind})
            continue
        scopes = [s for s in item.get("scopes", []) if s in DisqualificationScope.values]
        if not scopes or len(scopes) != len(item.get("scopes", [])):
            raise EthicsCaseError(_("取消相关资格须列明取消哪些方面的资格。"), code="measure_invalid")
        months = int(item.get("months") or params.min_disqualification_months)
        if months < params.min_disqualification_months:
            raise EthicsCaseError(
                _("取消相关资格的期限不得少于%(n)d个月。") % {"n": params.min_disqualification_months},
                code="measure_invalid",
            )
        cleaned.append({"kind": kind, "scopes": scopes, "months": months})
    return cleaned


def _within_notice(case: EthicsCase, kind: str, measures: list[dict]) -> None:
    """Nothing heavier than what the teacher was told and heard on (陈述申辩 and 听证 covered that)."""
    if measures_severity(kind, measures) > severity(case.intended_kind):
        raise EthicsCaseError(
            _("处理重于事先告知当事教师的“%(k)s”，须重新告知并听取其陈述申辩。")
            % {"k": SanctionKind(case.intended_kind).label},
            code="heavier_than_notified",
        )


def _before_decision(case: EthicsCase) -> None:
    if case.statement_on is None:
        raise EthicsCaseError(_("尚未听取当事教师的陈述和申辩，不能作出处理。"), code="statement_required")
    if case.needs_hearing and case.hearing_on is None:
        raise EthicsCaseError(
            _("当事教师要求听证，拟处理为降低岗位等级以上的，须先举行听证。"), code="hearing_required"
        )


# ---------------------------------------------------------------- report and investigation


@transaction.atomic
def ethics_case_report(
    *, acting_user, case: EthicsCase, teacher, source: str, report_text: str, reported_on: dt.date
) -> EthicsCase:
    """Open a case on `teacher` (the unsaved process of the flow's start task).

    Bureau officers report on any school teacher (教育局发现, 信访举报, 学校报告); a school secretary reports
    on their own school's teachers (学校报告, 信访举报). The teacher must have a login, since they make their
    own statement, review and appeal. The deciding authority follows the school's ownership.
    """
    if not may_report(acting_user):
        raise EthicsCaseError(_("只有教育局组织人事科干部或学校党组织书记/校长可以报告案件。"), code="not_allowed")
    if not people_visible_to(acting_user).filter(pk=teacher.pk).exists():
        raise EthicsCaseError(_("该教师不在您的管辖范围内。"), code="out_of_scope")
    if teacher.organization.kind != c.OrgKind.SCHOOL:
        raise EthicsCaseError(_("处理办法适用于中小学校教师，该人员不在学校任职。"), code="not_a_school_teacher")
    if source not in CaseSource.values or (source == CaseSource.BUREAU_FOUND and not is_bureau_user(acting_user)):
        raise EthicsCaseError(_("学校报告的案件来源只能是学校报告或信访举报。"), code="source_not_allowed")
    _check_date(reported_on, _("报告日期"))
    report_text = _text(report_text, _("反映的问题"))
    organization = teacher.organization
    private = organization.ownership == c.Ownership.PRIVATE
    authority = organization if private else bureau_for(organization)
    if authority is None:
        raise EthicsCaseError(_("未找到学校的主管教育部门，请先在单位中设置教育局。"), code="no_bureau")
    if not Profile.objects.filter(person=teacher).exists():
        raise EthicsCaseError(
            _("%(n)s尚无系统账号，无法本人陈述申辩、申请复核和申诉，请先为其开通账号。") % {"n": teacher.name},
            code="teacher_without_account",
        )
    case.teacher = teacher
    case.organization = organization
    case.authority = authority
    case.source = source
    case.report_text = report_text
    case.reported_on = reported_on
    case.reported_by = acting_user
    case.save()
    record_event(
        actor=acting_user,
        action="ethics_case_reported",
        obj=case,
        to_state="reported",
        payload={"teacher": teacher.pk, "source": source, "authority": authority.pk, "private": private},
    )
    return case


def ethics_case_investigator_assign(*, acting_user, case: EthicsCase, investigator, on: dt.date | None = None):
    """The officer names the investigator: a discipline inspector or inspection-team member of the bureau or
    the school, never the teacher or their kin (the recusal is recorded, then refused)."""
    _require_actor(acting_user, case, "assign_investigator")
    if not may_investigate(investigator, case):
        raise EthicsCaseError(
            _("调查人员须为教育局或本校的纪检监察人员或考察组成员。"),
            code="investigator_scope" if has_role(investigator, *INVESTIGATOR_ROLES) else "investigator_role",
        )
    reason = recusal_reason(investigator, case.teacher)
    if reason:
        _record_recusal(
            acting_user=acting_user, case=case, step="assign_investigator", reason=reason, excluded=investigator
        )
        raise EthicsCaseError(
            _("%(u)s不能担任调查人员：%(r)s")
            % {"u": investigator.get_full_name() or investigator.username, "r": reason},
            code="recused",
        )
    try:
        return _investigator_assign(acting_user=acting_user, case=case, investigator=investigator, on=on or _today())
    except Exception:
        case.refresh_from_db()
        raise


@transaction.atomic(savepoint=False)  # nothing in it refuses: a failure fails the caller's whole transaction
def _investigator_assign(*, acting_user, case: EthicsCase, investigator, on: dt.date) -> EthicsCase:
    case.investigator = investigator
    case.investigator_assigned_on = on
    case.save(update_fields=["investigator", "investigator_assigned_on"])
    record_event(
        actor=acting_user,
        action="ethics_case_investigator_assigned",
        obj=case,
        to_state="investigating",
        payload={"investigator": investigator.pk},
    )
    return case


@_step("investigate")
def ethics_case_investigate(
    *,
    acting_user,
    case: EthicsCase,
    findings: str,
    violations: list[str],
    intended_kind: str,
    regime: str,
    investigated_on: dt.date,
    evidence=(),
) -> EthicsCase:
    """The investigator's findings, the violation kinds (2018 办法 第四条) and the sanction to notify.

    No violation found closes the case as unfounded; otherwise the intended sanction is required — it is what
    the teacher is told, and nothing heavier may be decided without telling them again.
    `evidence` is a list of (uploaded file, description) pairs.
    """
    findings = _text(findings, _("调查认定的事实"))
    _check_date(investigated_on, _("调查结束日期"), (case.reported_on, _("报告日期")))
    unknown = set(violations) - set(Violation.values)
    if unknown:
        raise EthicsCaseError(
            _("未知的违规行为类别：%(v)s") % {"v": "、".join(sorted(unknown))}, code="unknown_violation"
        )
    violations = [v for v in Violation.values if v in violations]
    if violations:
        if not intended_kind:
            raise EthicsCaseError(_("查实违规行为的，须提出拟处理意见并告知当事教师。"), code="kind_required")
        _check_kind(intended_kind, regime=regime, on=investigated_on)
    case.findings = findings
    case.violations = violations
    case.intended_kind = intended_kind if violations else ""
    case.regime = regime
    case.investigated_on = investigated_on
    if not violations:
        case.outcome = CaseOutcome.UNFOUNDED
        case.closed_on = investigated_on
    case.save()
    for upload, description in evidence:
        EthicsCaseEvidence.objects.create(
            case=case,
            file=upload,
            original_name=original_name(upload),
            description=description or "",
            uploaded_by=acting_user,
        )
    record_event(
        actor=acting_user,
        action="ethics_case_investigated",
        obj=case,
        to_state="found" if violations else CaseOutcome.UNFOUNDED,
        payload={"violations": violations, "intended_kind": case.intended_kind, "evidence": len(evidence)},
    )
    return case


# ---------------------------------------------------------------- statement, hearing, proposal


@_step("statement")
def ethics_case_statement_submit(
    *,
    acting_user,
    case: EthicsCase,
    statement: str = "",
    defence: str = "",
    hearing_requested: bool = False,
    waived: bool = False,
    on: dt.date | None = None,
) -> EthicsCase:
    """The teacher's statement and defence (陈述申辩), or their waiver; they may ask for a hearing (听证)."""
    if case.statement_on is not None:
        raise EthicsCaseError(_("已提交陈述申辩，不能重复提交。"), code="statement_twice")
    if not waived and not (statement or "").strip() and not (defence or "").strip():
        raise EthicsCaseError(_("请填写陈述或申辩意见；不陈述申辩的，请选择放弃。"), code="statement_empty")
    case.statement = (statement or "").strip()
    case.defence = (defence or "").strip()
    case.statement_waived = waived
    case.hearing_requested = hearing_requested
    case.statement_on = on or _today()
    case.save()
    record_event(
        actor=acting_user,
        action="ethics_case_statement_submitted",
        obj=case,
        payload={"waived": waived, "hearing_requested": hearing_requested, "hearing_required": case.needs_hearing},
    )
    return case


@_step("hearing")
def ethics_case_hearing_record(*, acting_user, case: EthicsCase, held_on: dt.date, record: str) -> EthicsCase:
    """The hearing the teacher asked for, held by the deciding authority before the decision."""
    if not case.needs_hearing:
        raise EthicsCaseError(_("本案无须举行听证。"), code="hearing_not_required")
    _check_date(held_on, _("听证日期"), (case.statement_on, _("陈述申辩日期")))
    case.hearing_on = held_on
    case.hearing_record = _text(record, _("听证记录"))
    case.save()
    record_event(actor=acting_user, action="ethics_case_hearing_held", obj=case, payload={"held_on": held_on})
    return case


@_step("propose")
def ethics_case_propose(
    *, acting_user, case: EthicsCase, kind: str, measures: list[dict], reason: str, on: dt.date | None = None
) -> EthicsCase:
    """The school's proposal: a 处分 and/or other measures, no heavier than what the teacher was told."""
    on = on or _today()
    _before_decision(case)
    _check_date(on, _("处理建议日期"), (case.investigated_on, _("调查结束日期")))
    if not kind and not measures:
        raise EthicsCaseError(_("请至少提出一种处分或其他处理。"), code="nothing_decided")
    if kind:
        _check_kind(kind, regime=case.regime, on=on)
    measures = _clean_measures(measures, regime=case.regime, on=on)
    _within_notice(case, kind, measures)
    case.proposed_kind = kind
    case.proposed_measures = measures
    case.proposal_reason = _text(reason, _("处理建议理由"))
    case.proposed_on = on
    case.proposed_by = acting_user
    case.save()
    record_event(
        actor=acting_user, action="ethics_case_proposed", obj=case, payload={"kind": kind, "measures": measures}
    )
    return case


# ---------------------------------------------------------------- decision


@_step("decide")
def ethics_case_decide(
    *,
    acting_user,
    case: EthicsCase,
    sanctioned: bool,
    decided_on: dt.date,
    kind: str = "",
    measures: list[dict] | None = None,
    document_number: str = "",
    meeting: str = "",
    facts: str = "",
    appeal_body: str = "",
) -> EthicsCase:
    """The authority decides: a 处分 and/or other measures (never heavier than notified), or none.

    Refused before the teacher's statement step, before a hearing the rules require, and before the school's
    proposal. A decision to sanction needs a letter the builder accepts (document number, meeting, facts).
    """
    _before_decision(case)
    if case.proposed_on is None:
        raise EthicsCaseError(_("学校尚未提出处理建议。"), code="proposal_required")
    _check_date(decided_on, _("决定日期"), (case.proposed_on, _("处理建议日期")), (case.hearing_on, _("听证日期")))
    measures = list(measures or [])
    if not sanctioned:
        kind, measures = "", []
    else:
        if not kind and not measures:
            raise EthicsCaseError(_("请至少决定一种处分或其他处理。"), code="nothing_decided")
        if kind:
            _check_kind(kind, regime=case.regime, on=decided_on)
        measures = _clean_measures(measures, regime=case.regime, on=decided_on)
        _within_notice(case, kind, measures)
        try:
            decision_letter_content(
                case,
                kind=kind,
                measures=measures,
                decided_on=decided_on,
                document_number=document_number,
                meeting=meeting,
                facts=facts,
                appeal_body=appeal_body,
            )
        except ValueError as exc:
            raise EthicsCaseError(_("处理决定书内容有误：%(e)s") % {"e": exc}, code="letter_invalid") from exc
    case.decided_kind = kind
    case.decided_measures = measures
    case.decided_on = decided_on
    case.document_number = document_number.strip()
    case.decision_meeting = meeting.strip()
    case.decision_facts = facts.strip()
    case.appeal_body = appeal_body.strip()
    case.decided_by = acting_user
    if not sanctioned:
        case.outcome = CaseOutcome.NOT_SANCTIONED
        case.closed_on = decided_on
    case.save()
    record_event(
        actor=acting_user,
        action="ethics_case_decided",
        obj=case,
        to_state="sanctioned" if sanctioned else CaseOutcome.NOT_SANCTIONED,
        payload={"kind": kind, "measures": measures, "decided_on": decided_on, "document_number": document_number},
    )
    return case


def _record_sanctions(*, acting_user, case: EthicsCase, basis: str) -> list[Sanction]:
    common = {
        "acting_user": acting_user,
        "person": case.teacher,
        "decided_on": case.decided_on,
        "authority": case.authority.name,
        "regime": case.regime,
        "document_number": case.document_number,
        "facts": case.decision_facts or case.findings,
        "basis": basis,
        "violations": case.violations,
        "source_ref": case.ref,
    }
    records = []
    if case.decided_kind:
        records.append(sanction_record(kind=case.decided_kind, **common))
    for measure in case.decided_measures:
        extra = {}
        if measure["kind"] == SanctionKind.DISQUALIFICATION:
            purposes = sorted({p for s in measure["scopes"] for p in DISQUALIFICATION_PURPOSES[s]})
            extra = {"disqualified_from": purposes, "disqualification_months": measure["months"]}
        records.append(sanction_record(kind=measure["kind"], **common, **extra))
    return records


@transaction.atomic
def ethics_case_decision_issue(*, acting_user, case: EthicsCase):
    """Issue the decision (an automatic step after `decide`): record the sanction and the other measures on
    the teacher's record, generate the 师德处理决定书, open the review period. A private school's decision
    is filed with the bureau on the day. The sanction is in force from the decision date."""
    if not case.is_sanctioned or case.decided_on is None:
        raise EthicsCaseError(_("尚未作出处理决定。"), code="decision_required")
    if case.sanction_id is not None:
        raise EthicsCaseError(_("处理决定已经送达，不能重复。"), code="decision_issued")
    content = decision_letter_content(
        case,
        kind=case.decided_kind,
        measures=case.decided_measures,
        decided_on=case.decided_on,
        document_number=case.document_number,
        meeting=case.decision_meeting,
        facts=case.decision_facts,
        appeal_body=case.appeal_body,
    )
    records = _record_sanctions(acting_user=acting_user, case=case, basis="；".join(content["basis"]))
    document = dossier_generate(
        kind=DossierKind.ETHICS_DECISION,
        content=content,
        acting_user=acting_user,
        organization=case.authority,
        subject=case.teacher,
        title=content["title"],
        process_ref=case.ref,
        step="issue_decision",
    )
    rules = _params(case.decided_on).deadlines
    case.sanction = max(records, key=lambda s: severity(s.kind))
    case.review_due = deadlines.review_apply(case.decided_on, rules).due
    if case.is_private_school:
        case.filed_with_bureau_on = case.decided_on
    case.save()
    record_event(
        actor=acting_user,
        action="ethics_case_decision_issued",
        obj=case,
        to_state="review_window",
        payload={
            "sanctions": [s.pk for s in records],
            "document": document.pk,
            "review_due": case.review_due,
            "filed_with_bureau": case.filed_with_bureau_on,
        },
    )
    return document


# ---------------------------------------------------------------- review (复核)


@_step("apply_review")
def ethics_case_review_apply(*, acting_user, case: EthicsCase, reason: str, on: dt.date | None = None) -> EthicsCase:
    """The teacher applies for review within the period; late or second applications are refused."""
    on = on or _today()
    if case.sanction_id is None:
        raise EthicsCaseError(_("处理决定尚未送达，不能申请复核。"), code="decision_required")
    if case.review_applied_on is not None:
        raise EthicsCaseError(
            _("已于%(d)s申请复核，不能重复申请。") % {"d": deadlines.cn_date(case.review_applied_on)},
            code="review_twice",
        )
    refusal = deadlines.refusal_after(case.review_due, on)
    if refusal:
        raise EthicsCaseError(refusal, code="late")
    case.review_reason = _text(reason, _("复核理由"))
    case.review_applied_on = on
    case.review_answer_due = deadlines.review_answer(on, _params(case.decided_on).deadlines).due
    case.save()
    record_event(
        actor=acting_user,
        action="ethics_case_review_applied",
        obj=case,
        to_state="review",
        payload={"applied_on": on, "answer_due": case.review_answer_due},
    )
    return case


@transaction.atomic
def ethics_case_review_lapse(*, case: EthicsCase, on: dt.date | None = None) -> EthicsCase:
    """Nobody applied for review in time (the flow's timer): the decision stands, the case closes."""
    if case.review_applied_on is not None:
        raise EthicsCaseError(_("已申请复核。"), code="review_twice")
    case.outcome = CaseOutcome.FINAL
    case.closed_on = on or _today()
    case.save()
    record_event(
        actor=None,
        action="ethics_case_review_lapsed",
        obj=case,
        to_state=CaseOutcome.FINAL,
        reason=_("复核申请期限（%(d)s）届满，未申请复核，处理决定生效。") % {"d": deadlines.cn_date(case.review_due)},
    )
    return case


def _revise(*, acting_user, case: EthicsCase, result: str, new_kind: str, reason: str, on: dt.date) -> None:
    """Keep, lighten or annul the case's sanction (never heavier: cadres raises heavier_on_appeal)."""
    current = case.sanction
    if result == Revision.KEEP:
        sanction_revise_on_appeal(acting_user=acting_user, sanction=current, decided_on=on, reason=reason)
    elif result == Revision.LIGHTEN:
        if not new_kind:
            raise EthicsCaseError(_("减轻处理须选择变更后的处理种类。"), code="new_kind_required")
        if new_kind != current.kind and severity(new_kind) == severity(current.kind):
            raise EthicsCaseError(_("变更后的处理并不比原处理轻。"), code="not_lighter")
        if new_kind == current.kind:
            raise EthicsCaseError(_("变更后的处理与原处理相同；维持原处理请选择“维持”。"), code="not_lighter")
        case.sanction = sanction_revise_on_appeal(
            acting_user=acting_user, sanction=current, decided_on=on, reason=reason, new_kind=new_kind
        )
    else:
        voided = (Sanction.Status.ANNULLED, Sanction.Status.REPLACED)
        for record in Sanction.objects.filter(source_ref=case.ref).exclude(status__in=voided).order_by("id"):
            sanction_revise_on_appeal(
                acting_user=acting_user, sanction=record, decided_on=on, reason=reason, annul=True
            )
        case.sanction.refresh_from_db()


@_step("answer_review")
def ethics_case_review_answer(
    *, acting_user, case: EthicsCase, result: str, answer: str, new_kind: str = "", on: dt.date | None = None
) -> EthicsCase:
    """The bureau answers the review: keep, lighten or annul. The sanction stayed in force until now."""
    on = on or _today()
    if case.review_applied_on is None:
        raise EthicsCaseError(_("当事教师未申请复核。"), code="review_not_applied")
    if case.review_answered_on is not None:
        raise EthicsCaseError(_("复核已答复。"), code="review_answered")
    if result not in Revision.values:
        raise EthicsCaseError(_("请选择复核结论。"), code="text_required")
    answer = _text(answer, _("复核答复"))
    _check_date(on, _("复核答复日期"), (case.review_applied_on, _("申请复核日期")))
    _revise(acting_user=acting_user, case=case, result=result, new_kind=new_kind, reason=answer, on=on)
    case.review_result = result
    case.review_new_kind = new_kind if result == Revision.LIGHTEN else ""
    case.review_answer = answer
    case.review_answered_on = on
    case.review_answered_by = acting_user
    if result == Revision.ANNUL:
        case.outcome = CaseOutcome.ANNULLED
        case.closed_on = on
    else:
        case.appeal_due = deadlines.appeal_apply(on, _params(case.decided_on).deadlines).due
    case.save()
    record_event(
        actor=acting_user,
        action="ethics_case_review_answered",
        obj=case,
        to_state=result,
        reason=answer,
        payload={
            "new_kind": case.review_new_kind,
            "answered_late": on > case.review_answer_due,
            "appeal_due": case.appeal_due,
        },
    )
    return case


# ---------------------------------------------------------------- appeal (申诉)


@_step("apply_appeal")
def ethics_case_appeal_apply(*, acting_user, case: EthicsCase, reason: str, on: dt.date | None = None) -> EthicsCase:
    """The teacher appeals to the higher department within the period after the review answer; once only."""
    on = on or _today()
    if case.appeal_applied_on is not None:
        raise EthicsCaseError(
            _("已于%(d)s提出申诉，不能重复申诉。") % {"d": deadlines.cn_date(case.appeal_applied_on)},
            code="appeal_twice",
        )
    if case.review_answered_on is None or case.review_result == Revision.ANNUL:
        raise EthicsCaseError(_("复核决定作出且维持或减轻处理后，方可提出申诉。"), code="appeal_not_open")
    refusal = deadlines.refusal_after(case.appeal_due, on)
    if refusal:
        raise EthicsCaseError(refusal, code="late")
    case.appeal_reason = _text(reason, _("申诉理由"))
    case.appeal_applied_on = on
    case.appeal_decision_due = deadlines.appeal_decide(on, _params(case.decided_on).deadlines).due
    case.save()
    record_event(
        actor=acting_user,
        action="ethics_case_appeal_applied",
        obj=case,
        to_state="appeal",
        payload={"applied_on": on, "decision_due": case.appeal_decision_due},
    )
    return case


@transaction.atomic
def ethics_case_appeal_lapse(*, case: EthicsCase, on: dt.date | None = None) -> EthicsCase:
    """Nobody appealed in time (the flow's timer): the decision as reviewed stands, the case closes."""
    if case.appeal_applied_on is not None:
        raise EthicsCaseError(_("已提出申诉。"), code="appeal_twice")
    case.outcome = CaseOutcome.FINAL
    case.closed_on = on or _today()
    case.save()
    record_event(
        actor=None,
        action="ethics_case_appeal_lapsed",
        obj=case,
        to_state=CaseOutcome.FINAL,
        reason=_("申诉期限（%(d)s）届满，未提出申诉，处理决定生效。") % {"d": deadlines.cn_date(case.appeal_due)},
    )
    return case


def _appeal_pending(case: EthicsCase) -> None:
    if case.appeal_applied_on is None:
        raise EthicsCaseError(_("当事教师未提出申诉。"), code="appeal_not_applied")
    if case.appeal_decided_on is not None:
        raise EthicsCaseError(_("申诉已处理。"), code="appeal_decided")


@_step("extend_appeal")
def ethics_case_appeal_extend(*, acting_user, case: EthicsCase, reason: str, on: dt.date | None = None) -> EthicsCase:
    """Extend the appeal decision period once, before it runs out."""
    on = on or _today()
    _appeal_pending(case)
    if case.appeal_extended:
        raise EthicsCaseError(_("申诉处理期限只能延长一次。"), code="extended_twice")
    if on > case.appeal_decision_due:
        raise EthicsCaseError(
            _("申诉处理期限已于%(d)s届满，不能再延长。") % {"d": deadlines.cn_date(case.appeal_decision_due)},
            code="extension_late",
        )
    rules = _params(case.decided_on).deadlines
    before = case.appeal_decision_due
    case.appeal_extension_reason = _text(reason, _("延长理由"))
    case.appeal_extended = True
    case.appeal_decision_due = deadlines.appeal_decide(case.appeal_applied_on, rules, extended=True).due
    case.save()
    record_event(
        actor=acting_user,
        action="ethics_case_appeal_extended",
        obj=case,
        from_state=str(before),
        to_state=str(case.appeal_decision_due),
        reason=case.appeal_extension_reason,
    )
    return case


@_step("decide_appeal")
def ethics_case_appeal_decide(
    *, acting_user, case: EthicsCase, result: str, decision: str, new_kind: str = "", on: dt.date | None = None
) -> EthicsCase:
    """The higher department decides the appeal: keep, lighten or annul — never heavier. The case closes."""
    on = on or _today()
    _appeal_pending(case)
    if result not in Revision.values:
        raise EthicsCaseError(_("请选择申诉处理结论。"), code="text_required")
    decision = _text(decision, _("申诉处理意见"))
    _check_date(on, _("申诉处理日期"), (case.appeal_applied_on, _("提出申诉日期")))
    _revise(acting_user=acting_user, case=case, result=result, new_kind=new_kind, reason=decision, on=on)
    case.appeal_result = result
    case.appeal_new_kind = new_kind if result == Revision.LIGHTEN else ""
    case.appeal_decision = decision
    case.appeal_decided_on = on
    case.appeal_decided_by = acting_user
    case.outcome = CaseOutcome.ANNULLED if result == Revision.ANNUL else CaseOutcome.FINAL
    case.closed_on = on
    case.save()
    record_event(
        actor=acting_user,
        action="ethics_case_appeal_decided",
        obj=case,
        to_state=result,
        reason=decision,
        payload={"new_kind": case.appeal_new_kind, "decided_late": on > case.appeal_decision_due},
    )
    return case


__all__ = [
    "EthicsCaseError",
    "ethics_case_appeal_apply",
    "ethics_case_appeal_decide",
    "ethics_case_appeal_extend",
    "ethics_case_appeal_lapse",
    "ethics_case_decide",
    "ethics_case_decision_issue",
    "ethics_case_hearing_record",
    "ethics_case_investigate",
    "ethics_case_investigator_assign",
    "ethics_case_propose",
    "ethics_case_report",
    "ethics_case_review_answer",
    "ethics_case_review_apply",
    "ethics_case_review_lapse",
    "ethics_case_statement_submit",
]
