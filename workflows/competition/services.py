"""Every write of a competition: one function per business action, one audit event each.

All raise `CompetitionRefused` (a `cadres.refusals.Refusal`, still a `ValidationError`) when a rule refuses;
the dates that matter come from `clock.today()` (never from a form), except meeting and notice dates.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from cadres import choices as c
from cadres.ethics.purposes import VetoPurpose
from cadres.facts import span_between
from cadres.models import Tenure
from cadres.recusal import kin_ids
from cadres.refusals import Refusal
from cadres.roles import Role, has_role, profile_of, shown_name
from workflows.common import publicity, voting
from workflows.common.gates import date_refusal, veto_reasons
from workflows.common.recusal import exclusions, record_exclusions
from workflows.meetings import services as meetings

from . import clock, eligibility
from .members import meeting_people, person_label
from .models import (
    Competition,
    JudgeAssignment,
    PaperEntry,
    Registration,
    RegStatus,
    ScoreSheet,
    State,
)
from .plan import (
    DEFAULT_CRITERIA,
    holding_on,
    plan_hash,
    plan_lines,
    plan_posts,
    shortlist_size,
    sitting_holders,
    validate_plan,
    window,
)
from .scoring import CandidateScores, IncompleteScores, ScoringRules, missing_items, rank_post

PLAN_ITEM = "plan"  # the key of the plan meeting's one item


class CompetitionRefused(Refusal, ValidationError):
    """A rule of the competition or of 能上能下 said no: `code` names it, the message says why."""


def _refuse(message, code="refused"):
    raise CompetitionRefused(message, code=code)


def _event(acting_user, action, obj, *, before="", after="", reason="", **payload):
    record_event(
        actor=acting_user,
        action=f"competition.{action}",
        obj=obj,
        from_state=before,
        to_state=after,
        reason=reason,
        payload=payload,
    )


def _locked(competition) -> Competition:
    return Competition.objects.select_for_update().get(pk=competition.pk)


def _check_date(day: dt.date, *, step: str, after: dt.date | None = None, after_step: str = "") -> None:
    refusal = date_refusal(day, step=step, after=after, after_step=after_step, today=clock.today())
    if refusal:
        _refuse(*refusal)


def appointee_refusals(case: Competition, regs, *, on: dt.date, step: str) -> None:
    """Refuse ("ineligible") when a registration's person is refused on `on` by the registration's own check
    (rule set and the COMPETITION_REGISTRATION veto) or by the POST_PROMOTION veto (竞聘上岗 is 岗位聘用):
    asked at the decision and the appointment, so a sanction recorded after registration still stops them.
    Each reason names the record and the last day it blocks."""
    reasons = []
    for reg in regs:
        found = eligibility.refusals(reg.person, plan=case.rules, organization=case.organization, on=on)
        found += veto_reasons(reg.person, purposes=[VetoPurpose.POST_PROMOTION], on=on)
        reasons += [
            _("%(name)s%(step)s时不符合条件：%(reason)s") % {"name": reg.person.name, "step": step, "reason": r}
            for r in dict.fromkeys(found)
        ]
    if reasons:
        raise CompetitionRefused("；".join(reasons), code="ineligible")


# --- Plan -------------------------------------------------------------------------------------------------


@transaction.atomic
def plan_save(*, competition, acting_user, organization, plan: dict) -> Competition:
    """Write the draft plan; refused once the plan is approved, filed or frozen (only a returned plan reopens)."""
    case = _locked(competition) if competition.pk else competition
    if case.frozen_plan is not None:
        _refuse(_("实施方案已经定稿，不得修改。"), "frozen")
    if case.pk and case.state not in (State.DRAFT, State.RETURNED):
        _refuse(_("实施方案已提交党组织会议或报备，不得修改；被退回后方可修改。"), "locked")
    plan = {**plan, "criteria": plan.get("criteria") or DEFAULT_CRITERIA}
    problems = validate_plan(plan, organization=organization, on=clock.today())
    if problems:
        raise CompetitionRefused(problems, code="plan")
    before = case.state
    case.organization, case.plan, case.title = organization, plan, plan["title"]
    case.move_to(State.DRAFT)
    case.save()
    _event(acting_user, "plan", case, before=before, after=case.state, posts=len(plan["posts"]))
    return case


def _refused_from(exc: Refusal):
    """Pass on a refusal of a shared rule (the meeting service, voting, publicity) as the competition's own."""
    raise CompetitionRefused(exc.template, exc.code, exc.params, reasons=exc.reasons) from exc


def school_meeting_record(
    *, case, purpose, held_on, name, form, members, present, votes, items, ratio, recorded_by, vet=None
):
    """One school 党组织会议 through the meeting service: members and present are registry people (see
    `members`), `votes` is person (or person id) → {item key → agree/disagree/defer}."""
    try:
        meetings.check_form(form, present)
        people = meeting_people(members, present)
        return meetings.meeting_record(
            process=case,
            purpose=purpose,
            held_on=held_on,
            name=name,
            form=form,
            members=[meetings.Member(label, label, person) for label, person in people.people.items()],
            present=[meetings.Member(label, label, people.people[label]) for label in people.present],
            items=items,
            votes=people.votes_by_label(votes),
            recorded_by=recorded_by,
            ratio=ratio,
            vet=vet,
        )
    except meetings.MeetingRefused as exc:
        _refused_from(exc)


@transaction.atomic
def plan_meeting_record(*, competition, acting_user, held_on, name, form, members, present, votes):
    """党组织会议 on the plan: members and present are registry people (see `members`); votes is person (or
    person id) → 同意/不同意/缓议 (agree/disagree/defer) on the plan."""
    case = _locked(competition)
    if case.state != State.DRAFT:
        _refuse(_("实施方案不在待审议状态。"), "state")
    meeting = school_meeting_record(
        case=case,
        purpose=meetings.Purpose.PLAN,
        held_on=held_on,
        name=name,
        form=form,
        members=members,
        present=present,
        votes={who: {PLAN_ITEM: v} for who, v in votes.items()},
        items=[meetings.Item(PLAN_ITEM, _("实施方案"))],
        ratio=Fraction(str(case.plan.get("quorum", "2/3"))),
        recorded_by=acting_user,
    )
    result = meeting.result_of(PLAN_ITEM)
    if result.passed:
        case.move_to(State.APPROVED)
        case.save(update_fields=["state"])
    _event(
        acting_user,
        "plan_meeting",
        case,
        before=State.DRAFT,
        after=case.state,
        due=meeting.due,
        present=meeting.present,
        quorum=meeting.quorum,
        agree=result.agree,
        outcome=result.outcome,
    )
    return meeting


@transaction.atomic
def plan_resubmit(*, competition, acting_user, plan: dict | None = None) -> Competition:
    """After a failed meeting or a return by the bureau: save the revised draft for a new meeting."""
    case = _locked(competition)
    if case.frozen_plan is not None:
        _refuse(_("实施方案已经定稿，不得修改。"), "frozen")
    if case.state not in (State.DRAFT, State.RETURNED):
        _refuse(_("实施方案当前不能修改。"), "locked")
    return plan_save(competition=case, acting_user=acting_user, organization=case.organization, plan=plan or case.plan)


@transaction.atomic
def filing_decide(*, competition, acting_user, accepted: bool, reason: str = "") -> Competition:
    """The bureau accepts the filed plan (it is frozen at once) or returns it with reasons."""
    case = _locked(competition)
    if case.state != State.APPROVED:
        _refuse(_("只有经党组织会议通过的实施方案才能报备。"), "state")
    if not accepted and not reason.strip():
        _refuse(_("退回须写明理由。"), "reason")
    case.filing_accepted, case.filing_reason = accepted, reason
    case.move_to(State.FILED if accepted else State.RETURNED)
    case.save(update_fields=["filing_accepted", "filing_reason", "state"])
    _event(acting_user, "filing", case, before=State.APPROVED, after=case.state, reason=reason, accepted=accepted)
    return case


@transaction.atomic
def plan_freeze(*, competition, acting_user=None) -> Competition:
    """Store the approved plan as the frozen snapshot with its SHA-256; refused if already frozen."""
    case = _locked(competition)
    if case.frozen_plan is not None:
        _refuse(_("实施方案已经定稿，不得修改。"), "frozen")
    if case.state != State.FILED:
        _refuse(_("实施方案未经局备案同意，不能定稿。"), "state")
    case.frozen_plan, case.plan_hash, case.frozen_at = case.plan, plan_hash(case.plan), timezone.now()
    case.move_to(State.FROZEN)
    case.save(update_fields=["frozen_plan", "plan_hash", "frozen_at", "state"])
    _event(acting_user, "freeze", case, before=State.FILED, after=State.FROZEN, sha256=case.plan_hash)
    return case


def verify_frozen(case: Competition) -> None:
    """Raise unless the frozen snapshot still matches its hash (guards against edits behind the services)."""
    if case.frozen_plan is None or plan_hash(case.frozen_plan) != case.plan_hash:
        _refuse(_("实施方案定稿与其哈希不符，已被改动，流程中止。"), "tampered")


@transaction.atomic
def announce(*, competition, acting_user) -> Competition:
    case = _locked(competition)
    verify_frozen(case)
    if case.state != State.FROZEN:
        _refuse(_("方案定稿后方可发布公告。"), "state")
    case.move_to(State.ANNOUNCED)
    case.save(update_fields=["state"])
    _event(acting_user, "announce", case, before=State.FROZEN, after=State.ANNOUNCED)
    return case


# --- Registration ------------------------------------------------------------------------------------------


def _cn(day: dt.date) -> str:
    return day.strftime("%Y年%m月%d日")


def registration_open_on(case: Competition, on: dt.date) -> bool:
    opens, closes = window(case.rules)
    return case.state == State.ANNOUNCED and opens <= on <= closes


def _register(case: Competition, *, acting_user, person, post, on: dt.date, paper: bool) -> Registration:
    """The checks every registration passes, however it is entered, then the write and its audit event."""
    if case.state != State.ANNOUNCED:
        _refuse(_("本次竞聘不在报名阶段。"), "state")
    opens, closes = window(case.rules)
    if not opens <= on <= closes:
        _refuse(
            _("报名时间为%(opens)s至%(closes)s，今天（%(today)s）不能报名。")
            % {"opens": _cn(opens), "closes": _cn(closes), "today": _cn(on)},
            "window",
        )
    line = plan_lines(case.rules).get(post.pk)
    if line is None:
        _refuse(_("该岗位不在本次竞聘方案中。"), "post")
    if not line.reopens_occupied and sitting_holders(post, on).filter(person=person).exists():
        _refuse(
            _("%(name)s现任%(post)s，该岗位按空缺岗位竞聘，在任人员不参加。")
            % {"name": person.name, "post": post.name},
            "holder",
        )
    existing = Registration.objects.filter(competition=case, post=post, person=person).first()
    if existing and existing.status != RegStatus.WITHDRAWN:
        _refuse(_("已报名该岗位，不能重复报名。"), "duplicate")
    reasons = eligibility.refusals(person, plan=case.rules, organization=case.organization, on=on)
    if reasons:
        raise CompetitionRefused([_("不符合报名条件：%(reason)s") % {"reason": r} for r in reasons], code="ineligible")
    entered = {"paper_form": paper, "entered_by": acting_user, "entered_at": timezone.now()}
    if existing:
        existing.status, existing.reason = RegStatus.REGISTERED, ""
        for field, value in entered.items():
            setattr(existing, field, value)
        existing.save(update_fields=["status", "reason", *entered])
        reg = existing
    else:
        reg = Registration.objects.create(competition=case, post=post, person=person, **entered)
    _event(
        acting_user,
        "register",
        case,
        after=RegStatus.REGISTERED,
        person=person.name,
        post=post.name,
        paper_form=paper,
        entered_by=_user_name(acting_user),
    )
    return reg


def _user_name(user) -> str:

    return shown_name(user)


@transaction.atomic
def registration_submit(*, competition, acting_user, person, post) -> Registration:
    """A teacher registers themself for one post, inside the window, if eligible and not vetoed.

    A sitting holder may register for their own post when the plan puts it up for 全员竞聘; for a post
    opened as a vacancy they are refused ("holder")."""
    case = _locked(competition)
    profile = profile_of(acting_user)
    if profile is None or profile.person_id != person.pk:
        _refuse(_("只能本人报名。"), "not_self")
    return _register(case, acting_user=acting_user, person=person, post=post, on=clock.today(), paper=False)


def may_enter_paper_registrations(user, case: Competition) -> bool:
    """The bureau's personnel officer, or the secretary of the case's own school (the flow's own rules,
    `actors.BUREAU` and `actors.SCHOOL`)."""
    from workflows.common.policy import facts_of

    from .actors import BUREAU, SCHOOL

    facts = facts_of(user)
    return facts.active and (BUREAU.allows(user, facts, case) or SCHOOL.allows(user, facts, case))


@transaction.atomic
def registration_enter(*, competition, acting_user, person, post) -> Registration:
    """Enter a registration from the candidate's signed paper form (报名表), on their behalf.

    Only the bureau's personnel officer or the school's secretary (`not_permitted`); never for themself or
    their kin (`own_case`: a person does not act on their own or a relative's case); the candidate needs no
    account. Every other check is the self-registration's, on the day of entry: window, post, holder,
    duplicate, eligibility and the veto. The row records who entered it and when, with `paper_form` set,
    and the audit event says so.
    """
    case = _locked(competition)
    if not may_enter_paper_registrations(acting_user, case):
        _refuse(_("只有教育局组织人事科干部或本校党组织书记可以代为录入纸质报名表。"), "not_permitted")
    own = _person_of(acting_user)
    if own is not None and (own.pk == person.pk or own.pk in kin_ids(person.pk)):
        _refuse(_("不能为本人或亲属代为录入报名。"), "own_case")
    return _register(case, acting_user=acting_user, person=person, post=post, on=clock.today(), paper=True)


@transaction.atomic
def registration_withdraw(*, registration, acting_user) -> Registration:
    reg = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("competition", "person")
        .get(pk=registration.pk)
    )
    case = reg.competition
    on = clock.today()
    profile = profile_of(acting_user)
    if profile is None or profile.person_id != reg.person_id:
        _refuse(_("只能撤回本人的报名。"), "not_self")
    if reg.status != RegStatus.REGISTERED:
        _refuse(_("该报名不能撤回。"), "state")
    _opens, closes = window(case.rules)
    if on > closes or case.state != State.ANNOUNCED:
        _refuse(_("报名已于%(closes)s截止，不能撤回。") % {"closes": _cn(closes)}, "deadline")
    reg.status = RegStatus.WITHDRAWN
    reg.save(update_fields=["status"])
    _event(
        acting_user, "withdraw", case, before=RegStatus.REGISTERED, after=RegStatus.WITHDRAWN, person=reg.person.name
    )
    return reg


@transaction.atomic
def registration_close(*, competition, acting_user) -> Competition:
    case = _locked(competition)
    _opens, closes = window(case.rules)
    on = clock.today()
    if case.state != State.ANNOUNCED:
        _refuse(_("本次竞聘不在报名阶段。"), "state")
    if on <= closes:
        _refuse(_("报名至%(closes)s截止，截止后方可结束报名。") % {"closes": _cn(closes)}, "window")
    case.move_to(State.REGISTRATION_CLOSED)
    case.save(update_fields=["state"])
    count = case.registrations.filter(status=RegStatus.REGISTERED).count()
    _event(acting_user, "registration_close", case, before=State.ANNOUNCED, after=case.state, registrations=count)
    return case


# --- Qualification review ----------------------------------------------------------------------------------


@transaction.atomic
def qualification_decide(*, registration, acting_user, accept: bool, reason: str = "") -> Registration:
    """Accept or refuse one registration; an acceptance re-checks eligibility and the veto on today's date."""
    reg = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("competition", "person")
        .get(pk=registration.pk)
    )
    case = reg.competition
    if case.state != State.REGISTRATION_CLOSED:
        _refuse(_("不在资格审查阶段。"), "state")
    if reg.status not in (RegStatus.REGISTERED, RegStatus.QUALIFIED, RegStatus.REFUSED):
        _refuse(_("该报名已撤回，无需审查。"), "state")
    if accept:
        reasons = eligibility.refusals(reg.person, plan=case.rules, organization=case.organization, on=clock.today())
        if reasons:
            raise CompetitionRefused(
                [_("%(name)s资格审查不能通过：%(reason)s") % {"name": reg.person.name, "reason": r} for r in reasons],
                code="ineligible",
            )
    elif not reason.strip():
        _refuse(_("不予通过须写明理由。"), "reason")
    before = reg.status
    reg.status = RegStatus.QUALIFIED if accept else RegStatus.REFUSED
    reg.reason = reason or ("符合报名条件。" if accept else "")
    reg.save(update_fields=["status", "reason"])
    _event(
        acting_user, "qualification", case, before=before, after=reg.status, reason=reg.reason, person=reg.person.name
    )
    return reg


def quota_flags(case: Competition) -> list[dict]:
    """Per post: qualified count against the plan's minimum; `short` when fewer than required."""
    flags = []
    for post_id, item in plan_posts(case.rules).items():
        qualified = case.registrations.filter(post_id=post_id, status=RegStatus.QUALIFIED).count()
        required = int(item.get("min_candidates", item.get("seats", 1)))
        flags.append(
            {
                "post_id": post_id,
                "post": item.get("name", ""),
                "qualified": qualified,
                "required": required,
                "short": qualified < required,
            }
        )
    return flags


def qualification_complete(case: Competition) -> bool:
    return not case.registrations.filter(status=RegStatus.REGISTERED).exists()


@transaction.atomic
def qualification_finish(*, competition, acting_user) -> Competition:
    """Close the review: every registration decided; draw numbers given per post in registration order."""
    case = _locked(competition)
    if not qualification_complete(case):
        _refuse(_("尚有报名未审查。"), "pending")
    for post_id in plan_posts(case.rules):
        regs = case.registrations.filter(post_id=post_id, status=RegStatus.QUALIFIED).order_by("registered_at", "pk")
        for number, reg in enumerate(regs, start=1):
            reg.number = number
            reg.save(update_fields=["number"])
    case.move_to(State.QUALIFIED)
    case.save(update_fields=["state"])
    flags = [f for f in quota_flags(case) if f["short"]]
    _event(
        acting_user,
        "qualification_done",
        case,
        before=State.REGISTRATION_CLOSED,
        after=State.QUALIFIED,
        short_posts=[f["post"] for f in flags],
    )
    return case


# --- Scoring sitting ---------------------------------------------------------------------------------------


def _person_of(user):
    profile = profile_of(user)
    return profile.person if profile and profile.person_id else None


def judge_accounts(people) -> list:
    """The login of each judge picked from the registry, in order; refused ("no_account") naming every picked
    person without an active account holding the judge role.

    Decision: a judge must have an account. Each judge marks their own sheet, locked on submission, on the
    judge page; the paper route (two officers keying the same sheet) also keys it to the judge's account,
    because `ScoreSheet` and `JudgeAssignment` — and the recusal check — are tied to that login. The
    recorder therefore does not mark for a judge who has none: the bureau gives them an account first.
    """
    from cadres.models import Person, Profile

    people = list(dict.fromkeys(people))
    if any(not isinstance(p, Person) for p in people):
        _refuse(_("评委须从人员库中选择，不接受手工填写的姓名。"), "not_in_registry")
    profiles = {
        pr.person_id: pr.user for pr in Profile.objects.filter(person__in=people).select_related("user", "person")
    }
    missing, not_judge, users = [], [], []
    for person in people:
        user = profiles.get(person.pk)
        if user is None or not user.is_active:
            missing.append(person)
        elif not has_role(user, Role.JUDGE):
            not_judge.append(person)
        else:
            users.append(user)
    problems = []
    if missing:
        problems.append(
            _("%(names)s没有系统账号，不能在线评分；请先由教育局为其开通账号并授予评委角色。")
            % {"names": "、".join(person_label(p) for p in missing)}
        )
    if not_judge:
        problems.append(
            _("%(names)s的账号没有评委角色，请先授予评委角色。")
            % {"names": "、".join(person_label(p) for p in not_judge)}
        )
    if problems:
        raise CompetitionRefused(problems, code="no_account")
    return users


@transaction.atomic
def judges_assign(*, competition, acting_user, post, judges) -> list[JudgeAssignment]:
    """Set a post's panel from registry people (`judge_accounts`); a judge who is a candidate of the post or a
    candidate's kin is recused and recorded."""
    case = _locked(competition)
    if case.state != State.QUALIFIED:
        _refuse(_("资格审查完成后、评分开始前方可设置评委。"), "state")
    if post.pk not in plan_posts(case.rules):
        _refuse(_("该岗位不在本次竞聘方案中。"), "post")
    if not judges:
        _refuse(_("请选择评委。"), "no_judges")
    judges = judge_accounts(judges)
    candidates = [r.person for r in case.registrations.filter(post=post, status=RegStatus.QUALIFIED)]
    found = exclusions(judges, candidates)
    recused = {}
    for ex in found:
        recused.setdefault(ex.user_id, ex.reason)
    JudgeAssignment.objects.filter(competition=case, post=post).delete()
    rows = []
    for number, judge in enumerate(judges, start=1):
        rows.append(
            JudgeAssignment.objects.create(
                competition=case,
                post=post,
                judge=judge,
                number=number,
                recused=judge.pk in recused,
                recusal_reason=recused.get(judge.pk, ""),
            )
        )
    record_exclusions(found, actor=acting_user, obj=case, context=f"competition.judges:{post.name}")
    _event(acting_user, "judges", case, post=post.name, judges=len(judges), recused=len(recused))
    return rows


def panel(case: Competition, post_id: int) -> list[JudgeAssignment]:
    return list(case.judges.filter(post_id=post_id, recused=False).select_related("judge").order_by("number"))


@transaction.atomic
def sitting_open(*, competition, acting_user) -> Competition:
    case = _locked(competition)
    if case.state != State.QUALIFIED:
        _refuse(_("资格审查完成后方可开始评分。"), "state")
    for post_id, item in plan_posts(case.rules).items():
        if case.registrations.filter(post_id=post_id, status=RegStatus.QUALIFIED).exists() and not panel(case, post_id):
            _refuse(_("%(post)s尚未设置评委。") % {"post": item.get("name")}, "no_judges")
    case.move_to(State.SITTING_OPEN)
    case.sitting_opened_at = clock.now()
    case.save(update_fields=["state", "sitting_opened_at"])
    _event(acting_user, "sitting_open", case, before=State.QUALIFIED, after=State.SITTING_OPEN)
    return case


def _parse_scores(case: Competition, scores) -> tuple[list[dict], Decimal]:
    criteria = case.rules.get("criteria") or DEFAULT_CRITERIA
    if len(scores) != len(criteria):
        _refuse(_("评分表应有%(n)s项得分。") % {"n": len(criteria)}, "shape")
    rows, total = [], Decimal(0)
    for crit, value in zip(criteria, scores, strict=True):
        try:
            score = Decimal(str(value))
        except (InvalidOperation, TypeError):
            _refuse(_("“%(item)s”得分不是有效数值。") % {"item": crit["name"]}, "shape")
        maximum = Decimal(str(crit["max_points"]))
        if not score.is_finite() or score < 0 or score > maximum or score != score.quantize(Decimal("0.01")):
            _refuse(
                _("“%(item)s”得分应在0至%(max)s之间，最多两位小数。")
                % {"item": crit["name"], "max": crit["max_points"]},
                "range",
            )
        rows.append({"name": crit["name"], "max_points": crit["max_points"], "score": str(score)})
        total += score
    return rows, total


def _judge_may_score(case: Competition, reg: Registration, judge) -> None:
    if case.state != State.SITTING_OPEN:
        _refuse(_("评分尚未开始或已经结束，不能评分。"), "sitting_closed")
    assignment = case.judges.filter(post_id=reg.post_id, judge=judge).first()
    if assignment is None:
        _refuse(_("您不是该岗位的评委。"), "not_assigned")
    own = _person_of(judge)
    if assignment.recused or (own is not None and (own.pk == reg.person_id or own.pk in kin_ids(reg.person_id))):
        _refuse(_("您与%(name)s有亲属关系或为本人，须回避，不能评分。") % {"name": reg.person.name}, "recused")
    if reg.status != RegStatus.QUALIFIED:
        _refuse(_("该竞聘人不在评分名单中。"), "not_candidate")


@transaction.atomic
def sheet_submit(*, registration, acting_user, scores, comment: str = "") -> ScoreSheet:
    """A judge's own sheet for one candidate, locked once saved (a second submission is refused)."""
    reg = Registration.objects.select_related("competition", "person").get(pk=registration.pk)
    case = Competition.objects.get(pk=reg.competition_id)
    _judge_may_score(case, reg, acting_user)
    rows, total = _parse_scores(case, scores)
    return _save_sheet(case, reg, acting_user, rows, total, comment, paper=False, entered_by=acting_user)


def _save_sheet(case, reg, judge, rows, total, comment, *, paper, entered_by) -> ScoreSheet:
    try:
        with transaction.atomic():
            sheet = ScoreSheet.objects.create(
                registration=reg,
                judge=judge,
                scores=rows,
                total=total.quantize(Decimal("0.01")),
                comment=comment,
                paper=paper,
                entered_by=entered_by,
                submitted_at=clock.now(),
            )
    except IntegrityError as exc:
        raise CompetitionRefused(_("该评分表已提交并锁定，不得更改。"), code="locked") from exc
    _event(
        entered_by,
        "sheet",
        case,
        after="locked",
        person=reg.person.name,
        judge=judge.get_username(),
        total=str(total),
        paper=paper,
    )
    return sheet


@transaction.atomic
def paper_entry(*, registration, acting_user, judge, scores, comment: str = "") -> ScoreSheet | None:
    """Key a paper sheet: the first entry waits; a second entry by another officer must match it exactly."""
    reg = Registration.objects.select_related("competition", "person").get(pk=registration.pk)
    case = Competition.objects.select_for_update().get(pk=reg.competition_id)
    _judge_may_score(case, reg, judge)
    rows, total = _parse_scores(case, scores)
    if ScoreSheet.objects.filter(registration=reg, judge=judge).exists():
        _refuse(_("该评分表已提交并锁定，不得更改。"), "locked")
    previous = list(PaperEntry.objects.filter(registration=reg, judge=judge))
    if any(p.officer_id == acting_user.pk for p in previous):
        _refuse(_("同一人不能两次录入同一张评分表，须由另一名工作人员核录。"), "same_officer")
    if not previous:
        PaperEntry.objects.create(registration=reg, judge=judge, officer=acting_user, scores=rows)
        _event(acting_user, "paper_entry", case, after="first", person=reg.person.name, judge=judge.get_username())
        return None
    if previous[0].scores != rows:
        _event(acting_user, "paper_mismatch", case, person=reg.person.name, judge=judge.get_username())
        _refuse(_("两次录入不一致，请核对纸质评分表后重新录入。"), "mismatch")
    PaperEntry.objects.create(registration=reg, judge=judge, officer=acting_user, scores=rows)
    return _save_sheet(case, reg, judge, rows, total, comment, paper=True, entered_by=acting_user)


def _score(value, label) -> Decimal:
    try:
        score = Decimal(str(value))
    except (InvalidOperation, TypeError):
        _refuse(_("%(label)s不是有效数值。") % {"label": label}, "shape")
    if not score.is_finite() or not Decimal(0) <= score <= Decimal(100) or score != score.quantize(Decimal("0.01")):
        _refuse(_("%(label)s应在0至100之间，最多两位小数。") % {"label": label}, "range")
    return score


@transaction.atomic
def other_scores_enter(*, registration, acting_user, evaluation, performance) -> Registration:
    reg = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("competition", "person")
        .get(pk=registration.pk)
    )
    if reg.competition.state != State.SITTING_OPEN:
        _refuse(_("评分进行期间方可录入民主测评和工作业绩成绩。"), "state")
    if reg.status != RegStatus.QUALIFIED:
        _refuse(_("该竞聘人不在评分名单中。"), "not_candidate")
    reg.evaluation, reg.performance = _score(evaluation, _("民主测评成绩")), _score(performance, _("工作业绩成绩"))
    reg.save(update_fields=["evaluation", "performance"])
    _event(
        acting_user,
        "other_scores",
        reg.competition,
        person=reg.person.name,
        evaluation=str(reg.evaluation),
        performance=str(reg.performance),
    )
    return reg


def post_inputs(case: Competition, post_id: int) -> tuple[list[CandidateScores], list[str]]:
    judges = panel(case, post_id)
    labels = {a.judge_id: a.label for a in judges}
    on = clock.today()
    candidates = []
    for reg in case.registrations.filter(post_id=post_id, status__in=RANKED_STATUSES).select_related("person"):
        sheets = {labels[s.judge_id]: s.total for s in reg.sheets.all() if s.judge_id in labels}
        candidates.append(
            CandidateScores(
                key=reg.pk,
                name=reg.person.name,
                number=reg.number or 0,
                sheets=sheets,
                evaluation=reg.evaluation,
                performance=reg.performance,
                years_of_teaching=span_between(reg.person.work_start_date, on).years,
            )
        )
    return candidates, [a.label for a in judges]


RANKED_STATUSES = (RegStatus.QUALIFIED, RegStatus.SHORTLISTED)


def missing_for(case: Competition) -> list[str]:
    missing = []
    for post_id, item in plan_posts(case.rules).items():
        candidates, judges = post_inputs(case, post_id)
        if candidates:
            missing += [
                _("%(post)s：%(item)s") % {"post": item.get("name"), "item": m}
                for m in missing_items(candidates, judges)
            ]
    return missing


@transaction.atomic
def sitting_close(*, competition, acting_user) -> Competition:
    case = _locked(competition)
    if case.state != State.SITTING_OPEN:
        _refuse(_("评分未在进行中。"), "state")
    missing = missing_for(case)
    if missing:
        raise CompetitionRefused([_("评分尚未完成，不能结束："), *missing], code="incomplete")
    case.move_to(State.SCORED)
    case.sitting_closed_at = clock.now()
    case.save(update_fields=["state", "sitting_closed_at"])
    _event(acting_user, "sitting_close", case, before=State.SITTING_OPEN, after=State.SCORED)
    return case


@transaction.atomic
def ranking_compute(*, competition, acting_user) -> dict[int, list]:
    """Score and rank every post from the frozen plan; the top `seats × inspect_top` go to inspection."""
    case = _locked(competition)
    verify_frozen(case)
    if case.state != State.SCORED:
        _refuse(_("评分结束后方可计算排名。"), "state")
    rules = ScoringRules.from_plan(case.rules)
    results = {}
    for post_id, item in plan_posts(case.rules).items():
        candidates, judges = post_inputs(case, post_id)
        if not candidates:
            continue
        try:
            ranked = rank_post(candidates, judges, rules)
        except IncompleteScores as exc:
            raise CompetitionRefused(exc.missing, code="incomplete") from exc
        top = shortlist_size(case.rules, item)
        for result in ranked:
            shortlisted = result.rank <= top
            Registration.objects.filter(pk=result.key).update(
                speech=result.speech,
                dropped=result.dropped,
                composite=result.composite,
                rank=result.rank,
                shortlisted=shortlisted,
                trace=result.trace,
                status=RegStatus.SHORTLISTED if shortlisted else RegStatus.QUALIFIED,
            )
        results[post_id] = ranked
    case.move_to(State.RANKED)
    case.save(update_fields=["state"])
    _event(
        acting_user,
        "ranking",
        case,
        before=State.SCORED,
        after=State.RANKED,
        ranks={str(k): [[r.name, str(r.composite), r.rank] for r in v] for k, v in results.items()},
    )
    return results


# --- Inspection, decision, 公示, appointment -------------------------------------------------------------


@transaction.atomic
def inspection_record(*, registration, acting_user, opinion: str) -> Registration:
    reg = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("competition", "person")
        .get(pk=registration.pk)
    )
    if reg.competition.state != State.RANKED:
        _refuse(_("不在考察阶段。"), "state")
    if reg.status != RegStatus.SHORTLISTED:
        _refuse(_("只考察排名靠前的考察对象。"), "not_shortlisted")
    if not opinion.strip():
        _refuse(_("须填写考察意见。"), "opinion")
    reg.inspection = opinion
    reg.save(update_fields=["inspection"])
    _event(acting_user, "inspection", reg.competition, person=reg.person.name)
    return reg


def inspection_complete(case: Competition) -> bool:
    return not case.registrations.filter(status=RegStatus.SHORTLISTED, inspection="").exists()


@transaction.atomic
def inspection_finish(*, competition, acting_user) -> Competition:
    case = _locked(competition)
    if not inspection_complete(case):
        _refuse(_("尚有考察对象未完成考察。"), "pending")
    case.move_to(State.INSPECTED)
    case.save(update_fields=["state"])
    _event(acting_user, "inspection_done", case, before=State.RANKED, after=State.INSPECTED)
    return case


@transaction.atomic
def decision_meeting_record(*, competition, acting_user, held_on, name, form, members, present, votes):
    """党组织会议 decision: members and present are registry people; votes is person (or person id) →
    {registration id → agree/disagree/defer}; a member who is a candidate or a candidate's kin is recused.

    Asked as of `held_on`: refused ("future_date") after today, ("before_previous_step") before the
    registration closed, ("ineligible") when a candidate the meeting would pass is refused by
    `appointee_refusals` on that day, ("too_many") when a post would pass more than its seats.
    """
    case = _locked(competition)
    if case.state != State.INSPECTED:
        _refuse(_("考察完成后方可讨论决定。"), "state")
    _check_date(held_on, step=_("讨论决定会议"), after=window(case.rules)[1], after_step=_("报名截止"))
    shortlisted = {
        str(r.pk): r for r in case.registrations.filter(status=RegStatus.SHORTLISTED).select_related("person", "post")
    }
    votes = {who: {str(r): v for r, v in by.items()} for who, by in votes.items()}
    if any(key not in shortlisted for by in votes.values() for key in by):
        _refuse(_("表决对象不是考察对象。"), "candidate")
    names = [r.person.name for r in shortlisted.values()]
    # A person standing for two posts is voted on twice: the post tells the two lines apart.
    items = [
        meetings.Item(
            key, r.person.name if names.count(r.person.name) == 1 else f"{r.person.name}（{r.post.name}）", r.person
        )
        for key, r in shortlisted.items()
    ]

    def vet(outcomes: dict[str, str]) -> None:
        for post_id, item in plan_posts(case.rules).items():
            passed = [k for k, r in shortlisted.items() if r.post_id == post_id and outcomes.get(k) == voting.PASSED]
            if len(passed) > int(item.get("seats", 1)):
                _refuse(_("%(post)s通过人数超过竞聘职数，请重新表决。") % {"post": item.get("name")}, "too_many")
        passed = [r for k, r in shortlisted.items() if outcomes.get(k) == voting.PASSED]
        appointee_refusals(case, passed, on=held_on, step=_("讨论决定"))

    meeting = school_meeting_record(
        case=case,
        purpose=meetings.Purpose.DECISION,
        held_on=held_on,
        name=name,
        form=form,
        members=members,
        present=present,
        votes=votes,
        items=items,
        ratio=Fraction(str(case.rules.get("quorum", "2/3"))),
        recorded_by=acting_user,
        vet=vet,
    )
    outcomes = {r.item: r.outcome for r in meeting.results()}
    for key, reg in shortlisted.items():
        outcome = outcomes.get(key)
        if outcome == voting.PASSED:
            reg.status = RegStatus.DECIDED
        elif outcome == voting.FAILED:
            reg.status = RegStatus.NOT_PASSED
        reg.save(update_fields=["status"])
    if not case.registrations.filter(status=RegStatus.SHORTLISTED).exists():
        case.move_to(State.DECIDED if case.has_appointee else State.NOT_DECIDED)
        case.save(update_fields=["state"])
    _event(
        acting_user,
        "decision",
        case,
        before=State.INSPECTED,
        after=case.state,
        due=meeting.due,
        present=meeting.present,
        outcomes=outcomes,
        recused=meeting.tally.get("recused", {}),
    )
    return meeting


def decision_settled(case: Competition) -> bool:
    return case.state in (State.DECIDED, State.NOT_DECIDED)


@transaction.atomic
def publicity_open(*, competition, acting_user, start: dt.date, workdays: int) -> Competition:
    case = _locked(competition)
    if case.state != State.DECIDED:
        _refuse(_("决定聘任后方可公示。"), "state")
    decided_on = (
        case.meetings.filter(purpose=meetings.Purpose.DECISION).order_by("-held_on").values_list("held_on", flat=True)
    ).first()
    _check_date(start, step=_("任前公示开始"), after=decided_on, after_step=_("讨论决定会议"))
    try:
        span = publicity.publicity_period(start, workdays, minimum=5)
    except publicity.PublicityError as exc:
        raise CompetitionRefused(exc.template, exc.code, exc.params) from exc
    case.publicity_start, case.publicity_end, case.publicity_workdays = span.start, span.end, workdays
    case.move_to(State.PUBLICISED)
    case.save(update_fields=["publicity_start", "publicity_end", "publicity_workdays", "state"])
    _event(
        acting_user,
        "publicity",
        case,
        before=State.DECIDED,
        after=State.PUBLICISED,
        start=str(span.start),
        end=str(span.end),
        workdays=workdays,
    )
    return case


@transaction.atomic
def objection_record(*, competition, acting_user, registration, received_on, summary) -> meetings.Objection:
    case = _locked(competition)
    if case.state != State.PUBLICISED:
        _refuse(_("公示期间方可登记反映问题。"), "state")
    obj = meetings.objection_record(
        process=case, subject=registration.person, received_on=received_on, content=summary, recorded_by=acting_user
    )
    _event(acting_user, "objection", case, person=registration.person.name, summary=summary)
    return obj


@transaction.atomic
def objection_resolve(*, objection, acting_user, upheld: bool, finding: str) -> meetings.Objection:
    try:
        meetings.objection_resolve(objection=objection, upheld=upheld, finding=finding, resolved_by=acting_user)
    except meetings.MeetingRefused as exc:
        _refused_from(exc)
    case = Competition.objects.get(pk=objection.process_id)
    _event(acting_user, "objection_resolved", case, after=objection.status, reason=finding)
    return objection


def probation_end_for(start: dt.date) -> dt.date:
    """One year: the day before the first anniversary (29 Feb → 28 Feb)."""
    try:
        anniversary = start.replace(year=start.year + 1)
    except ValueError:
        anniversary = start.replace(year=start.year + 1, day=28) + dt.timedelta(days=1)
    return anniversary - dt.timedelta(days=1)


@transaction.atomic
def appointment_make(*, competition, acting_user, document_number: str) -> list[Tenure]:
    """After the 公示 period with no objection pending: tenures with a 1-year probation for each appointee.

    Refused ("ineligible") when an appointee is refused today by `appointee_refusals` (a sanction recorded
    during the 公示 stops the appointment), naming the record and the last day it blocks.

    A post the plan puts up for 全员竞聘: once at least one of its winners is appointed, every holder sitting
    on it today is released — their tenure ends today (the day the 免职 takes effect, so the seat is free
    for the winner who starts today) — in this same transaction. A holder who won again gets a new tenure
    (a new appointment, with the probation of every competition appointment). A post with no winner keeps
    its holders."""
    case = _locked(competition)
    if case.state != State.PUBLICISED:
        _refuse(_("公示结束后方可聘任。"), "state")
    if not document_number.strip():
        _refuse(_("须填写聘任文号。"), "number")
    on = clock.today()
    reopened = {
        post_id: list(Tenure.objects.filter(holding_on(on), post_id=post_id).select_related("person"))
        for post_id, line in plan_lines(case.rules).items()
        if line.reopens_occupied
    }
    tenures = []
    for reg in case.registrations.filter(status=RegStatus.DECIDED).select_related("person", "post"):
        states = meetings.objection_states(case, reg.person)
        try:
            publicity.check_appointable(end=case.publicity_end, on=on, objections=states)
        except publicity.PublicityError as exc:
            if exc.code == "objection_upheld":
                reg.status = RegStatus.ENDED
                reg.save(update_fields=["status"])
                continue
            raise CompetitionRefused(exc.template, exc.code, exc.params) from exc
        appointee_refusals(case, [reg], on=on, step=_("聘任"))
        tenure = Tenure.objects.create(
            person=reg.person,
            post=reg.post,
            start_date=on,
            document_number=document_number,
            method=c.AppointmentMethod.COMPETITIVE,
            probation_end=probation_end_for(on),
        )
        tenures.append(tenure)
        reg.status, reg.tenure = RegStatus.APPOINTED, tenure
        reg.save(update_fields=["status", "tenure"])
    released = []
    for post_id, holders in reopened.items():
        if any(t.post_id == post_id for t in tenures):
            for held in holders:
                held.end_date = on
                held.save(update_fields=["end_date"])
                released.append(held)
    case.move_to(State.APPOINTED)
    case.document_number, case.appointed_on = document_number, on
    case.save(update_fields=["state", "document_number", "appointed_on"])
    _event(
        acting_user,
        "appoint",
        case,
        before=State.PUBLICISED,
        after=State.APPOINTED,
        tenures=[t.pk for t in tenures],
        released=[f"{t.person.name}（{t.post.name}）" for t in released],
        document_number=document_number,
    )
    return tenures


@transaction.atomic
def report_file(*, competition, acting_user, summary: str) -> Competition:
    case = _locked(competition)
    if case.state not in (State.APPOINTED, State.NOT_DECIDED):
        _refuse(_("聘任完成后方可报备结果。"), "state")
    before = case.state
    case.move_to(State.REPORTED)
    case.reported_on = clock.today()
    case.save(update_fields=["state", "reported_on"])
    _event(acting_user, "report", case, before=before, after=State.REPORTED, reason=summary)
    return case


CONFIRMED = "confirmed"
REVERTED = "reverted"


@transaction.atomic
def probation_conclude(*, registration, acting_user, confirmed: bool, reason: str) -> Registration:
    """试用期满考核: from the probation's last day on; a failed review ends the tenure (免去试任职务).

    A confirmation is refused ("ineligible") while the POST_PROMOTION veto blocks the person today, naming
    the record and its last blocking day; a reversion is never refused."""
    reg = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("competition", "person", "tenure")
        .get(pk=registration.pk)
    )
    case = reg.competition
    if case.state != State.REPORTED or reg.status != RegStatus.APPOINTED or reg.tenure_id is None:
        _refuse(_("只有已聘任人员才能进行试用期满考核。"), "state")
    if reg.probation_result:
        _refuse(_("试用期满考核已经完成。"), "done")
    on = clock.today()
    if on < reg.tenure.probation_end:
        _refuse(_("试用期至%(end)s届满，届满后方可考核。") % {"end": _cn(reg.tenure.probation_end)}, "not_ended")
    if not reason.strip():
        _refuse(_("须填写考核意见。"), "reason")
    if confirmed:  # a sanction during probation stops the confirmation (岗位聘用), never the reversion
        reasons = veto_reasons(reg.person, purposes=[VetoPurpose.POST_PROMOTION], on=on)
        if reasons:
            _refuse(
                _("%(name)s试用期满正式聘任时不符合条件：%(reason)s")
                % {"name": reg.person.name, "reason": "；".join(reasons)},
                "ineligible",
            )
    reg.probation_result, reg.probation_reason = (CONFIRMED if confirmed else REVERTED), reason
    reg.save(update_fields=["probation_result", "probation_reason"])
    if not confirmed:
        reg.tenure.end_date = on
        reg.tenure.save(update_fields=["end_date"])
    _event(acting_user, "probation", case, after=reg.probation_result, reason=reason, person=reg.person.name)
    return reg


def probation_complete(case: Competition) -> bool:
    return not case.registrations.filter(status=RegStatus.APPOINTED, probation_result="").exists()


@transaction.atomic
def probation_finish(*, competition, acting_user) -> Competition:
    case = _locked(competition)
    if not probation_complete(case):
        _refuse(_("尚有人员未进行试用期满考核。"), "pending")
    case.move_to(State.CONFIRMED)
    case.save(update_fields=["state"])
    _event(acting_user, "probation_done", case, before=State.REPORTED, after=State.CONFIRMED)
    return case
