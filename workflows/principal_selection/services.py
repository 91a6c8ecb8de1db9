"""Writes of a principal selection: one function per step, each atomic, each writing one audit event.

Every gate of the procedure is enforced here (not in views): stale recommendation, eligibility and veto
refusals, the inspection team, 破格 approval before inspection, the four musts before the decision,
quorum and majority, recusal, the publicity period, the appointment and the probation outcome.
Refusals raise `SelectionRefused` (a `cadres.refusals.Refusal`, still a `ValidationError` for the pages):
a stable `code`, the facts as `params` and a translatable message, so each reads in Chinese on the page and
in the request's language through the API.
"""

from __future__ import annotations

import datetime as dt
import json

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from audit.services import record_event
from cadres import choices as c
from cadres.corrections import CorrectionRefused, Difference, corrections_propose, differences
from cadres.ethics.purposes import VetoPurpose
from cadres.files import original_name
from cadres.models import Person, RegistryCorrection, Tenure
from cadres.refusals import Refusal
from cadres.roles import profile_of
from cadres.rules import NoRuleSetInForce, Purpose, evaluate, rule_set_in_force
from dossiers.content.support import add_months
from workflows.common import publicity, voting
from workflows.common.gates import date_refusal, veto_reasons
from workflows.common.recusal import exclusions
from workflows.meetings import services as meetings

from . import pool
from .models import (
    ACTIVE_STATUSES,
    Candidate,
    CandidateStatus,
    CaseState,
    CheckKind,
    CheckRecord,
    IntegritySignature,
    Method,
    RecommendationRound,
    RecommendationVote,
    RoundForm,
    SelectionCase,
    StepNote,
)
from .rules import selection_params
from .selectors import display_name

LEVEL_RANK = {
    c.PostLevel.STAFF: 0,
    c.PostLevel.MIDDLE_DEPUTY: 1,
    c.PostLevel.MIDDLE_HEAD: 2,
    c.PostLevel.SCHOOL_DEPUTY: 3,
    c.PostLevel.SCHOOL_HEAD: 4,
}
METHOD_TO_TENURE = {
    Method.RECOMMENDATION: c.AppointmentMethod.APPOINTED,
    Method.COMPETITION: c.AppointmentMethod.COMPETITIVE,
    Method.OPEN_SELECTION: c.AppointmentMethod.OPEN_SELECTION,
}


def _event(case, acting_user, action, *, from_state="", reason="", **figures):
    return record_event(
        actor=acting_user,
        action=f"principal_selection.{action}",
        obj=case,
        from_state=from_state,
        to_state=case.state,
        reason=reason,
        payload=figures,
    )


class SelectionRefused(Refusal, ValidationError):
    """A gate said no: `code` names the rule, `messages` give every reason in the active language."""


def _refuse(message, code: str, *, reasons=None, **params):
    """Refuse with `message` (a lazy template with `%(name)s` placeholders filled from `params`) and any
    further `reasons` (one line each)."""
    raise SelectionRefused(message, code, params, reasons=reasons)


def _refuse_from(exc: Refusal):
    """Pass on a refusal of a shared rule (voting, publicity, rule sets) as this flow's own."""
    raise SelectionRefused(exc.template, exc.code, exc.params, reasons=exc.reasons) from exc


def _named(name: str, reason) -> str:
    return _("%(name)s：%(reason)s") % {"name": name, "reason": reason}


def _params(case):
    try:
        return selection_params(case.started_on)
    except NoRuleSetInForce as exc:
        _refuse_from(exc)


def shortlist_rule_set(post, on: dt.date):
    """The qualification rule set for `post`'s level in force on `on` (a 校长 post asks 任副职满2年, a 副校长
    post 任中层正职满3年); refuses ("no_rule_set") when none is in force."""
    try:
        return rule_set_in_force(Purpose.PRINCIPAL_SHORTLIST, on, post_level=post.level)
    except NoRuleSetInForce as exc:
        _refuse_from(exc)


def _tighter(code: str, key: str, base, new) -> bool:
    """Whether `new` asks at least as much as `base` (a case may tighten a rule, never loosen it)."""
    if key == "max_age":
        return new <= base
    if key in ("level", "secondary_level"):
        return c.EDUCATION_RANK.get(new, 0) >= c.EDUCATION_RANK.get(base or new, 0)
    if key == "title":
        return c.TITLE_RANK.get(new, 0) >= c.TITLE_RANK.get(base, 0)
    return new >= base


def qualification_overrides_check(overrides: dict, *, on: dt.date, post) -> dict:
    """Refuse ("qualification_looser") any override that loosens the shortlist rule set of `post`'s level in
    force on `on`, or names a rule or parameter the set does not have ("qualification_unknown"); returns the
    overrides."""
    items = {i.rule_code: i.params for i in shortlist_rule_set(post, on).items.all()}
    problems = []
    for code, params in (overrides or {}).items():
        if code not in items:
            _refuse(_l("规则集中没有“%(rule)s”。"), "qualification_unknown", rule=code)
        for key, value in params.items():
            if key not in items[code]:
                _refuse(_l("规则“%(rule)s”没有参数“%(key)s”。"), "qualification_unknown", rule=code, key=key)
            if not _tighter(code, key, items[code][key], value):
                problems.append(
                    _("%(rule)s.%(key)s：规则集为%(base)s，本案为%(value)s，只能从严不能放宽。")
                    % {"rule": code, "key": key, "base": items[code][key], "value": value}
                )
    if problems:
        _refuse(_l("本案资格条件只能从严，不能放宽："), "qualification_looser", reasons=problems)
    return overrides or {}


# 1. 动议 -----------------------------------------------------------------------------------------------


@transaction.atomic
def case_propose(
    *,
    case: SelectionCase,
    acting_user,
    post,
    started_on: dt.date,
    method: str = Method.RECOMMENDATION,
    posts_to_fill: int = 1,
    scope: str = "",
    plan: str = "",
    exceptional: bool = False,
    exceptional_reason: str = "",
    qualification_overrides: dict | None = None,
) -> SelectionCase:
    """Open the case: the post, the work plan and the rule sets in force on `started_on`.

    Refuses ("no_rule_set") when no procedure rule set, or no qualification rule set for the post's level,
    is in force on `started_on`: the case could not be run, so it is not opened.
    """
    try:
        params = selection_params(started_on)
    except NoRuleSetInForce as exc:
        _refuse_from(exc)
    shortlist_rule_set(post, started_on)
    _check_date(started_on, step=_("动议"))
    holders = post.tenures.filter(Q(end_date__isnull=True) | Q(end_date__gte=started_on), start_date__lte=started_on)
    if exceptional and not exceptional_reason.strip():
        _refuse(_l("破格或越级提拔须写明理由。"), "exception_reason")
    overrides = qualification_overrides_check(qualification_overrides or {}, on=started_on, post=post)
    case.post, case.started_on, case.method, case.posts_to_fill = post, started_on, method, posts_to_fill
    case.scope, case.plan, case.officer = scope, plan, acting_user
    case.exceptional, case.exceptional_reason = exceptional, exceptional_reason
    case.qualification_overrides = overrides
    case.move_to(CaseState.AWAITING_APPROVAL if exceptional else CaseState.PROPOSED)
    case.save()
    _event(
        case,
        acting_user,
        "propose",
        post=str(post),
        headcount=post.headcount,
        holders=holders.count(),
        method=Method(method).label,
        posts_to_fill=posts_to_fill,
        exceptional=exceptional,
        rule_set=params.rule_set_name,
        qualifications=overrides,
    )
    return case


@transaction.atomic
def exception_decide(*, case, acting_user, approved: bool, approved_on: dt.date, approver: str, reason: str = ""):
    """Record the superior department's answer on 破格/越级 (before inspection)."""
    if not case.exceptional:
        _refuse(_l("本案不属于破格或越级提拔。"), "not_exceptional")
    _check_date(approved_on, step=_("上级批复"), after=case.started_on, after_step=_("动议"))
    case.exception_approved, case.exception_approved_on, case.exception_approver = approved, approved_on, approver
    before = case.state
    # The answer comes after shortlisting (the graph's exception gate): an approval leaves the case where it
    # is (it used to be sent back to 已动议); a refusal ends it.
    if not approved:
        case.move_to(CaseState.REJECTED)
    elif case.state == CaseState.AWAITING_APPROVAL:
        case.move_to(CaseState.PROPOSED)
    if not approved:
        case.closing_reason = reason or _("上级组织（人事）部门未批准破格提拔。")
    case.save()
    _event(
        case,
        acting_user,
        "approve_exception",
        from_state=before,
        reason=reason,
        approved=approved,
        approved_on=approved_on,
        approver=approver,
    )
    return case


# 2. 民主推荐 --------------------------------------------------------------------------------------------


def _ranked(rows, attended: int) -> list[dict]:
    """Rows (person, votes) → votes, share of those attending (percent, one decimal) and rank (ties share one)."""
    out, rank, last = [], 0, None
    for index, (person, votes) in enumerate(sorted(rows, key=lambda r: (-r[1], r[0].pk)), start=1):
        if votes != last:
            rank, last = index, votes
        out.append(
            {
                "person_id": person.pk,
                "person": person,
                "name": person.name,
                "votes": votes,
                "share": round(100 * votes / (attended or 1), 1),
                "rank": rank,
            }
        )
    return out


def recommendation_tally(*, case, form: str, voters: list[dict], votes: dict, **_ignored) -> dict:
    """Check one round as `recommendation_record` will, and compute its tally, writing nothing (the preview).

    `voters`: [{category, due, attended}]; `votes`: {registry person id: votes}. Refuses ("attendance") a
    negative figure or a category attending more than due, ("no_quorum") a meeting round below the rule
    set's attendance ratio, ("unknown_person"), ("votes") a negative count, a count above those attending or
    a total above attending × posts. Returns {due, attended, quorum (meeting rounds, else None), rows}, rows
    ranked as `round_results` ranks a recorded round.
    """
    params = _params(case)
    problems = []
    for v in voters:
        due, att = int(v["due"]), int(v["attended"])
        if due < 0 or att < 0:
            problems.append(_("%(category)s：应到、实到人数不能为负数。") % {"category": v["category"]})
        elif att > due:
            problems.append(
                _("%(category)s：实到人数（%(attended)d）不能多于应到人数（%(due)d）。")
                % {"category": v["category"], "attended": att, "due": due}
            )
    if problems:
        _refuse(problems, "attendance")
    due = sum(int(v["due"]) for v in voters)
    attended = sum(int(v["attended"]) for v in voters)
    needed = None
    if form == RoundForm.MEETING:
        needed = voting.quorum(due, params.attendance_ratio)
        if not voting.has_quorum(due=due, present=attended, ratio=params.attendance_ratio):
            _refuse(
                _l("会议推荐应到%(due)s人，实到%(attended)s人，不足%(needed)s人（%(ratio)s），推荐无效。"),
                "no_quorum",
                due=due,
                attended=attended,
                needed=needed,
                ratio=str(params.attendance_ratio),
            )
    people = {p.pk: p for p in Person.objects.filter(pk__in=votes).select_related("organization")}
    missing = set(votes) - set(people)
    if missing:
        _refuse(_l("所选人员不在干部信息库中（%(count)s人），请重新选择。"), "unknown_person", count=len(missing))
    for pid, n in votes.items():
        if int(n) < 0:
            problems.append(_("%(name)s：得票数不能为负数。") % {"name": people[pid].name})
        elif int(n) > attended:
            problems.append(
                _("%(name)s：得票数（%(votes)d）不能多于参加推荐人数（%(attended)d）。")
                % {"name": people[pid].name, "votes": int(n), "attended": attended}
            )
    if problems:
        _refuse(problems, "votes")
    if sum(int(n) for n in votes.values()) > attended * case.posts_to_fill:
        _refuse(
            _l("得票总数多于参加人数与职数之积（%(attended)s×%(posts)s），请核对。"),
            "votes",
            attended=attended,
            posts=case.posts_to_fill,
        )
    return {
        "due": due,
        "attended": attended,
        "quorum": needed,
        "rows": _ranked([(people[pid], int(n)) for pid, n in votes.items()], attended),
    }


@transaction.atomic
def recommendation_record(*, case, acting_user, form: str, held_on: dt.date, voters: list[dict], votes: dict):
    """Record one round: voters by category ({category, due, attended}) and votes per registry person id.

    Every check is `recommendation_tally`'s (a meeting round is valid only with attendance ≥ ratio × due of
    the rule set: "no_quorum"); nothing is written when it refuses.
    """
    _check_date(held_on, step=_("民主推荐"), after=case.started_on, after_step=_("动议"))
    tally = recommendation_tally(case=case, form=form, voters=voters, votes=votes)
    due, attended = tally["due"], tally["attended"]
    rnd = RecommendationRound.objects.create(
        case=case, form=form, held_on=held_on, voters=voters, recorded_by=acting_user
    )
    pool_ids = pool.pool_member_ids(post=case.post, on=held_on)
    for row in tally["rows"]:
        person = row["person"]
        RecommendationVote.objects.create(round=rnd, person=person, votes=row["votes"])
        cand, _created = Candidate.objects.get_or_create(case=case, person=person)
        if person.pk in pool_ids and not cand.from_pool:
            cand.from_pool = True
            cand.save(update_fields=["from_pool"])
    ranked = round_results(rnd)
    _event(
        case,
        acting_user,
        f"recommend.{form}",
        form=RoundForm(form).label,
        held_on=held_on,
        due=due,
        attended=attended,
        results=[{"name": r["name"], "votes": r["votes"], "share": r["share"], "rank": r["rank"]} for r in ranked],
    )
    if recommendation_complete(case):
        before = case.state
        case.move_to(CaseState.RECOMMENDED)
        case.save(update_fields=["state"])
        _event(case, acting_user, "recommend", from_state=before, rounds=case.rounds.count())
    return rnd


def round_results(rnd: RecommendationRound) -> list[dict]:
    """Votes, share of those attending (percent, one decimal) and rank (ties share a rank)."""
    return [
        {k: v for k, v in row.items() if k != "person"}
        for row in _ranked([(v.person, v.votes) for v in rnd.votes.select_related("person")], rnd.attended)
    ]


def recommendation_complete(case) -> bool:
    forms = set(case.rounds.values_list("form", flat=True))
    return {RoundForm.TALK, RoundForm.MEETING} <= forms


def recommendation_valid_until(case) -> dt.date | None:
    """The last day the latest meeting recommendation may be used (rule-set months after it was held)."""
    last = case.rounds.filter(form=RoundForm.MEETING).order_by("-held_on").first()
    if last is None:
        return None
    return add_months(last.held_on, _params(case).recommendation_valid_months) - dt.timedelta(days=1)


# 3. 确定考察对象 -----------------------------------------------------------------------------------------


def candidate_refusals(person, *, case, on: dt.date, promotion: bool = False) -> list[str]:
    """Every reason `person` may not be an inspection target on `on`: rule-set refusals, then the veto.

    The one check of a candidate, asked at every decisive step as of that step's date: shortlisting,
    讨论决定 and 任职 (the veto for SHORTLISTING, and for POST_PROMOTION too when `promotion`; see
    `workflows.common.gates` for the purposes of each gate).
    """
    try:
        result = evaluate(
            person,
            purpose=Purpose.PRINCIPAL_SHORTLIST,
            on=on,
            overrides=case.qualification_overrides,
            post_level=case.post.level,
        )
    except NoRuleSetInForce as exc:
        _refuse_from(exc)
    reasons = [r.message for r in result.refusals]
    purposes = [VetoPurpose.SHORTLISTING] + ([VetoPurpose.POST_PROMOTION] if promotion else [])
    return reasons + veto_reasons(person, purposes=purposes, on=on)


def _refuse_candidates(candidates, *, case, on: dt.date, step: str, promotion_post=None):
    """Refuse ("ineligible") when any of `candidates` fails `candidate_refusals` on `on`, naming each reason."""
    reasons = []
    for cand in candidates:
        promotion = promotion_post is not None and is_promotion(cand.person, promotion_post, on)
        reasons += [
            _named(cand.person.name, r) for r in candidate_refusals(cand.person, case=case, on=on, promotion=promotion)
        ]
    if reasons:
        _refuse(_l("%(step)s时不符合条件："), "ineligible", reasons=reasons, step=step)


def _check_date(day: dt.date, *, step: str, after: dt.date | None = None, after_step: str = ""):
    refusal = date_refusal(day, step=step, after=after, after_step=after_step)
    if refusal:
        _refuse(refusal[0], refusal[1])


@transaction.atomic
def candidates_shortlist(*, case, acting_user, people: list, team: list, on: dt.date):
    """Choose the inspection targets and the inspection team.

    Refuses ("stale_recommendation") when the meeting recommendation is older than its validity,
    ("too_few") with fewer than posts + extra candidates, ("ineligible") listing every refusal of every
    candidate, ("team_size") with a team below the rule set's minimum, ("team_recusal") when a member is a
    candidate or a candidate's kin, ("future_date") when `on` is after today.
    """
    last_round = case.rounds.order_by("-held_on").values_list("held_on", flat=True).first()
    _check_date(on, step=_("确定考察对象"), after=last_round, after_step=_("民主推荐"))
    params = _params(case)
    valid_until = recommendation_valid_until(case)
    if valid_until is None:
        _refuse(_l("尚未进行会议推荐，不能确定考察对象。"), "no_recommendation")
    if on > valid_until:
        _refuse(_l("民主推荐结果有效期至%(until)s，已过期，须重新推荐。"), "stale_recommendation", until=valid_until)
    needed = case.posts_to_fill + params.extra_candidates
    if len(people) < needed:
        _refuse(
            _l("考察对象应多于拟任职数，至少%(needed)s人，现%(count)s人。"), "too_few", needed=needed, count=len(people)
        )
    recommended = set(case.candidates.values_list("person_id", flat=True))
    pool_ids = pool.pool_member_ids(post=case.post, on=on)
    reasons = []
    for person in people:
        if person.pk not in recommended and person.pk not in pool_ids:
            reasons.append(_named(person.name, _("未经民主推荐，也不是后备干部。")))
        reasons += [_named(person.name, r) for r in candidate_refusals(person, case=case, on=on)]
    if reasons:
        _refuse(_l("%(step)s时不符合条件："), "ineligible", reasons=reasons, step=_l("确定考察对象"))
    if len(team) < params.min_inspection_team:
        _refuse(_l("考察组不得少于%(n)s人。"), "team_size", n=params.min_inspection_team)
    conflicts = exclusions(team, people)
    if conflicts:
        _refuse(
            _l("考察组成员须回避："),
            "team_recusal",
            reasons=[
                _("考察组成员%(member)s：%(reason)s（%(person)s）")
                % {"member": x.user_name, "reason": x.reason, "person": x.person_name}
                for x in conflicts
            ],
        )
    chosen = {p.pk for p in people}
    for cand in case.candidates.all():
        if cand.person_id not in chosen and cand.status != CandidateStatus.RECOMMENDED:
            cand.status = CandidateStatus.RECOMMENDED
            cand.save(update_fields=["status"])
    for person in people:
        cand, _created = Candidate.objects.get_or_create(case=case, person=person)
        cand.status = CandidateStatus.SHORTLISTED
        cand.from_pool = cand.from_pool or person.pk in pool_ids
        cand.eligibility = {
            "on": on.isoformat(),
            "rule_set": shortlist_rule_set(case.post, on).name,
            "refusals": [],
        }
        cand.save()
        if cand.from_pool:
            pool.mark_shortlisted(person=person, case=case, acting_user=acting_user)
    case.inspection_team.set(team)
    before = case.state
    case.move_to(CaseState.SHORTLISTED)
    case.save(update_fields=["state"])
    _event(
        case,
        acting_user,
        "shortlist",
        from_state=before,
        candidates=[p.name for p in people],
        posts=case.posts_to_fill,
        team=[u.get_username() for u in team],
        on=on,
        recommendation_valid_until=valid_until,
    )


# 4. 考察 and the four musts ------------------------------------------------------------------------------


def _shortlisted(case):
    return list(case.candidates.filter(status__in=ACTIVE_STATUSES).select_related("person"))


def _shortlisted_on(case) -> dt.date | None:
    """The date of the shortlisting (recorded with each candidate's eligibility), None before it."""
    days = [
        dt.date.fromisoformat(cand.eligibility["on"])
        for cand in case.candidates.all()
        if isinstance(cand.eligibility, dict) and cand.eligibility.get("on")
    ]
    return max(days, default=None)


@transaction.atomic
def inspection_record(*, case, acting_user, candidate, talks: int, evaluation: dict, report: dict):
    """The team's talks, 民主测评 counts and the three-part 考察材料 for one candidate.

    Refuses ("exception_not_approved") while a 破格/越级 case lacks the superior department's approval.
    """
    if case.exceptional and not case.exception_approved:
        _refuse(_l("破格或越级提拔须经上级组织（人事）部门批准后方可考察。"), "exception_not_approved")
    if candidate.status not in ACTIVE_STATUSES:
        _refuse(_l("%(name)s不是本案考察对象。"), "not_shortlisted", name=candidate.person.name)
    performance = report.get("performance") or {}
    aspects = ("morality", "ability", "diligence", "achievement", "integrity")
    if not all(str(performance.get(k, "")).strip() for k in aspects) or not all(
        str(report.get(part, "")).strip() for part in ("shortcomings", "opinion")
    ):
        _refuse(_l("考察材料须写明德、能、勤、绩、廉方面的主要表现，主要缺点和不足，以及考察意见。"), "report_parts")
    total = sum(int(evaluation.get(k, 0)) for k in ("excellent", "competent", "basic", "incompetent"))
    if talks < 1 or total < 1:
        _refuse(_l("须记录个别谈话人数和民主测评票数。"), "figures")
    candidate.talks, candidate.evaluation, candidate.report = talks, evaluation, report
    candidate.save(update_fields=["talks", "evaluation", "report"])
    _event(case, acting_user, "inspect", candidate=candidate.person.name, talks=talks, evaluation=evaluation)


def inspection_complete(case) -> bool:
    return all(c.talks is not None for c in _shortlisted(case))


def earliest_birth_date(entries: list[dict]) -> dt.date:
    """三龄两历一身份: on conflicting birth dates the earliest self-filled material wins.

    `entries` are {"date": date, "material_date": date, "self_filled": bool}; the birth date written in the
    earliest material the person filled in themself is taken.
    """
    own = [e for e in entries if e.get("self_filled")]
    if not own:
        raise ValueError(_("须至少有一份本人填写的材料。"))
    return min(own, key=lambda e: e["material_date"])["date"]


def dossier_findings(figures: dict) -> dict:
    """三龄两历一身份: what the dossier establishes, as registry fields — 出生年月 from the earliest self-filled
    birth date, the confirmed 参加工作时间 and 入党时间 (None where the review found nothing)."""
    findings = {
        RegistryCorrection.Field.WORK_START: figures.get("work_start"),
        RegistryCorrection.Field.PARTY_JOIN: figures.get("party_join"),
    }
    if figures.get("birth_entries"):
        if not any(e.get("self_filled") for e in figures["birth_entries"]):
            _refuse(_l("出生日期记载须至少有一份本人填写的材料。"), "birth_entries")
        findings[RegistryCorrection.Field.BIRTH_MONTH] = earliest_birth_date(figures["birth_entries"]).replace(day=1)
    return findings


def dossier_differences(person, figures: dict) -> list[Difference]:
    """Where the dossier and the registry differ, field by field (old → new): the page's preview."""
    return differences(person, dossier_findings(figures))


def _day(value) -> str:
    return value.strftime("%Y.%m.%d") if value else _("空")


def dossier_corrections(*, case, person, figures: dict, acting_user) -> list[str]:
    """Propose a registry correction per differing field (`cadres.corrections`; an officer confirms it);
    the registry itself is not written here. Refuses ("contradicts_id_card") a birth month the ID number
    contradicts. Returns one line per proposal for the step's record."""
    findings = dossier_findings(figures)
    if findings.get(RegistryCorrection.Field.BIRTH_MONTH):
        figures["confirmed_birth_month"] = findings[RegistryCorrection.Field.BIRTH_MONTH]
    try:
        made = corrections_propose(
            person=person,
            proposed=findings,
            acting_user=acting_user,
            source=_("校长选拔任用档案必审（%(case)s）") % {"case": case},
            reason=_("出生日期以最早的本人填写材料为准；参加工作时间、入党时间以档案核定为准。"),
        )
    except CorrectionRefused as exc:
        _refuse_from(exc)
    return [
        _("%(field)s：%(old)s → %(new)s（待确认）")
        % {"field": m.get_field_display(), "old": _day(m.old_value), "new": _day(m.new_value)}
        for m in made
    ]


def check_record(*, case, acting_user, candidate, kind: str, figures: dict, passed: bool = True):
    """Record one of the four musts for one candidate.

    Dossier review proposes corrections of the record (出生年月: earliest self-filled date wins; 参加工作时间,
    入党时间), each confirmed later by an officer (`cadres.corrections`); it never writes the registry. A
    personal-matters
    check with a large mismatch ("major") suspends the case (暂缓任用).

    Atomic; a savepoint of its own only for the two kinds that may be refused inside (a refused correction,
    the suspension's transition): the other two refuse before the block, so they write in the caller's
    transaction without one.
    """
    if candidate.status not in ACTIVE_STATUSES:
        _refuse(_l("%(name)s不是本案考察对象。"), "not_shortlisted", name=candidate.person.name)
    with transaction.atomic(savepoint=kind in (CheckKind.DOSSIER, CheckKind.PERSONAL_MATTERS)):
        _check_write(case=case, acting_user=acting_user, candidate=candidate, kind=kind, figures=figures, passed=passed)


def _check_write(*, case, acting_user, candidate, kind: str, figures: dict, passed: bool):
    before = case.state
    if kind == CheckKind.DOSSIER:
        figures["corrections"] = dossier_corrections(
            case=case, person=candidate.person, figures=figures, acting_user=acting_user
        )
    if kind == CheckKind.PERSONAL_MATTERS and figures.get("mismatch") == "major":
        passed = False
        case.move_to(CaseState.SUSPENDED)
        case.closing_reason = _("%(name)s个人有关事项报告与查核结果出入较大，暂缓任用。") % {
            "name": candidate.person.name
        }
        case.save(update_fields=["state", "closing_reason"])
    figures = json.loads(json.dumps(figures, cls=DjangoJSONEncoder))
    # One upsert on the unique (candidate, kind): a second record of the same must replaces the first
    # (recorded_at stays the first's).
    CheckRecord.objects.bulk_create(
        [CheckRecord(candidate=candidate, kind=kind, figures=figures, passed=passed, recorded_by=acting_user)],
        update_conflicts=True,
        unique_fields=["candidate", "kind"],
        update_fields=["figures", "passed", "recorded_by"],
    )
    _event(case, acting_user, kind, from_state=before, candidate=candidate.person.name, passed=passed, **figures)


def check_complete(case, kind: str) -> bool:
    """Whether every shortlisted candidate has the `kind` record (one query)."""
    return not case.candidates.filter(status__in=ACTIVE_STATUSES).exclude(checks__kind=kind).exists()


def missing_checks(case) -> list[str]:
    """'王某：档案必审' for every shortlisted candidate and must not yet recorded; inspections included."""
    missing = []
    for cand in _shortlisted(case):
        kinds = set(cand.checks.values_list("kind", flat=True))
        if cand.talks is None:
            missing.append(f"{cand.person.name}：考察")
        missing += [f"{cand.person.name}：{CheckKind(k).label}" for k in CheckKind.values if k not in kinds]
    return missing


@transaction.atomic
def integrity_sign(*, case, acting_user, capacity: str, conclusion: str):
    """One of the two signatures on the 廉洁自律结论性意见; needs every must recorded first."""
    missing = missing_checks(case)
    if missing:
        _refuse(_l("凡提四必尚未完成："), "checks_missing", reasons=missing)
    if not conclusion.strip():
        _refuse(_l("须填写结论性意见。"), "conclusion")
    IntegritySignature.objects.update_or_create(
        case=case, capacity=capacity, defaults={"signer": acting_user, "conclusion": conclusion}
    )
    _event(case, acting_user, "integrity_signoff", capacity=IntegritySignature.Capacity(capacity).label)
    if signoff_complete(case):
        before = case.state
        case.move_to(CaseState.INSPECTED)
        case.save(update_fields=["state"])
        _event(case, acting_user, "inspected", from_state=before)


def signoff_complete(case) -> bool:
    return case.signatures.count() == len(IntegritySignature.Capacity.values)


# 5. 讨论决定 ---------------------------------------------------------------------------------------------


@transaction.atomic
def meeting_record(
    *,
    case,
    acting_user,
    held_on: dt.date,
    name: str,
    members: list,
    present: list,
    votes: dict,
    reconsideration_in_favour: int | None = None,
) -> meetings.Meeting:
    """Record the decision meeting. `votes` is member user id → {candidate id → agree/disagree/defer}.

    Refuses ("checks_missing") before every must and both signatures are recorded, ("suspended") while the
    case is suspended, ("no_quorum") without ⌈ratio × due⌉ present, ("vote_missing") when a present member
    did not state a view, ("nothing_to_vote") when every candidate is decided, ("reconsideration") when a
    复议 (`reconsideration_in_favour` given) lacks more than half of the members in favour. A later meeting
    votes on the deferred candidates only; a 复议 votes again on every candidate not yet appointed.
    Members who are a candidate or a candidate's kin are recused automatically (their votes on that
    candidate are not counted, the exclusion is recorded). Each candidate passes with 同意 > due/2;
    缓议 keeps the candidate for a later meeting.
    Asked as of `held_on`: ("future_date") after today, ("before_previous_step") before the shortlisting or
    an earlier meeting, ("ineligible") when a candidate the meeting would pass is refused by the rule set or
    the veto on that day (SHORTLISTING, and POST_PROMOTION for a promotion) — the refusal names the record
    and its end date.
    """
    if case.state == CaseState.SUSPENDED:
        _refuse(
            _l("本案已暂缓任用：%(reason)s"), "suspended", reason=case.closing_reason or _l("个人有关事项查核未通过")
        )
    last_meeting = case.meetings.order_by("-held_on").values_list("held_on", flat=True).first()
    shortlisted_on = _shortlisted_on(case)
    if last_meeting and (shortlisted_on is None or last_meeting > shortlisted_on):
        _check_date(held_on, step=_("讨论决定"), after=last_meeting, after_step=_("上次讨论决定会议"))
    else:
        _check_date(held_on, step=_("讨论决定"), after=shortlisted_on, after_step=_("确定考察对象"))
    missing = missing_checks(case)
    if missing or not signoff_complete(case):
        _refuse(
            _l("凡提四必和廉洁结论未完成，不能提交讨论决定："),
            "checks_missing",
            reasons=missing or [_("廉洁自律结论性意见签字")],
        )
    params = _params(case)
    voting_on = [c for c in _shortlisted(case) if c.status in (CandidateStatus.SHORTLISTED, CandidateStatus.DEFERRED)]
    is_reconsideration = reconsideration_in_favour is not None
    if is_reconsideration:
        if not voting.reconsideration_allowed(members=len(members), in_favour=reconsideration_in_favour):
            _refuse(_l("复议须经超过半数成员（%(n)s人以上）同意。"), "reconsideration", n=len(members) // 2 + 1)
        voting_on = list(
            case.candidates.filter(status__in=(*ACTIVE_STATUSES, CandidateStatus.NOT_PASSED)).select_related("person")
        )
    if not voting_on:
        _refuse(_l("没有待表决的人选；已作出的决定须经复议方可重新表决。"), "nothing_to_vote")
    by_id = {str(c.pk): c for c in voting_on}

    def vet(outcomes: dict[str, str]) -> None:
        passed = [by_id[k] for k, outcome in outcomes.items() if outcome == voting.PASSED]
        _refuse_candidates(passed, case=case, on=held_on, step=_("讨论决定"), promotion_post=case.post)

    try:
        meeting = meetings.meeting_record(
            process=case,
            purpose=meetings.Purpose.DECISION,
            held_on=held_on,
            name=name,
            members=[_member(u) for u in members],
            present=[_member(u) for u in present],
            items=[meetings.Item(str(c.pk), c.person.name, c.person) for c in voting_on],
            votes=votes,
            recorded_by=acting_user,
            ratio=params.attendance_ratio,
            reconsideration=is_reconsideration,
            vet=vet,
            audit_context="decide",
        )
    except meetings.MeetingRefused as exc:
        _refuse_from(exc)
    outcome_status = {
        voting.PASSED: CandidateStatus.DECIDED,
        voting.FAILED: CandidateStatus.NOT_PASSED,
        voting.DEFERRED: CandidateStatus.DEFERRED,
    }
    results = meeting.results()
    for r in results:
        cand = by_id[r.item]
        cand.status = outcome_status[r.outcome]
        cand.save(update_fields=["status"])
    before = case.state
    if case.candidates.filter(status=CandidateStatus.DECIDED).exists():
        case.move_to(CaseState.DECIDED)
        case.decided_on = held_on
    case.save(update_fields=["state", "decided_on"])
    _event(
        case,
        acting_user,
        "decide",
        from_state=before,
        meeting=name,
        held_on=held_on,
        due=meeting.due,
        present=meeting.present,
        quorum=meeting.quorum,
        recused=[f"{v.member_label}（{v.item_label}）" for v in meetings.recusals(meeting)],
        reconsideration=is_reconsideration,
        results=[
            {
                "candidate": r.label,
                "agree": r.agree,
                "disagree": r.disagree,
                "defer": r.defer,
                "outcome": voting.OUTCOME_LABELS[r.outcome],
            }
            for r in results
        ],
    )
    return meeting


def _member(user) -> meetings.Member:
    """A committee member (a user) as the meeting names them: their registry name, else their full name."""
    profile = profile_of(user)
    person = profile.person if profile is not None and profile.person_id else None
    return meetings.Member(key=user.pk, label=display_name(user), person=person, user=user)


def decision_settled(case) -> bool:
    """The meeting step ends when no candidate waits for a later meeting (缓议)."""
    return (
        case.meetings.exists()
        and not case.candidates.filter(status__in=(CandidateStatus.SHORTLISTED, CandidateStatus.DEFERRED)).exists()
    )


# 6. 任前公示 ---------------------------------------------------------------------------------------------


@transaction.atomic
def publicity_open(*, case, acting_user, start: dt.date, workdays: int | None = None):
    """Start the 公示: end date by the working-day calendar (≥ rule-set working days).

    Refuses ("future_date") a start after today and ("before_previous_step") one before the decision meeting.
    """
    _check_date(start, step=_("任前公示开始"), after=case.decided_on, after_step=_("讨论决定"))
    params = _params(case)
    workdays = workdays or params.publicity_workdays
    try:
        span = publicity.publicity_period(start, workdays, minimum=params.publicity_workdays)
    except publicity.PublicityError as exc:
        _refuse_from(exc)
    before = case.state
    case.publicity_start, case.publicity_end, case.publicity_workdays = span.start, span.end, workdays
    case.move_to(CaseState.PUBLICISED)
    case.save(update_fields=["publicity_start", "publicity_end", "publicity_workdays", "state"])
    _event(
        case,
        acting_user,
        "publicise",
        from_state=before,
        start=span.start,
        end=span.end,
        workdays=workdays,
        warning=span.warning,
    )
    return span


@transaction.atomic
def objection_record(*, case, acting_user, candidate, received_on: dt.date, content: str) -> meetings.Objection:
    """An objection received during (or after) the 公示: not dated after today, nor before the 公示 began."""
    _check_date(received_on, step=_("收到反映"), after=case.publicity_start, after_step=_("任前公示开始"))
    objection = meetings.objection_record(
        process=case, subject=candidate.person, received_on=received_on, content=content, recorded_by=acting_user
    )
    _event(case, acting_user, "objection", candidate=candidate.person.name, received_on=received_on)
    return objection


@transaction.atomic
def objection_resolve(*, objection, acting_user, upheld: bool, finding: str):
    """Clear an objection, or uphold it: the case ends for that candidate, with the finding as reason."""
    try:
        meetings.objection_resolve(objection=objection, upheld=upheld, finding=finding, resolved_by=acting_user)
    except meetings.MeetingRefused as exc:
        _refuse_from(exc)
    case = SelectionCase.objects.get(pk=objection.process_id)
    cand = case.candidates.get(person=objection.subject_id)
    if upheld:
        cand.status, cand.end_reason = CandidateStatus.ENDED, finding
        cand.save(update_fields=["status", "end_reason"])
    _event(
        case,
        acting_user,
        "objection_resolved",
        candidate=cand.person.name,
        result=objection.get_status_display(),
        reason=finding,
    )


# 7. 任职 -------------------------------------------------------------------------------------------------


def is_promotion(person, post, on: dt.date) -> bool:
    current = (
        Tenure.objects.filter(person=person, start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .select_related("post")
    )
    best = max((LEVEL_RANK.get(t.post.level, 0) for t in current), default=-1)
    return LEVEL_RANK.get(post.level, 0) > best


@transaction.atomic
def appointment_make(*, case, acting_user, document_number: str, notice_date: dt.date, talk_on: dt.date, talk_by: str):
    """Appoint the decided candidates: tenure from the decision date, previous holders' and the appointee's
    former leader tenures end, probation (rule-set months from the notice) for promotions, pool entry used.

    Refuses ("not_ended") on or before the publicity end date, ("objection_pending"/"objection_upheld") while
    an objection is open or was upheld, ("no_appointee") when no decided candidate remains, ("future_date")
    when the notice is dated after today, ("ineligible") when an appointee is refused by the rule set or the
    veto on the notice date (SHORTLISTING, and POST_PROMOTION for a promotion), naming record and end date.
    """
    if not case.publicity_end:
        _refuse(_l("尚未进行任前公示。"), "not_publicised")
    _check_date(notice_date, step=_("任职通知"), after=case.publicity_start, after_step=_("任前公示开始"))
    _check_date(talk_on, step=_("任职谈话"), after=case.decided_on, after_step=_("讨论决定"))
    appointees = list(case.candidates.filter(status=CandidateStatus.DECIDED).select_related("person"))
    if not appointees:
        _refuse(_l("没有可任用的人选。"), "no_appointee")
    for cand in appointees:
        states = meetings.objection_states(case, cand.person)
        try:
            publicity.check_appointable(end=case.publicity_end, on=notice_date, objections=states)
        except publicity.PublicityError as exc:
            _refuse_from(exc)
    if not document_number.strip():
        _refuse(_l("须填写任职文号。"), "document_number")
    _refuse_candidates(appointees, case=case, on=notice_date, step=_("任职"), promotion_post=case.post)
    params = _params(case)
    post, start = case.post, case.decided_on
    changes = []
    holders = list(
        post.tenures.filter(Q(end_date__isnull=True) | Q(end_date__gte=start), start_date__lte=start).order_by(
            "start_date", "id"
        )
    )
    leaving = holders[: max(0, len(holders) + len(appointees) - post.headcount)]
    for tenure in leaving:
        tenure.end_date = start
        tenure.save(update_fields=["end_date"])
        changes.append(f"{tenure.person.name}免去{post}（{start}）")
    for cand in appointees:
        promotion = is_promotion(cand.person, post, start)
        former = (
            Tenure.objects.filter(person=cand.person, end_date__isnull=True)
            .exclude(post__kind=c.PostKind.TEACHER)
            .exclude(post=post)
            .select_related("post")
            .order_by("-start_date")
            .first()
        )
        if former is not None:
            former.end_date = start
            former.save(update_fields=["end_date"])
            changes.append(f"{cand.person.name}免去{former.post}（{start}）")
        probation_end = add_months(notice_date, params.probation_months) if promotion else None
        tenure = Tenure.objects.create(
            person=cand.person,
            post=post,
            start_date=start,
            document_number=document_number,
            method=METHOD_TO_TENURE.get(case.method, c.AppointmentMethod.APPOINTED),
            probation_end=probation_end,
        )
        changes.append(
            f"{cand.person.name}任{post}（{start}起" + (f"，试用期至{probation_end}）" if probation_end else "）")
        )
        cand.status, cand.former_tenure, cand.new_tenure = CandidateStatus.APPOINTED, former, tenure
        cand.save(update_fields=["status", "former_tenure", "new_tenure"])
        if cand.from_pool:
            pool.mark_used(person=cand.person, case=case, acting_user=acting_user)
        case.probation_end = max(filter(None, [case.probation_end, probation_end]), default=None)
    before = case.state
    case.document_number, case.notice_date, case.talk_on, case.talk_by = document_number, notice_date, talk_on, talk_by
    case.move_to(CaseState.ON_PROBATION if case.probation_end else CaseState.APPOINTED)
    case.save()
    _event(
        case,
        acting_user,
        "appoint",
        from_state=before,
        document_number=document_number,
        notice_date=notice_date,
        talk_on=talk_on,
        talk_by=talk_by,
        tenure_start=start,
        probation_end=case.probation_end,
        changes=changes,
    )
    return appointees


# 8. 试用期 ----------------------------------------------------------------------------------------------


@transaction.atomic
def probation_conclude(*, case, acting_user, confirmed: bool, on: dt.date, reason: str = ""):
    """Confirm (正式任职) or revert to the former post: the trial tenure ends and the former post resumes.

    Refuses ("future_date") a conclusion dated after today, ("before_previous_step") one before the
    appointment notice, and a confirmation ("ineligible") of an appointee the veto blocks for
    POST_PROMOTION on `on` (a sanction during probation; reverting is never refused).
    """
    if not confirmed and not reason.strip():
        _refuse(_l("试用期不胜任须写明理由。"), "reason")
    _check_date(on, step=_("试用期满考核"), after=case.notice_date, after_step=_("任职通知"))
    if confirmed:
        reasons = []
        for cand in case.candidates.filter(
            status=CandidateStatus.APPOINTED, new_tenure__probation_end__isnull=False
        ).select_related("person"):
            reasons += [
                _named(cand.person.name, r)
                for r in veto_reasons(cand.person, purposes=[VetoPurpose.POST_PROMOTION], on=on)
            ]
        if reasons:
            _refuse(_l("试用期满正式任职时不符合条件："), "ineligible", reasons=reasons)
    changes = []
    for cand in case.candidates.filter(status=CandidateStatus.APPOINTED).select_related(
        "new_tenure__post", "former_tenure__post"
    ):
        tenure = cand.new_tenure
        if tenure is None or tenure.probation_end is None:
            continue
        if confirmed:
            tenure.probation_end = tenure.probation_end  # the date stays on record; the trial is over
            changes.append(f"{cand.person.name}试用期满，正式任职")
            continue
        tenure.end_date = on
        tenure.save(update_fields=["end_date"])
        changes.append(f"{cand.person.name}免去{tenure.post}（{on}）")
        if cand.former_tenure is not None:
            back = Tenure.objects.create(
                person=cand.person,
                post=cand.former_tenure.post,
                start_date=on,
                document_number=case.document_number,
                method=c.AppointmentMethod.APPOINTED,
                term_number=cand.former_tenure.term_number,
            )
            changes.append(f"{cand.person.name}按试任前职务任{back.post}（{on}起）")
    before = case.state
    case.move_to(CaseState.CONFIRMED if confirmed else CaseState.REVERTED)
    case.closing_reason = reason
    case.save(update_fields=["state", "closing_reason"])
    _event(
        case,
        acting_user,
        "probation_review",
        from_state=before,
        reason=reason,
        confirmed=confirmed,
        on=on,
        changes=changes,
    )


# Alongside every step ---------------------------------------------------------------------------------


@transaction.atomic
def note_add(*, case, acting_user, step: str, text: str = "", attachment=None, task=None) -> StepNote:
    if not text.strip() and not attachment:
        _refuse(_l("须填写意见或上传附件。"), "empty_note")
    note = StepNote.objects.create(
        case=case,
        task=task,
        step=step,
        author=acting_user,
        text=text,
        attachment=attachment or "",
        attachment_name=original_name(attachment) if attachment else "",
    )
    # The trail names the attachment as the uploader did; the stored name is random and says nothing.
    _event(case, acting_user, "note", step=step, attachment=note.attachment_download_name if note.attachment else "")
    return note


@transaction.atomic
def case_close(*, case, acting_user, state: str, reason: str):
    """End a case in a final state with its reason (used by flow End nodes and by cancellation)."""
    before = case.state
    case.move_to(state)
    case.closing_reason = reason or case.closing_reason
    case.save(update_fields=["state", "closing_reason"])
    _event(case, acting_user, "close", from_state=before, reason=case.closing_reason)
