"""The steps of a unit's 年度考核 and of a leader's 任期. Each is one transaction with one audit event.

Order (refused otherwise, `EvaluationError` with a Chinese message and a code):
open (school secretary or personnel officer) → report uploads and 测评 counts → propose the grades (the
school or the officer; every grade within the person's ethics cap and the unit's 优秀 places from the
`cadre_evaluation` rule set) → the bureau's meeting confirms (personnel officer) → 公示 of the 优秀 list
(N working days from the rule set) → finalise after the 公示 has ended: each result is written to the
registry through `cadres.ethics.services.annual_appraisal_record`, the one capped writer.
No step may be dated after today (`clock.today`).

Codes: not_allowed, wrong_state, future_date, before_previous_step, not_polled, grade_missing, grade_invalid,
above_ethics_cap, excellent_over_cap, publicity_running, term_exists, review_too_early, poll_* (poll.py).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import record_event
from cadres import choices as c
from cadres.ethics.periods import add_months
from cadres.ethics.services import EthicsError, annual_appraisal_record, appraisal_cap
from cadres.files import original_name
from cadres.models import Organization, Tenure
from cadres.refusals import Refusal
from cadres.roles import Role, has_role, is_bureau_user, organization_of
from cadres.step_dates import step_date_refusal
from cadres.workdays import add_workdays

from . import clock, documents
from .models import Assessment, EvaluationYear, Objection, Term, YearState, grade_label
from .params import evaluation_params, excellent_rule_text
from .poll import clean_attended, clean_poll


class EvaluationError(Refusal, ValidationError):
    """A refused step; the message says why in Chinese, `code` names the rule."""


def _refuse(message: str, code: str):
    raise EvaluationError(message, code=code)


# ---------------------------------------------------------------- who may act


def is_officer(user) -> bool:
    return bool(user.is_superuser or (is_bureau_user(user) and has_role(user, Role.PERSONNEL_OFFICER)))


def is_unit_secretary(user, organization) -> bool:
    org = organization_of(user)
    return bool(org and org.pk == organization.pk and has_role(user, Role.SCHOOL_SECRETARY))


def may_run_unit(user, organization) -> bool:
    """The unit's own school secretary or the bureau's personnel officer."""
    return is_officer(user) or is_unit_secretary(user, organization)


def _need_unit(user, organization):
    if not may_run_unit(user, organization):
        _refuse(_("只有本校党组织书记或组织人事科干部可以办理本校的年度考核。"), "not_allowed")


def _need_officer(user):
    if not is_officer(user):
        _refuse(_("只有组织人事科干部可以办理此步骤。"), "not_allowed")


def _not_future(day: dt.date, what: str):
    if day is None:
        _refuse(_("请填写%(w)s。") % {"w": what}, "date_missing")
    refusal = step_date_refusal(day, what=what, today=clock.today())
    if refusal:
        _refuse(*refusal)


def _not_before(day: dt.date, earlier: dt.date | None, what: str, earlier_what: str):
    refusal = step_date_refusal(day, what=what, today=None, after=earlier, after_what=earlier_what)
    if refusal:
        _refuse(*refusal)


def _state(evaluation: EvaluationYear, *allowed: str):
    if evaluation.state not in allowed:
        _refuse(
            _("本年度考核当前为“%(s)s”，不能办理此步骤。") % {"s": evaluation.get_state_display()},
            "wrong_state",
        )


def _locked(evaluation: EvaluationYear) -> EvaluationYear:
    return EvaluationYear.objects.select_for_update().get(pk=evaluation.pk)


# ---------------------------------------------------------------- who is assessed


def year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


_LEVEL_ORDER = [c.PostLevel.SCHOOL_HEAD, c.PostLevel.SCHOOL_DEPUTY, c.PostLevel.MIDDLE_HEAD, c.PostLevel.MIDDLE_DEPUTY]


def cadres_assessed(organization: Organization, year: int) -> list[Tenure]:
    """Tenures of the unit's posts at the rule set's levels held on 31 December of `year`, one per person
    (the highest level held), leaders first."""
    params = evaluation_params(year_end(year))
    day = year_end(year)
    tenures = (
        Tenure.objects.filter(post__organization=organization, post__level__in=params.levels, start_date__lte=day)
        .exclude(end_date__lt=day)
        .select_related("person", "post")
    )
    rank = {str(level): i for i, level in enumerate(_LEVEL_ORDER)}
    best: dict[int, Tenure] = {}
    for t in tenures:
        held = best.get(t.person_id)
        if held is None or rank.get(t.post.level, 9) < rank.get(held.post.level, 9):
            best[t.person_id] = t
    return sorted(best.values(), key=lambda t: (rank.get(t.post.level, 9), t.start_date, t.person.name))


# ---------------------------------------------------------------- the yearly evaluation


@transaction.atomic
def evaluation_year_open(*, acting_user, organization: Organization, year: int, opened_on: dt.date) -> EvaluationYear:
    """Open a unit's year: one assessment per cadre holding an assessed post on 31 December of `year`."""
    _need_unit(acting_user, organization)
    _not_future(opened_on, _("开始日期"))
    if year > opened_on.year:
        _refuse(_("%(y)d年度尚未到来，不能开始考核。") % {"y": year}, "future_date")
    if EvaluationYear.objects.filter(organization=organization, year=year).exists():
        _refuse(_("%(o)s的%(y)d年度考核已经开始。") % {"o": organization, "y": year}, "already_open")
    tenures = cadres_assessed(organization, year)
    if not tenures:
        _refuse(_("%(o)s在%(y)d年12月31日没有在任的校级领导或中层干部。") % {"o": organization, "y": year}, "nobody")
    evaluation = EvaluationYear.objects.create(
        organization=organization, year=year, opened_on=opened_on, created_by=acting_user
    )
    Assessment.objects.bulk_create(
        Assessment(evaluation=evaluation, person=t.person, post_name=t.post.name, post_level=t.post.level)
        for t in tenures
    )
    record_event(
        actor=acting_user,
        action="evaluation_opened",
        obj=evaluation,
        to_state=evaluation.state,
        payload={"organization": organization.pk, "year": year, "assessed": len(tenures)},
    )
    return evaluation


@transaction.atomic
def evaluation_report_upload(*, acting_user, assessment: Assessment, upload=None, summary: str = "") -> Assessment:
    """Attach a cadre's 述职述廉 report (file and/or summary) while the year is in draft."""
    evaluation = _locked(assessment.evaluation)
    _need_unit(acting_user, evaluation.organization)
    _state(evaluation, YearState.DRAFT)
    if upload is None and not summary.strip():
        _refuse(_("请上传述职述廉报告或填写报告摘要。"), "report_missing")
    if upload is not None:
        assessment.report = upload
        assessment.report_name = original_name(upload)
    if summary.strip():
        assessment.report_summary = summary.strip()
    assessment.save()
    record_event(
        actor=acting_user,
        action="evaluation_report_uploaded",
        obj=assessment,
        payload={"evaluation": evaluation.pk, "person": assessment.person_id, "file": assessment.report_name},
    )
    return assessment


@transaction.atomic
def evaluation_poll_record(
    *, acting_user, evaluation: EvaluationYear, polled_on: dt.date, attended: dict, counts: dict[int, dict]
) -> EvaluationYear:
    """Record the 民主测评 of the sitting: 实到 per category and every cadre's counts (all or nothing)."""
    evaluation = _locked(evaluation)
    _need_unit(acting_user, evaluation.organization)
    _state(evaluation, YearState.DRAFT)
    _not_future(polled_on, _("测评日期"))
    _not_before(polled_on, evaluation.opened_on, _("测评日期"), _("开始日期"))
    attended = clean_attended(attended)
    assessments = list(evaluation.assessments.select_related("person"))
    for a in assessments:
        try:
            a.set_poll(attended, counts.get(a.pk, {}))
        except ValidationError as exc:
            _refuse(f"{a.person.name}：{' '.join(exc.messages)}", exc.code or "poll_invalid")
    Assessment.objects.bulk_update(assessments, ["poll_counts"])
    evaluation.attended, evaluation.polled_on = attended, polled_on
    evaluation.save(update_fields=["attended", "polled_on"])
    record_event(
        actor=acting_user,
        action="evaluation_poll_recorded",
        obj=evaluation,
        payload={"attended": attended, "date": polled_on.isoformat()},
    )
    return evaluation


def grade_within_cap(grade: str, cap: str) -> bool:
    """The ethics rule's order: under an 不定等次 cap only 不定等次; otherwise no better than the cap."""
    if not cap:
        return True
    if cap == c.AppraisalGrade.UNRATED:
        return grade == c.AppraisalGrade.UNRATED
    if grade == c.AppraisalGrade.UNRATED:
        return True
    return c.APPRAISAL_RANK[grade] <= c.APPRAISAL_RANK[cap]


def refresh_caps(evaluation: EvaluationYear) -> list[Assessment]:
    """Each cadre's ethics cap for the year (grade and reason), as the ethics rule set says today."""
    assessments = list(evaluation.assessments.select_related("person"))
    for a in assessments:
        cap = appraisal_cap(a.person, evaluation.year)
        a.cap_grade, a.cap_reason = (cap.grade, cap.reason[:200]) if cap else ("", "")
    return assessments


def _check_grades(evaluation: EvaluationYear, assessments: list[Assessment], grades: dict[int, str]) -> tuple[int, str]:
    """Every grade known, within its cap, and no more 优秀 than the unit's places; returns (places, text)."""
    for a in assessments:
        grade = grades.get(a.pk) or ""
        if not grade:
            _refuse(_("%(n)s：请选择等次。") % {"n": a.person.name}, "grade_missing")
        if grade not in c.AppraisalGrade.values:
            _refuse(_("%(n)s：等次无效。") % {"n": a.person.name}, "grade_invalid")
        if not grade_within_cap(grade, a.cap_grade):
            _refuse(
                _("%(n)s不能定为“%(g)s”：%(r)s，%(y)d年度最高为“%(c)s”。")
                % {
                    "n": a.person.name,
                    "g": grade_label(grade),
                    "r": a.cap_reason,
                    "y": evaluation.year,
                    "c": grade_label(a.cap_grade),
                },
                "above_ethics_cap",
            )
    params = evaluation_params(year_end(evaluation.year))
    places = params.excellent_places(len(assessments))
    rule_text = excellent_rule_text(params, len(assessments))
    excellent = sum(1 for a in assessments if grades.get(a.pk) == c.AppraisalGrade.EXCELLENT)
    if excellent > places:
        _refuse(
            _("拟定优秀%(e)d人，超过本单位优秀名额：%(t)s（优秀比例上限%(p)d%%）。")
            % {"e": excellent, "t": rule_text, "p": params.excellent_share_percent},
            "excellent_over_cap",
        )
    return places, rule_text


@transaction.atomic
def evaluation_propose(
    *, acting_user, evaluation: EvaluationYear, grades: dict[int, str], proposed_on: dt.date
) -> EvaluationYear:
    """Propose every cadre's grade (school or officer); refused above an ethics cap or the 优秀 places."""
    evaluation = _locked(evaluation)
    _need_unit(acting_user, evaluation.organization)
    _state(evaluation, YearState.DRAFT)
    _not_future(proposed_on, _("提出日期"))
    if not evaluation.polled_on:
        _refuse(_("请先录入民主测评票数，再提出拟定等次。"), "not_polled")
    _not_before(proposed_on, evaluation.polled_on, _("提出日期"), _("测评日期"))
    assessments = refresh_caps(evaluation)
    places, rule_text = _check_grades(evaluation, assessments, grades)
    by = "bureau" if is_officer(acting_user) else "school"
    for a in assessments:
        a.proposed_grade, a.proposed_by = grades[a.pk], by
    Assessment.objects.bulk_update(assessments, ["proposed_grade", "proposed_by", "cap_grade", "cap_reason"])
    evaluation.propose(on=proposed_on, places=places, rule_text=rule_text)
    evaluation.save()
    record_event(
        actor=acting_user,
        action="evaluation_proposed",
        obj=evaluation,
        from_state=YearState.DRAFT,
        to_state=evaluation.state,
        payload={"grades": {str(a.person_id): a.proposed_grade for a in assessments}, "places": places},
    )
    return evaluation


@transaction.atomic
def evaluation_send_back(*, acting_user, evaluation: EvaluationYear, reason: str) -> EvaluationYear:
    """The officer returns a proposal to the school (with the reason) before the meeting."""
    evaluation = _locked(evaluation)
    _need_officer(acting_user)
    _state(evaluation, YearState.PROPOSED)
    if not reason.strip():
        _refuse(_("请填写退回理由。"), "reason_missing")
    evaluation.send_back()
    evaluation.save()
    record_event(
        actor=acting_user,
        action="evaluation_sent_back",
        obj=evaluation,
        from_state=YearState.PROPOSED,
        to_state=evaluation.state,
        reason=reason.strip(),
    )
    return evaluation


@transaction.atomic
def evaluation_confirm(
    *,
    acting_user,
    evaluation: EvaluationYear,
    meeting_on: dt.date,
    meeting_name: str,
    grades: dict[int, str] | None = None,
    notes: dict[int, str] | None = None,
) -> EvaluationYear:
    """The bureau's meeting confirms each grade (default: the proposed one), with the same caps."""
    evaluation = _locked(evaluation)
    _need_officer(acting_user)
    _state(evaluation, YearState.PROPOSED)
    _not_future(meeting_on, _("会议日期"))
    _not_before(meeting_on, evaluation.proposed_on, _("会议日期"), _("提出日期"))
    if not meeting_name.strip():
        _refuse(_("请填写会议名称。"), "meeting_missing")
    assessments = refresh_caps(evaluation)
    chosen = {a.pk: (grades or {}).get(a.pk) or a.proposed_grade for a in assessments}
    _check_grades(evaluation, assessments, chosen)
    for a in assessments:
        a.confirmed_grade = chosen[a.pk]
        a.meeting_note = ((notes or {}).get(a.pk) or "").strip()[:200]
    Assessment.objects.bulk_update(assessments, ["confirmed_grade", "meeting_note", "cap_grade", "cap_reason"])
    evaluation.confirm(on=meeting_on, name=meeting_name.strip())
    evaluation.save()
    record_event(
        actor=acting_user,
        action="evaluation_confirmed",
        obj=evaluation,
        from_state=YearState.PROPOSED,
        to_state=evaluation.state,
        payload={"meeting": meeting_name.strip(), "date": meeting_on.isoformat()},
    )
    documents.generate_poll_result(evaluation, acting_user=acting_user)
    return evaluation


@transaction.atomic
def evaluation_publicise(*, acting_user, evaluation: EvaluationYear, start: dt.date) -> EvaluationYear:
    """Start the 公示 of the 优秀 list; its end is N working days later (N from the rule set)."""
    evaluation = _locked(evaluation)
    _need_officer(acting_user)
    _state(evaluation, YearState.CONFIRMED)
    _not_future(start, _("公示开始日期"))
    _not_before(start, evaluation.meeting_on, _("公示开始日期"), _("会议日期"))
    n = evaluation_params(year_end(evaluation.year)).publicity_workdays
    span = add_workdays(start, n)
    evaluation.publicise(start=span.start, end=span.end, workdays=n)
    evaluation.save()
    record_event(
        actor=acting_user,
        action="evaluation_publicised",
        obj=evaluation,
        from_state=YearState.CONFIRMED,
        to_state=evaluation.state,
        payload={"start": span.start.isoformat(), "end": span.end.isoformat(), "workdays": n},
    )
    return evaluation


@transaction.atomic
def evaluation_objection_record(
    *, acting_user, evaluation: EvaluationYear, assessment: Assessment, received_on: dt.date, text: str
) -> Objection:
    """Record an objection to someone on the 优秀 list, received within the 公示."""
    evaluation = _locked(evaluation)
    _need_officer(acting_user)
    _state(evaluation, YearState.PUBLICISED)
    _not_future(received_on, _("收到日期"))
    _not_before(received_on, evaluation.publicity_start, _("收到日期"), _("公示开始日期"))
    if received_on > evaluation.publicity_end:
        _refuse(_("公示已于%(d)s结束，此后收到的不作为公示异议。") % {"d": evaluation.publicity_end}, "after_publicity")
    if assessment.evaluation_id != evaluation.pk or assessment.confirmed_grade != c.AppraisalGrade.EXCELLENT:
        _refuse(_("只能对公示名单上的人员提出异议。"), "not_publicised")
    if not text.strip():
        _refuse(_("请填写异议内容。"), "text_missing")
    objection = Objection.objects.create(
        evaluation=evaluation,
        assessment=assessment,
        received_on=received_on,
        text=text.strip(),
        recorded_by=acting_user,
    )
    record_event(
        actor=acting_user,
        action="evaluation_objection_recorded",
        obj=evaluation,
        payload={"person": assessment.person_id, "date": received_on.isoformat()},
    )
    return objection


@transaction.atomic
def evaluation_finalise(
    *, acting_user, evaluation: EvaluationYear, finalised_on: dt.date, upheld: dict[int, str] | None = None
) -> EvaluationYear:
    """After the 公示 has ended, write each confirmed grade through the capped registry service.

    `upheld` (assessment id → grade): where an objection was recorded against someone on the 优秀 list and is
    upheld, their grade is lowered here (never raised; only for people with a recorded objection).
    """
    evaluation = _locked(evaluation)
    _need_officer(acting_user)
    _state(evaluation, YearState.PUBLICISED)
    _not_future(finalised_on, _("办结日期"))
    if finalised_on <= evaluation.publicity_end:
        _refuse(
            _("公示期至%(d)s，公示结束后才能确定考核结果。") % {"d": evaluation.publicity_end},
            "publicity_running",
        )
    assessments = list(evaluation.assessments.select_related("person"))
    objected = set(evaluation.objections.values_list("assessment_id", flat=True))
    changed = {}
    for a in assessments:
        grade = (upheld or {}).get(a.pk) or a.confirmed_grade
        if grade == a.confirmed_grade:
            continue
        if a.pk not in objected:
            _refuse(_("%(n)s没有公示异议，不能改变会议确定的等次。") % {"n": a.person.name}, "no_objection")
        if grade not in c.APPRAISAL_RANK or c.APPRAISAL_RANK[grade] >= c.APPRAISAL_RANK[a.confirmed_grade]:
            _refuse(_("%(n)s：异议成立时只能降低等次。") % {"n": a.person.name}, "grade_invalid")
        changed[str(a.person_id)] = [a.confirmed_grade, grade]
        a.meeting_note = (
            _("公示异议成立，由“%(a)s”改为“%(b)s”") % {"a": grade_label(a.confirmed_grade), "b": grade_label(grade)}
        )[:200]
        a.confirmed_grade = grade
    if changed:
        Assessment.objects.bulk_update(assessments, ["confirmed_grade", "meeting_note"])
    for a in assessments:
        try:
            annual_appraisal_record(
                acting_user=acting_user, person=a.person, year=evaluation.year, grade=a.confirmed_grade
            )
        except EthicsError as exc:
            _refuse(f"{a.person.name}：{' '.join(exc.messages)}", "above_ethics_cap")
    evaluation.finalise(on=finalised_on)
    evaluation.save()
    record_event(
        actor=acting_user,
        action="evaluation_finalised",
        obj=evaluation,
        from_state=YearState.PUBLICISED,
        to_state=evaluation.state,
        payload={"date": finalised_on.isoformat(), "assessed": len(assessments), "upheld_objections": changed},
    )
    documents.generate_appraisal_forms(evaluation, assessments, acting_user=acting_user)
    return evaluation


# ---------------------------------------------------------------- terms (任期制)


def add_years(day: dt.date, years: int) -> dt.date:
    """Same day `years` later; 29 February becomes 1 March in a common year (README: 周岁 rule)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


def current_term_span(start: dt.date, on: dt.date, term_years: int) -> tuple[int, dt.date, dt.date]:
    """(number, start, end) of the term running on `on` in a tenure begun on `start` (terms follow on)."""
    number, begin = 1, start
    while add_years(begin, term_years) <= on:
        number, begin = number + 1, add_years(begin, term_years)
    return number, begin, add_years(begin, term_years) - dt.timedelta(days=1)


LEADER_LEVELS = (c.PostLevel.SCHOOL_HEAD, c.PostLevel.SCHOOL_DEPUTY)


@transaction.atomic
def terms_open_for_current_leaders(*, acting_user, on: dt.date, organization: Organization | None = None) -> int:
    """Open the running term of every current school-level leader (校级正副职) that has none yet.

    A term starts on the tenure's start (or, for a tenure older than one term, on the anniversary that
    began the running term: terms follow on without a gap); its end is start + the rule set's term years.
    Earlier, completed terms count through `number`. Idempotent: a term already opened is left alone.
    """
    if organization is None:
        _need_officer(acting_user)
    else:
        _need_unit(acting_user, organization)
    _not_future(on, _("建立日期"))
    term_years = evaluation_params(on).term_years
    tenures = Tenure.objects.filter(
        post__level__in=LEADER_LEVELS, post__organization__kind=c.OrgKind.SCHOOL, start_date__lte=on
    ).exclude(end_date__lt=on)
    if organization is not None:
        tenures = tenures.filter(post__organization=organization)
    existing = set(Term.objects.values_list("tenure_id", "number"))
    made = []
    for t in tenures.select_related("post"):
        number, begin, end = current_term_span(t.start_date, on, term_years)
        if (t.pk, number) in existing:
            continue
        made.append(
            Term(
                tenure=t,
                person_id=t.person_id,
                organization_id=t.post.organization_id,
                number=number,
                start_date=begin,
                end_date=end,
                term_years=term_years,
            )
        )
    Term.objects.bulk_create(made)
    record_event(
        actor=acting_user,
        action="terms_opened",
        object_type="evaluation.term",
        payload={"count": len(made), "on": on.isoformat(), "organization": getattr(organization, "pk", None)},
    )
    return len(made)


@transaction.atomic
def term_goals_record(*, acting_user, term: Term, goals: str, recorded_on: dt.date) -> Term:
    """Record the 任期目标 (at the start of the term; before its review)."""
    term = Term.objects.select_for_update().get(pk=term.pk)
    _need_unit(acting_user, term.organization)
    _not_future(recorded_on, _("目标确定日期"))
    _not_before(recorded_on, term.start_date, _("目标确定日期"), _("任期开始日期"))
    if term.reviewed_on:
        _refuse(_("任期考核已完成，任期目标不能再修改。"), "wrong_state")
    if not goals.strip():
        _refuse(_("请填写任期目标。"), "goals_missing")
    term.goals, term.goals_recorded_on = goals.strip(), recorded_on
    term.save(update_fields=["goals", "goals_recorded_on"])
    record_event(actor=acting_user, action="term_goals_recorded", obj=term, payload={"date": recorded_on.isoformat()})
    return term


@transaction.atomic
def term_review_record(
    *, acting_user, term: Term, attended: dict, counts: dict, grade: str, reviewed_on: dt.date
) -> Term:
    """The 任期考核: the same 测评 shape and validation as the yearly one, and a grade; officer only.

    Allowed from `term_review_window_months` before the term ends (rule set), and once. The ethics caps do not
    apply: a 任期考核 grade is not a yearly appraisal and is not written to the registry's appraisal history.
    """
    term = Term.objects.select_for_update().select_related("person", "organization").get(pk=term.pk)
    _need_officer(acting_user)
    _not_future(reviewed_on, _("任期考核日期"))
    if term.reviewed_on:
        _refuse(_("该任期已完成任期考核。"), "wrong_state")
    window = evaluation_params(reviewed_on).term_review_window_months
    opens = add_months(term.end_date, -window)
    if reviewed_on < opens:
        _refuse(
            _("任期%(e)s届满，任期考核最早于%(o)s开始。") % {"e": term.end_date, "o": opens},
            "review_too_early",
        )
    if grade not in c.AppraisalGrade.values or grade == c.AppraisalGrade.UNRATED:
        _refuse(_("请选择任期考核等次。"), "grade_invalid")
    attended = clean_attended(attended)
    term.poll_counts = clean_poll(attended, counts)
    term.attended, term.review_grade, term.reviewed_on = attended, grade, reviewed_on
    term.save(update_fields=["poll_counts", "attended", "review_grade", "reviewed_on"])
    record_event(
        actor=acting_user,
        action="term_reviewed",
        obj=term,
        to_state=grade,
        payload={"person": term.person_id, "date": reviewed_on.isoformat()},
    )
    documents.generate_term_review(term, acting_user=acting_user)
    return term


__all__ = [
    "EvaluationError",
    "evaluation_confirm",
    "evaluation_finalise",
    "evaluation_objection_record",
    "evaluation_poll_record",
    "evaluation_propose",
    "evaluation_publicise",
    "evaluation_report_upload",
    "evaluation_send_back",
    "evaluation_year_open",
    "term_goals_record",
    "term_review_record",
    "terms_open_for_current_leaders",
]
