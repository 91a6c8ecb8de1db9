"""Writes of ethics records. Each service is one transaction with one audit event (plus effect events).

Error codes (EthicsError.code): grade_not_in_scheme, violations_required, heavier_on_appeal,
sanction_not_in_force, appraisal_above_cap.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import record_event
from cadres.refusals import Refusal

from ..choices import APPRAISAL_RANK, AppraisalGrade
from ..models import AnnualAppraisal, Person
from .models import SEVERITY, EthicsAssessment, EthicsGrade, Sanction, SanctionKind, SanctionRegime
from .params import ethics_params
from .periods import add_months, extended_end
from .rules import ETHICS_FAILED


class EthicsError(Refusal, ValidationError):
    """A refused ethics action; the message says why in Chinese, `code` names the rule."""


# ---------------------------------------------------------------- appraisal caps


@dataclass(frozen=True)
class AppraisalCap:
    grade: str  # best allowed grade, or "unrated" (写评语，不确定等次)
    reason: str


def _allowed(grade: str, cap: str) -> bool:
    if cap == AppraisalGrade.UNRATED:
        return grade == AppraisalGrade.UNRATED
    if grade == AppraisalGrade.UNRATED:
        return True
    return APPRAISAL_RANK[grade] <= APPRAISAL_RANK[cap]


def _stricter(a: str, b: str) -> bool:
    """True when cap `a` is stricter than cap `b`."""
    order = {AppraisalGrade.INCOMPETENT: 0, AppraisalGrade.UNRATED: 1, AppraisalGrade.BASIC: 2}
    order |= {AppraisalGrade.COMPETENT: 3, AppraisalGrade.EXCELLENT: 4}
    return order[a] < order[b]


def appraisal_cap(person: Person, year: int) -> AppraisalCap | None:
    """The strictest limit ethics records put on `person`'s annual appraisal for `year` (None: no limit)."""
    params = ethics_params(dt.date(year, 12, 31))
    best: AppraisalCap | None = None

    def consider(key: str, record_year: int, label: str):
        nonlocal best
        cap = params.appraisal_caps.get(key)
        if not cap or not (record_year <= year < record_year + cap.get("years", 1)):
            return
        if best is None or _stricter(cap["grade"], best.grade):
            best = AppraisalCap(cap["grade"], label)

    for a in EthicsAssessment.objects.filter(person=person, grade=EthicsGrade.FAILED, year__lte=year):
        consider(ETHICS_FAILED, a.year, _("%(y)d年度师德考核不合格") % {"y": a.year})
    voided = [Sanction.Status.ANNULLED, Sanction.Status.REPLACED]
    for s in Sanction.objects.filter(person=person, decided_on__year__lte=year).exclude(status__in=voided):
        consider(
            s.kind,
            s.decided_on.year,
            _("%(d)s受%(k)s处理") % {"d": s.decided_on.strftime("%Y年%m月%d日"), "k": s.get_kind_display()},
        )
    return best


def _apply_appraisal_cap(*, acting_user, person: Person, year: int) -> AnnualAppraisal | None:
    """Force an existing appraisal of `year` down to what the records allow; create it when a grade is forced."""
    cap = appraisal_cap(person, year)
    if cap is None:
        return None
    appraisal = AnnualAppraisal.objects.filter(person=person, year=year).first()
    if appraisal and _allowed(appraisal.grade, cap.grade):
        return appraisal
    before = appraisal.grade if appraisal else ""
    if appraisal is None:
        appraisal = AnnualAppraisal(person=person, year=year)
    appraisal.grade = cap.grade
    appraisal.save()
    record_event(
        actor=acting_user,
        action="appraisal_capped",
        obj=appraisal,
        from_state=before,
        to_state=cap.grade,
        reason=cap.reason,
        payload={"person": person.pk, "year": year},
    )
    return appraisal


@transaction.atomic
def annual_appraisal_record(*, acting_user, person: Person, year: int, grade: str) -> AnnualAppraisal:
    """Record a year's appraisal; refused (code appraisal_above_cap) above what ethics records allow."""
    cap = appraisal_cap(person, year)
    if cap and not _allowed(grade, cap.grade):
        raise EthicsError(
            _("%(y)d年度考核不能确定为%(g)s：%(r)s，该年度最高为%(c)s。")
            % {"y": year, "g": AppraisalGrade(grade).label, "r": cap.reason, "c": AppraisalGrade(cap.grade).label},
            code="appraisal_above_cap",
        )
    appraisal, _created = AnnualAppraisal.objects.update_or_create(person=person, year=year, defaults={"grade": grade})
    record_event(actor=acting_user, action="appraisal_recorded", obj=appraisal, to_state=grade, payload={"year": year})
    return appraisal


# ---------------------------------------------------------------- assessments


@transaction.atomic
def ethics_assessment_decide(
    *, acting_user, person: Person, year: int, grade: str, decided_on: dt.date, violations: list[str] | None = None
) -> EthicsAssessment:
    """The school decides a teacher's yearly grade. 不合格 must name violations and caps that year's appraisal."""
    params = ethics_params(decided_on)
    if grade not in params.grades:
        raise EthicsError(
            _("等次“%(g)s”不在现行师德考核等次中。")
            % {"g": EthicsGrade(grade).label if grade in EthicsGrade.values else grade},
            code="grade_not_in_scheme",
        )
    violations = list(violations or [])
    if grade == EthicsGrade.FAILED and not violations:
        raise EthicsError(_("师德考核不合格须列明查实的违规行为。"), code="violations_required")
    assessment, _created = EthicsAssessment.objects.select_for_update().get_or_create(person=person, year=year)
    before = assessment.grade
    assessment.grade = grade
    assessment.violations = violations
    assessment.decided_on = decided_on
    assessment.decided_by = acting_user if getattr(acting_user, "pk", None) else None
    assessment.full_clean()
    assessment.save()
    record_event(
        actor=acting_user,
        action="ethics_assessment_decided",
        obj=assessment,
        from_state=before,
        to_state=grade,
        payload={"year": year, "violations": violations, "rule_set": params.rule_set_name},
    )
    _apply_appraisal_cap(acting_user=acting_user, person=person, year=year)
    return assessment


# ---------------------------------------------------------------- sanctions


def _period_months(params, *, kind: str, regime: str, disqualification_months: int | None) -> int | None:
    table = params.periods.get(regime, {})
    if kind not in table:
        raise EthicsError(
            _("%(r)s中没有“%(k)s”这一处理种类。") % {"r": SanctionRegime(regime).label, "k": SanctionKind(kind).label},
            code="kind_not_in_regime",
        )
    months = table[kind]
    if kind == SanctionKind.DISQUALIFICATION:
        requested = disqualification_months or months or 0
        if requested < params.min_disqualification_months:
            raise EthicsError(
                _("取消相关资格的期限不得少于%(n)d个月，现为%(m)d个月。")
                % {"n": params.min_disqualification_months, "m": requested},
                code="disqualification_too_short",
            )
        months = requested
    return months


@transaction.atomic
def sanction_record(
    *,
    acting_user,
    person: Person,
    kind: str,
    decided_on: dt.date,
    authority: str,
    regime: str = SanctionRegime.TEACHER,
    document_number: str = "",
    facts: str = "",
    basis: str = "",
    violations: list[str] | None = None,
    disqualified_from: list[str] | None = None,
    disqualification_months: int | None = None,
    source_ref: str = "",
) -> Sanction:
    """Record a decided sanction; its period comes from the rule set in force on `decided_on`.

    A sanction with a period decided while another is running extends the impact (remaining + new, capped).
    """
    params = ethics_params(decided_on)
    months = _period_months(params, kind=kind, regime=regime, disqualification_months=disqualification_months)
    if kind == SanctionKind.DISQUALIFICATION and not disqualified_from:
        raise EthicsError(_("取消相关资格须列明被取消的事项。"), code="disqualified_from_required")
    running = [
        s.end_date
        for s in Sanction.objects.select_for_update().filter(person=person, status=Sanction.Status.IN_FORCE)
        if s.in_force_on(decided_on) and SEVERITY.get(s.kind, 0) >= SEVERITY[SanctionKind.WARNING]
    ]
    extends = kind in {k for k in SanctionKind if SEVERITY[k] >= SEVERITY[SanctionKind.WARNING]}
    end = (
        extended_end(decided_on=decided_on, months=months, running_ends=running, cap_months=params.cap_months)
        if extends
        else (None if months is None else add_months(decided_on, months))
    )
    sanction = Sanction(
        person=person,
        kind=kind,
        regime=regime,
        violations=list(violations or []),
        disqualified_from=list(disqualified_from or []),
        decided_on=decided_on,
        authority=authority,
        document_number=document_number,
        facts=facts,
        basis=basis,
        start_date=decided_on,
        end_date=end,
        period_months=months or 0,
        source_ref=source_ref,
    )
    sanction.full_clean()
    sanction.save()
    record_event(
        actor=acting_user,
        action="sanction_recorded",
        obj=sanction,
        to_state=sanction.status,
        payload={
            "person": person.pk,
            "kind": kind,
            "regime": regime,
            "months": months,
            "end_date": end,
            "extended": bool(running) and extends,
            "rule_set": params.rule_set_name,
        },
    )
    _apply_appraisal_cap(acting_user=acting_user, person=person, year=decided_on.year)
    if end is None or end.year > decided_on.year:
        _apply_appraisal_cap(acting_user=acting_user, person=person, year=decided_on.year + 1)
    return sanction


@transaction.atomic
def sanction_revise_on_appeal(
    *,
    acting_user,
    sanction: Sanction,
    decided_on: dt.date,
    reason: str,
    new_kind: str | None = None,
    annul: bool = False,
) -> Sanction:
    """Keep (new_kind None), lighten (new_kind lighter) or annul a sanction; never make it heavier.

    Lightening ends the old record on `decided_on` and creates the lighter one, whose period counts from the
    original decision. Annulling ends it at once. The sanction stays in force until this decision.
    """
    sanction = Sanction.objects.select_for_update().get(pk=sanction.pk)
    if sanction.status in (Sanction.Status.ANNULLED, Sanction.Status.REPLACED):
        raise EthicsError(_("该处理已撤销或变更，不能再变更。"), code="sanction_not_in_force")
    if annul:
        sanction.status = Sanction.Status.ANNULLED
        sanction.ended_on = decided_on
        sanction.save()
        record_event(
            actor=acting_user,
            action="sanction_annulled",
            obj=sanction,
            from_state="in_force",
            to_state="annulled",
            reason=reason,
        )
        return sanction
    if new_kind is None or new_kind == sanction.kind:
        record_event(actor=acting_user, action="sanction_upheld", obj=sanction, to_state=sanction.status, reason=reason)
        return sanction
    if SEVERITY[new_kind] > SEVERITY[sanction.kind]:
        raise EthicsError(
            _("申诉不得加重处理：原处理为%(a)s，不能改为%(b)s。")
            % {"a": sanction.get_kind_display(), "b": SanctionKind(new_kind).label},
            code="heavier_on_appeal",
        )
    params = ethics_params(sanction.decided_on)
    months = _period_months(params, kind=new_kind, regime=sanction.regime, disqualification_months=None)
    sanction.status = Sanction.Status.REPLACED
    sanction.ended_on = decided_on
    sanction.save()
    lighter = Sanction.objects.create(
        person=sanction.person,
        kind=new_kind,
        regime=sanction.regime,
        violations=sanction.violations,
        disqualified_from=sanction.disqualified_from,
        decided_on=sanction.decided_on,
        authority=sanction.authority,
        document_number=sanction.document_number,
        facts=sanction.facts,
        basis=sanction.basis,
        start_date=sanction.start_date,
        end_date=None if months is None else add_months(sanction.start_date, months),
        period_months=months or 0,
        replaces=sanction,
        source_ref=sanction.source_ref,
    )
    record_event(
        actor=acting_user,
        action="sanction_lightened",
        obj=lighter,
        from_state=sanction.kind,
        to_state=new_kind,
        reason=reason,
        payload={"replaces": sanction.pk, "end_date": lighter.end_date},
    )
    return lighter


@transaction.atomic
def sanctions_lift_expired(*, on: dt.date) -> list[Sanction]:
    """Lift every sanction whose period has ended by `on` (run daily); one audit event each."""
    lifted = []
    for sanction in Sanction.objects.select_for_update().filter(
        status=Sanction.Status.IN_FORCE, end_date__isnull=False, end_date__lte=on
    ):
        sanction.status = Sanction.Status.LIFTED
        sanction.ended_on = sanction.end_date
        sanction.save()
        record_event(
            actor=None,
            action="sanction_lifted",
            obj=sanction,
            from_state="in_force",
            to_state="lifted",
            reason=_("影响期届满，自动解除"),
            payload={"end_date": sanction.end_date},
        )
        lifted.append(sanction)
    return lifted
