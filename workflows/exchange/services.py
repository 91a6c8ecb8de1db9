"""Writes of the exchange plan. Each service takes the acting user, is one transaction and writes one audit
event; refusals raise `ExchangeError` (Chinese message, a code, and per-move reasons where moves are refused).

Tenures (decided with `cadres.facts`, where a tenure is held on every day from its start to its end date
inclusive): a move ends the person's tenures in the school they leave on the day before the effective date and
starts the new tenure on the effective date, so on no day does anyone hold both posts, and the person's unit
becomes the new school.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from cadres import choices as c
from cadres.ethics.periods import add_months
from cadres.models import Tenure
from cadres.recusal import CADRE_LEVELS
from cadres.refusals import Refusal
from cadres.roles import Role, has_role, is_bureau_user, organization_of
from dossiers.content.appointment_notice import DOC_NUMBER, build_appointment_notice
from dossiers.content.exchange_plan import build_exchange_plan
from dossiers.services import dossier_generate
from workflows.principal_selection.rules import selection_params

from . import checks
from .due import current_q, due_reason_for
from .impact import plan_impact
from .models import ExchangeMove, ExchangePlan, PlanState
from .rules import is_promotion


class ExchangeError(Refusal, ValidationError):
    def __init__(self, message, code: str, *, details: list[str] | None = None):
        super().__init__(message, code)
        self.details = details or []


def today() -> dt.date:
    return timezone.localdate()


def is_officer(user) -> bool:
    """The bureau's personnel officer drafts, decides and applies plans (a superuser too)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or (is_bureau_user(user) and has_role(user, Role.PERSONNEL_OFFICER))


def _require_officer(user) -> None:
    if not is_officer(user):
        raise ExchangeError(_("只有教育局组织人事科干部可以办理交流轮岗方案。"), "not_officer")


def _locked(plan: ExchangePlan) -> ExchangePlan:
    return ExchangePlan.objects.select_for_update().get(pk=plan.pk)


def _require_state(plan: ExchangePlan, *states: str) -> None:
    if plan.state not in states:
        raise ExchangeError(_("方案现为“%(s)s”，不能进行此项操作。") % {"s": plan.get_state_display()}, "wrong_state")


def _event(plan, user, action, *, from_state="", reason="", **payload):
    record_event(
        actor=user,
        action=action,
        obj=plan,
        from_state=from_state,
        to_state=plan.state,
        reason=reason,
        payload=payload,
    )


@transaction.atomic
def plan_create(*, acting_user, title: str, effective_date: dt.date) -> ExchangePlan:
    """A new draft plan (no moves yet)."""
    _require_officer(acting_user)
    title = (title or "").strip()
    if not title:
        raise ExchangeError(_("须填写方案名称。"), "title")
    plan = ExchangePlan(title=title, effective_date=effective_date, created_by=acting_user)
    plan.full_clean(exclude=["state"])  # the protected state is set by its transitions only
    plan.save()
    _event(plan, acting_user, "exchange_plan_create", title=title, effective_date=effective_date)
    return plan


def cadre_tenures_of(person, on: dt.date) -> list[Tenure]:
    """The person's current school cadre tenures on `on` (what a move may leave), highest level first."""
    rows = Tenure.objects.filter(current_q(on), person=person, post__level__in=CADRE_LEVELS).select_related(
        "post__organization"
    )
    return sorted(rows, key=lambda t: (CADRE_LEVELS.index(t.post.level), t.start_date, t.pk))


@transaction.atomic
def move_add(
    *, acting_user, plan: ExchangePlan, person, from_tenure: Tenure, to_post, reason: str = ""
) -> ExchangeMove:
    """Add a move to a draft plan. The post left is the person's current cadre tenure (read from the registry);
    the target must be a cadre post of another school (code "target"). Whether it has a place is a check, not a
    refusal here: a chain or a swap is complete only once every move of it is in the plan, so the plan page
    shows it per move and approval refuses while a target stays full. Refused also: wrong_state,
    already_in_plan, not_current."""
    _require_officer(acting_user)
    plan = _locked(plan)
    _require_state(plan, PlanState.DRAFT)
    on = today()
    if plan.moves.filter(person=person).exists():
        raise ExchangeError(_("%(n)s已在本方案中。") % {"n": person.name}, "already_in_plan")
    if from_tenure.person_id != person.pk or from_tenure.pk not in {t.pk for t in cadre_tenures_of(person, on)}:
        raise ExchangeError(_("所选现任职务不是%(n)s目前担任的领导或中层职务。") % {"n": person.name}, "not_current")
    problems = checks.structural_problems(from_post=from_tenure.post, to_post=to_post)
    if problems:
        raise ExchangeError("".join(problems), "target")
    reason = (reason or "").strip() or due_reason_for(person, from_tenure, on) or _("工作需要")
    move = ExchangeMove(plan=plan, person=person, from_tenure=from_tenure, to_post=to_post, reason=reason[:200])
    move.full_clean()
    move.save()
    _event(
        plan,
        acting_user,
        "exchange_move_add",
        from_state=plan.state,
        person=person.pk,
        from_post=from_tenure.post_id,
        to_post=to_post.pk,
        reason=move.reason,
    )
    return move


@transaction.atomic
def move_remove(*, acting_user, plan: ExchangePlan, move: ExchangeMove) -> None:
    _require_officer(acting_user)
    plan = _locked(plan)
    _require_state(plan, PlanState.DRAFT)
    if move.plan_id != plan.pk:
        raise ExchangeError(_("该人选不属于本方案。"), "not_in_plan")
    _event(plan, acting_user, "exchange_move_remove", from_state=plan.state, person=move.person_id)
    move.delete()


def _refusal_details(results: list[checks.MoveCheck]) -> list[str]:
    return [
        _("%(n)s（%(to)s）：%(r)s") % {"n": r.move.person.name, "to": r.move.to_post.name, "r": "".join(r.reasons)}
        for r in results
        if r.refused
    ]


def _check_rows(results: list[checks.MoveCheck]) -> list[dict]:
    return [
        {
            "person": r.move.person_id,
            "refused": r.refused,
            "checks": {x.code: {"passed": x.passed, "messages": list(x.messages)} for x in r.results},
        }
        for r in results
    ]


def _member_text(member) -> str:
    name = getattr(member, "name", None) or getattr(member, "person_name", "")
    post = getattr(member, "post", None) or getattr(member, "post_name", "")
    return f"{name}（{post}）" if post else str(name)


def _team_lines(team) -> list[str]:
    members = team if isinstance(team, list | tuple) else getattr(team, "members", [])
    return [_member_text(m) for m in members]


def plan_content(plan: ExchangePlan, *, on: dt.date, issuer: str) -> dict:
    """The 交流轮岗方案 content as of `on` (the checks asked then), built by `dossiers.content.exchange_plan`."""
    results = checks.check_plan(plan, on=on)
    moves = [r.move for r in results]
    impacts = plan_impact(moves, on=on) if moves else []
    meeting = {}
    if plan.meeting_name:
        meeting = {
            "name": plan.meeting_name,
            "date": plan.meeting_date.isoformat() if plan.meeting_date else "",
            "decision": plan.decision_note or str(plan.get_state_display()),
        }
    return build_exchange_plan(
        title=plan.title,
        issuer=issuer,
        effective_date=plan.effective_date.isoformat(),
        status=str(plan.get_state_display()),
        checked_on=on.isoformat(),
        meeting=meeting,
        moves=[
            {
                "name": m.person.name,
                "sex": m.person.get_sex_display(),
                "birth": f"{m.person.birth_month:%Y-%m}" if m.person.birth_month else "",
                "from_unit": m.from_tenure.post.organization.name,
                "from_post": m.from_tenure.post.name,
                "to_unit": m.to_post.organization.name,
                "to_post": m.to_post.name,
                "reason": m.reason,
                "document_number": m.document_number,
                "checks": [{"label": x.label, "passed": x.passed, "messages": list(x.messages)} for x in r.results],
            }
            for m, r in zip(moves, results, strict=True)
        ],
        schools=[
            {
                "name": i.organization_name,
                "before": _team_lines(i.before),
                "after": _team_lines(i.after),
                "gaps_added": [str(g) for g in i.gaps_added],
                "gaps_removed": [str(g) for g in i.gaps_removed],
            }
            for i in impacts
        ],
        date=on.isoformat(),
    )


def _generate_plan_dossier(plan, acting_user, *, on: dt.date, step: str):
    bureau = organization_of(acting_user)
    if bureau is None:
        return None
    content = plan_content(plan, on=on, issuer=bureau.name)
    return dossier_generate(
        kind="exchange_plan",
        content=content,
        acting_user=acting_user,
        organization=bureau,
        process_ref=plan.process_ref,
        step=step,
    )


def _meeting(meeting_name: str, meeting_date: dt.date | None) -> str:
    meeting_name = (meeting_name or "").strip()
    if not meeting_name or meeting_date is None:
        raise ExchangeError(_("须填写研究会议名称和会议日期。"), "meeting")
    if meeting_date > today():
        raise ExchangeError(_("会议日期不能晚于今天。"), "meeting_future")
    return meeting_name


def plan_approve(
    *, acting_user, plan: ExchangePlan, meeting_name: str, meeting_date: dt.date, note: str = ""
) -> ExchangePlan:
    """draft → approved at the committee meeting of `meeting_date`. Every move is checked again as of that
    date; a plan with any refused move is not approved (code "moves_refused", the reasons per move; the
    refusal is audited). Generates the 交流轮岗方案. Refused also: no_moves, meeting, meeting_future,
    effective_before_meeting, wrong_state."""
    _require_officer(acting_user)
    meeting_name = _meeting(meeting_name, meeting_date)
    with transaction.atomic():
        plan = _locked(plan)
        _require_state(plan, PlanState.DRAFT)
        if not plan.moves.exists():
            raise ExchangeError(_("方案中还没有交流人选。"), "no_moves")
        if plan.effective_date < meeting_date:
            raise ExchangeError(_("方案生效日期不能早于会议日期。"), "effective_before_meeting")
        results = checks.check_plan(plan, on=meeting_date)
        details = _refusal_details(results)
        if details:
            _event(plan, acting_user, "exchange_plan_approve_refused", from_state=plan.state, refusals=details)
        else:
            before = plan.state
            plan.approve(meeting_name=meeting_name, meeting_date=meeting_date, note=(note or "").strip())
            plan.save()
            _event(
                plan,
                acting_user,
                "exchange_plan_approve",
                from_state=before,
                meeting_name=meeting_name,
                meeting_date=meeting_date,
                checks=_check_rows(results),
            )
            _generate_plan_dossier(plan, acting_user, on=meeting_date, step="approve")
    if details:
        raise ExchangeError(_("方案中有人选未通过核查，不能批准。"), "moves_refused", details=details)
    return plan


@transaction.atomic
def plan_return(*, acting_user, plan: ExchangePlan, meeting_name: str, meeting_date: dt.date, note: str):
    """draft → returned: the meeting sends the plan back with its reasons (required)."""
    _require_officer(acting_user)
    meeting_name = _meeting(meeting_name, meeting_date)
    if not (note or "").strip():
        raise ExchangeError(_("退回须写明会议意见。"), "note")
    plan = _locked(plan)
    _require_state(plan, PlanState.DRAFT)
    before = plan.state
    plan.return_for_revision(meeting_name=meeting_name, meeting_date=meeting_date, note=note.strip())
    plan.save()
    _event(plan, acting_user, "exchange_plan_return", from_state=before, reason=note.strip())
    return plan


@transaction.atomic
def plan_reopen(*, acting_user, plan: ExchangePlan) -> ExchangePlan:
    """returned → draft, to change the moves before the next meeting."""
    _require_officer(acting_user)
    plan = _locked(plan)
    _require_state(plan, PlanState.RETURNED)
    before = plan.state
    plan.reopen()
    plan.save()
    _event(plan, acting_user, "exchange_plan_reopen", from_state=before)
    return plan


def document_numbers(first: str, count: int, *, year: int) -> list[str]:
    """`count` consecutive numbers from `first` (示教工委〔2026〕12号 → …12号, …13号, …)."""
    first = (first or "").strip().replace("[", "〔").replace("]", "〕").replace("［", "〔").replace("］", "〕")
    match = DOC_NUMBER.match(first)
    if not match:
        raise ExchangeError(_("任免文号格式应如“示教工委〔2026〕12号”。"), "document_number")
    if int(match.group("year")) != year:
        raise ExchangeError(_("任免文号的年份应与实施日期的年份一致。"), "document_number")
    seq = int(match.group("seq"))
    return [f"{match.group('prefix')}〔{year}〕{seq + i}号" for i in range(count)]


def plan_apply(*, acting_user, plan: ExchangePlan, first_document_number: str, on: dt.date | None = None):
    """approved → applied: every move at once, on or after the effective date (code "not_yet_effective").

    All checks are asked again as of `on` (the application date); one refused move refuses the whole plan
    (code "moves_refused", reasons per move, the refusal audited) and nothing is written. Otherwise, in one
    transaction: the tenures in the school left end the day before the effective date, a new tenure (调任,
    with a probation for a promotion) starts on it with the move's own 任免 number, the person's unit becomes
    the new school, a 任职通知 is generated per move and the plan's 交流轮岗方案 is generated again.
    """
    _require_officer(acting_user)
    on = on or today()
    with transaction.atomic():
        plan = _locked(plan)
        _require_state(plan, PlanState.APPROVED)
        if on < plan.effective_date:
            raise ExchangeError(
                _("方案自%(d)s起生效，不能提前实施。") % {"d": plan.effective_date.isoformat()}, "not_yet_effective"
            )
        if on > today():
            raise ExchangeError(_("实施日期不能晚于今天。"), "future")
        moves = checks.plan_moves(plan)
        numbers = document_numbers(first_document_number, len(moves), year=on.year)
        # Hold the tenures the checks read and the moves end (the movers' and the targets' holders), so another
        # workflow ending or starting one of them waits until this plan is made or refused.
        _lock_tenures(moves, since=plan.effective_date)
        results = [checks.check_move(m, moves=moves, on=on) for m in moves]
        details = _refusal_details(results)
        if details:
            _event(plan, acting_user, "exchange_plan_apply_refused", from_state=plan.state, refusals=details)
        else:
            _apply_moves(plan, moves, numbers, acting_user=acting_user, on=on)
    if details:
        raise ExchangeError(
            _("方案中有人选未通过核查，方案未实施，任职记录未作任何改变。"), "moves_refused", details=details
        )
    return plan


def _lock_tenures(moves, *, since: dt.date) -> None:
    posts = {m.to_post_id for m in moves} | {m.from_tenure.post_id for m in moves}
    list(
        Tenure.objects.select_for_update()
        .filter(Q(person_id__in=[m.person_id for m in moves]) | Q(post_id__in=posts))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=since))
        .values_list("pk", flat=True)
    )


def _apply_moves(plan, moves, numbers, *, acting_user, on: dt.date) -> None:
    start = plan.effective_date
    end = start - dt.timedelta(days=1)
    probation_months = selection_params(start).probation_months
    bureau = organization_of(acting_user)
    changes = []
    for move, number in zip(moves, numbers, strict=True):
        person, old_post, new_post = move.person, move.from_tenure.post, move.to_post
        leaving = Tenure.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=start),
            person=person,
            post__organization_id=old_post.organization_id,
            start_date__lte=end,
        )
        for tenure in leaving:
            tenure.end_date = end
            tenure.full_clean()
            tenure.save(update_fields=["end_date"])
        promotion = is_promotion(old_post.level, new_post.level)
        new = Tenure(
            person=person,
            post=new_post,
            start_date=start,
            document_number=number,
            method=c.AppointmentMethod.TRANSFER,
            probation_end=add_months(start, probation_months) if promotion else None,
        )
        new.full_clean()
        new.save()
        person.organization = new_post.organization
        person.save(update_fields=["organization", "updated_at"])
        move.document_number, move.new_tenure = number, new
        move.save(update_fields=["document_number", "new_tenure"])
        changes.append(
            {"person": person.pk, "from_post": old_post.pk, "to_post": new_post.pk, "tenure": new.pk, "doc": number}
        )
        if bureau is not None:
            dossier_generate(
                kind="appointment_notice",
                content=_notice_content(plan, move, number, issuer=bureau.name, on=on, probation=promotion),
                acting_user=acting_user,
                organization=new_post.organization,
                subject=person,
                process_ref=plan.process_ref,
                step="notice",
            )
    before = plan.state
    plan.mark_applied(on=on)
    plan.save()
    _event(plan, acting_user, "exchange_plan_apply", from_state=before, applied_on=on, changes=changes)
    _generate_plan_dossier(plan, acting_user, on=on, step="apply")


def _notice_content(plan, move, number: str, *, issuer: str, on: dt.date, probation: bool) -> dict:
    """The move's 任职通知 (任命 the new post, 免去 the old). The notice's "任职时间自…起计算" is the plan's
    effective date, so that is what it is given as the decision date."""
    old, new = move.from_tenure.post, move.to_post
    return build_appointment_notice(
        issuer=issuer,
        doc_number=number,
        addressee="、".join(dict.fromkeys([new.organization.name, old.organization.name])),
        decided_by=plan.meeting_name,
        decided_on=plan.effective_date.isoformat(),
        date=on.isoformat(),
        appointments=[
            {
                "name": move.person.name,
                "appoint": f"{new.organization.name}{new.name}",
                "remove": f"{old.organization.name}{old.name}",
                "probation": probation,
            }
        ],
    )
