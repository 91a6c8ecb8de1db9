"""能上能下: who should be considered for adjustment, and the writes of an adjustment case.

Triggers (DOMAIN §5): last year's appraisal 不合格; 基本合格 in both of the last two years; an ethics sanction
in force. A decision of the school's meeting (quorum and majority per workflows.common.voting) is required;
removal ends the tenure, demotion ends it and starts a tenure on a lower post the same day. The school then
files a report of the adjustment with the bureau, which acknowledges it or returns it to be filed again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from cadres import choices as c
from cadres.ethics.models import Sanction
from cadres.models import Tenure
from cadres.roles import Role, has_role, is_bureau_user, profile_of
from workflows.common import voting
from workflows.common.gates import date_refusal
from workflows.meetings import services as meetings

from . import clock
from .models import Adjustment, AdjustmentOutcome, AdjustmentTrigger, ReportStatus
from .plan import MIDDLE_LEVELS, holding_on

ITEM = "adjustment"  # the key of the adjustment meeting's one item: the proposal about the person
LEVEL_ORDER = [c.PostLevel.MIDDLE_HEAD, c.PostLevel.MIDDLE_DEPUTY, c.PostLevel.STAFF]


@dataclass(frozen=True)
class AdjustmentCandidate:
    tenure: Tenure
    trigger: str
    grounds: str


def _sitting(organization, on: dt.date):
    """Mid-level cadres holding their post on `on` (one fact with the vacancies: `plan.holding_on`)."""
    return Tenure.objects.filter(
        holding_on(on), post__organization=organization, post__level__in=MIDDLE_LEVELS
    ).select_related("person", "post")


def candidates_for_adjustment(organization, on: dt.date) -> list[AdjustmentCandidate]:
    """Sitting mid-level cadres of the school that a rule puts forward for adjustment, one row per trigger."""
    found = []
    last, before = on.year - 1, on.year - 2
    for tenure in _sitting(organization, on):
        grades = dict(tenure.person.appraisals.filter(year__in=[last, before]).values_list("year", "grade"))
        if grades.get(last) == c.AppraisalGrade.INCOMPETENT:
            found.append(
                AdjustmentCandidate(
                    tenure, AdjustmentTrigger.APPRAISAL_FAILED, _("%(year)s年度考核不合格") % {"year": last}
                )
            )
        if grades.get(last) == c.AppraisalGrade.BASIC and grades.get(before) == c.AppraisalGrade.BASIC:
            found.append(
                AdjustmentCandidate(
                    tenure,
                    AdjustmentTrigger.APPRAISAL_BASIC_TWICE,
                    _("%(before)s、%(last)s年度考核连续基本合格") % {"before": before, "last": last},
                )
            )
        for sanction in Sanction.objects.filter(person=tenure.person, start_date__lte=on):
            if sanction.in_force_on(on):
                found.append(
                    AdjustmentCandidate(
                        tenure,
                        AdjustmentTrigger.ETHICS_SANCTION,
                        _("受%(kind)s处理，影响期内") % {"kind": sanction.get_kind_display()},
                    )
                )
                break
    return found


def _refuse(message, code="refused"):
    from .services import CompetitionRefused

    raise CompetitionRefused(message, code=code)


@transaction.atomic
def adjustment_propose(
    *, case: Adjustment, acting_user, tenure, trigger: str, grounds: str, proposed_outcome: str, proposed_post=None
) -> Adjustment:
    on = clock.today()
    if tenure.post.level not in MIDDLE_LEVELS or (tenure.end_date and tenure.end_date <= on):
        _refuse(_("只能对现任中层干部提出调整。"), "not_sitting")
    if not grounds.strip():
        _refuse(_("须写明调整理由。"), "grounds")
    if proposed_outcome == AdjustmentOutcome.DEMOTE:
        if proposed_post is None:
            _refuse(_("降职使用须指定拟任较低职务。"), "post")
        if proposed_post.organization_id != tenure.post.organization_id or LEVEL_ORDER.index(
            proposed_post.level
        ) <= LEVEL_ORDER.index(tenure.post.level):
            _refuse(_("拟任职务须为本校较低层级的职务。"), "post")
    elif proposed_outcome != AdjustmentOutcome.REMOVE:
        _refuse(_("拟调整方式须为免去职务或降职使用。"), "outcome")
    case.organization, case.tenure, case.trigger, case.grounds = tenure.post.organization, tenure, trigger, grounds
    case.proposed_outcome, case.proposed_post = proposed_outcome, proposed_post
    case.save()
    record_event(
        actor=acting_user,
        action="competition.adjustment_propose",
        obj=case,
        reason=grounds,
        payload={"person": tenure.person.name, "trigger": trigger, "outcome": proposed_outcome},
    )
    return case


def account_of(person):
    """The person's active login, or None: who the 本人陈述 task goes to."""
    from cadres.models import Profile

    profile = Profile.objects.filter(person=person, user__is_active=True).select_related("user").first()
    return profile.user if profile else None


def recorder_name(user) -> str:
    """How a statement's recorder is named on the case: their registry name, else their full name, else their
    role (never a username)."""
    profile = profile_of(user)
    person = getattr(profile, "person", None) if profile else None
    if person is not None:
        return person.name
    return user.get_full_name().strip() or str(Role.PERSONNEL_OFFICER.label)


def statement_recorder(user) -> bool:
    """Who records a statement for a person without an account: the bureau's personnel officer."""
    return has_role(user, Role.PERSONNEL_OFFICER) and is_bureau_user(user)


@transaction.atomic
def adjustment_statement(*, case: Adjustment, acting_user, statement: str) -> Adjustment:
    """The person's statement (陈述). By the person themself when they have an account (`not_self` for anyone
    else); when they have none, by the bureau's personnel officer from what the person said or wrote, recorded
    as such (`statement_on_behalf`, who, when); anyone else is refused (`not_permitted`)."""
    case = Adjustment.objects.select_for_update().get(pk=case.pk)
    person = case.tenure.person
    owner = account_of(person)
    if owner is not None and owner.pk != acting_user.pk:
        _refuse(_("%(name)s有系统账号，须由本人陈述。") % {"name": person.name}, "not_self")
    if owner is None and not statement_recorder(acting_user):
        _refuse(
            _("%(name)s没有系统账号，其陈述由教育局组织人事科干部代为录入。") % {"name": person.name}, "not_permitted"
        )
    if case.statement_on:
        _refuse(_("本人陈述已经录入。"), "done")
    if not statement.strip():
        _refuse(_("陈述内容不能为空。"), "statement")
    on_behalf = owner is None
    case.statement, case.statement_on = statement, clock.today()
    case.statement_by, case.statement_on_behalf, case.statement_entered_at = acting_user, on_behalf, timezone.now()
    case.save(
        update_fields=["statement", "statement_on", "statement_by", "statement_on_behalf", "statement_entered_at"]
    )
    record_event(
        actor=acting_user,
        action="competition.adjustment_statement",
        obj=case,
        payload={"chars": len(statement), "on_behalf": on_behalf, "person": person.name},
    )
    return case


@transaction.atomic
def adjustment_decide(*, case: Adjustment, acting_user, held_on, name, form, members, present, votes) -> Adjustment:
    """The school's meeting votes on the proposal (votes: member → agree/disagree/defer); passed → applied.

    The decision takes effect today, so its meeting may not lie in the future ("future_date"), nor before the
    person's statement when one was made ("before_previous_step"). No veto purpose is asked: a removal or a
    demotion is what a sanction leads to, not what it blocks (see `workflows.common.gates`).
    """
    from .services import school_meeting_record

    case = Adjustment.objects.select_for_update().get(pk=case.pk)
    if case.outcome:
        _refuse(_("已作出决定。"), "decided")
    refusal = date_refusal(
        held_on, step=_("调整决定会议"), after=case.statement_on, after_step=_("本人陈述"), today=clock.today()
    )
    if refusal:
        _refuse(*refusal)
    person = case.tenure.person

    def vet(outcomes: dict[str, str]) -> None:
        if outcomes[ITEM] == voting.DEFERRED:
            _refuse(_("会议决定缓议，请另行召开会议研究。"), "deferred")

    meeting = school_meeting_record(
        case=case,
        purpose=meetings.Purpose.ADJUSTMENT,
        held_on=held_on,
        name=name,
        form=form,
        members=members,
        present=present,
        votes={who: {ITEM: v} for who, v in votes.items()},
        items=[meetings.Item(ITEM, person.name, person)],
        ratio=Fraction(2, 3),
        recorded_by=acting_user,
        vet=vet,
    )
    outcome = meeting.result_of(ITEM).outcome
    on = clock.today()
    if outcome == voting.PASSED:
        case.outcome = case.proposed_outcome
        tenure = case.tenure
        tenure.end_date = on
        tenure.save(update_fields=["end_date"])
        if case.outcome == AdjustmentOutcome.DEMOTE:
            case.new_tenure = Tenure.objects.create(
                person=person, post=case.proposed_post, start_date=on, method=c.AppointmentMethod.APPOINTED
            )
    else:
        case.outcome = AdjustmentOutcome.KEEP
    case.decided_on = on
    case.save(update_fields=["outcome", "decided_on", "new_tenure"])
    record_event(
        actor=acting_user,
        action="competition.adjustment_decide",
        obj=case,
        to_state=case.outcome,
        payload={"due": meeting.due, "present": meeting.present, "outcome": outcome},
    )
    return case


def _school_secretary_of(user, organization_id) -> bool:
    profile = profile_of(user)
    return (
        has_role(user, Role.SCHOOL_SECRETARY)
        and not is_bureau_user(user)
        and bool(profile and profile.organization_id == organization_id)
    )


@transaction.atomic
def adjustment_report_file(*, case: Adjustment, acting_user, summary: str) -> Adjustment:
    """The school's secretary files the report of the decided adjustment with the bureau (again after a return).

    Codes: `state` (not decided yet, or filed and not returned), `not_permitted` (not the case's school
    secretary), `summary` (empty report).
    """
    case = Adjustment.objects.select_for_update().get(pk=case.pk)
    if not _school_secretary_of(acting_user, case.organization_id):
        _refuse(_("只有本校党组织书记可以向局报告调整情况。"), "not_permitted")
    if not case.outcome:
        _refuse(_("党组织会议作出决定后方可报局。"), "state")
    if case.report_status == ReportStatus.FILED:
        _refuse(_("调整情况已报局，正在等待局审核。"), "state")
    if case.report_status == ReportStatus.ACKNOWLEDGED:
        _refuse(_("局已确认调整情况报告，不能再次报送。"), "state")
    summary = (summary or "").strip()
    if not summary:
        _refuse(_("须填写调整情况报告。"), "summary")
    before = case.report_status
    case.report_summary, case.reported_on, case.report_status = summary, clock.today(), ReportStatus.FILED
    case.report_return_reason, case.report_reviewed_on = "", None
    case.save(
        update_fields=["report_summary", "reported_on", "report_status", "report_return_reason", "report_reviewed_on"]
    )
    record_event(
        actor=acting_user,
        action="competition.adjustment_report",
        obj=case,
        from_state=before,
        to_state=case.report_status,
        reason=summary,
        payload={"person": case.tenure.person.name, "outcome": case.outcome, "reported_on": str(case.reported_on)},
    )
    return case


@transaction.atomic
def adjustment_report_review(*, case: Adjustment, acting_user, acknowledged: bool, reason: str = "") -> Adjustment:
    """The bureau's personnel officer acknowledges the filed report, or returns it with a reason to be refiled.

    Codes: `state` (no report waiting), `not_permitted` (not a bureau personnel officer), `reason`.
    """
    case = Adjustment.objects.select_for_update().get(pk=case.pk)
    if not (has_role(acting_user, Role.PERSONNEL_OFFICER) and is_bureau_user(acting_user)):
        _refuse(_("只有教育局组织人事科干部可以审核调整情况报告。"), "not_permitted")
    if case.report_status != ReportStatus.FILED:
        _refuse(_("没有待审核的调整情况报告。"), "state")
    reason = (reason or "").strip()
    if not acknowledged and not reason:
        _refuse(_("退回须写明理由。"), "reason")
    case.report_status = ReportStatus.ACKNOWLEDGED if acknowledged else ReportStatus.RETURNED
    case.report_return_reason = "" if acknowledged else reason
    case.report_reviewed_on = clock.today()
    case.save(update_fields=["report_status", "report_return_reason", "report_reviewed_on"])
    record_event(
        actor=acting_user,
        action="competition.adjustment_report_review",
        obj=case,
        from_state=ReportStatus.FILED,
        to_state=case.report_status,
        reason=reason,
        payload={"acknowledged": acknowledged, "reviewed_on": str(case.report_reviewed_on)},
    )
    return case
