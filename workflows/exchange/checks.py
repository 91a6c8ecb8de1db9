"""The checks of one move, asked as of a date: on the plan page (today), at approval (the meeting's date) and at
application (the application date). Plain functions; each result has a code and Chinese messages.

- current_post: the person still holds the post the move leaves (it started before the effective date) and is
  in active employment;
- target_post: the target is a cadre post of another school with a place free once the plan is made (vacant,
  or its holder moves out in the same plan: swaps and chains are allowed);
- eligibility: the `exchange_move` rule set (age limit, employment; data) and, for a promotion, the selection
  rules of the target (principal shortlist for a 校级正职 post, the competition set otherwise);
- veto: `VetoPurpose.POST_PROMOTION` (职务晋升或岗位聘用) for every move: an exchange is an appointment to a
  post, so a sanction in force that blocks appointments blocks a transfer into a leadership post too;
- recusal: 任职回避 (`cadres.recusal.post_recusal_conflicts`) after every move of the plan.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadres.ethics.purposes import VetoPurpose
from cadres.ethics.veto import veto_status
from cadres.models import Tenure
from cadres.recusal import CADRE_LEVELS, PlannedMove, post_recusal_conflicts
from cadres.rules import NoRuleSetInForce, Purpose, evaluate

from .rules import EXCHANGE_PURPOSE, is_promotion

CHECK_LABELS = {
    "current_post": gettext_lazy("现任职务"),
    "target_post": gettext_lazy("拟任职位"),
    "eligibility": gettext_lazy("任职资格"),
    "veto": gettext_lazy("师德一票否决"),
    "recusal": gettext_lazy("任职回避"),
}


@dataclass(frozen=True)
class CheckResult:
    code: str
    passed: bool
    messages: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return str(CHECK_LABELS[self.code])


@dataclass(frozen=True)
class MoveCheck:
    move: object
    on: dt.date
    results: tuple[CheckResult, ...]

    @property
    def refused(self) -> bool:
        return any(not r.passed for r in self.results)

    @property
    def reasons(self) -> list[str]:
        """Each failed check as "<check>：<message>"."""
        return [f"{r.label}：{m}" for r in self.results if not r.passed for m in r.messages]


def planned(moves) -> list[PlannedMove]:
    return [PlannedMove(m.person_id, m.from_tenure.post_id, m.to_post_id) for m in moves]


def check_current_post(move, on: dt.date) -> CheckResult:
    tenure, person = move.from_tenure, move.person
    problems = []
    if person.employment_status != "active":
        problems.append(_("%(n)s已不在职。") % {"n": person.name})
    if tenure.start_date > on or (tenure.end_date is not None and tenure.end_date < on):
        problems.append(
            _("%(n)s已不再担任%(p)s（任职记录已变化），须重新拟定。") % {"n": person.name, "p": tenure.post.name}
        )
    elif tenure.start_date >= move.plan.effective_date:
        problems.append(_("现任职务始于方案生效日期之后，不能据此交流。"))
    return CheckResult("current_post", not problems, tuple(problems))


def holders_on(post, on: dt.date) -> set[int]:
    current = Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=on))
    return set(Tenure.objects.filter(current, post=post).values_list("person_id", flat=True))


def structural_problems(*, from_post, to_post) -> list[str]:
    """Why `to_post` can never be the target of a move from `from_post` (empty: it can)."""
    problems = []
    if to_post.level not in CADRE_LEVELS:
        problems.append(_("拟任职位不是学校领导或中层职位。"))
    if to_post.organization_id == from_post.organization_id:
        problems.append(_("拟任职位与现任职务在同一学校，不属于交流。"))
    return problems


def target_problems(*, from_post, to_post, person_id: int, moves, on: dt.date) -> list[str]:
    """Why `to_post` cannot take the person once the other `moves` of the plan are made (empty: it can)."""
    problems = structural_problems(from_post=from_post, to_post=to_post)
    others = [m for m in moves if m.person_id != person_id]
    holders = holders_on(to_post, on) - {m.person_id for m in others if m.from_tenure.post_id == to_post.pk}
    holders -= {person_id}
    holders |= {m.person_id for m in others if m.to_post_id == to_post.pk}
    if len(holders) >= to_post.headcount:
        problems.append(
            _("%(p)s职数%(h)d，方案实施后仍有%(n)d人在任，没有空位（现任者须一并列入方案交流）。")
            % {"p": to_post.name, "h": to_post.headcount, "n": len(holders)}
        )
    return problems


def check_target_post(move, moves, on: dt.date) -> CheckResult:
    problems = target_problems(
        from_post=move.from_tenure.post, to_post=move.to_post, person_id=move.person_id, moves=moves, on=on
    )
    return CheckResult("target_post", not problems, tuple(problems))


def check_eligibility(move, on: dt.date) -> CheckResult:
    purposes = [EXCHANGE_PURPOSE]
    if is_promotion(move.from_tenure.post.level, move.to_post.level):
        head = move.to_post.level == "school_head"
        purposes.append(Purpose.PRINCIPAL_SHORTLIST if head else Purpose.COMPETITION_REGISTRATION)
    messages: list[str] = []
    for purpose in purposes:
        try:
            level = move.to_post.level if purpose == Purpose.PRINCIPAL_SHORTLIST else None
            result = evaluate(move.person, purpose=purpose, on=on, post_level=level)
        except NoRuleSetInForce as exc:
            messages.append(str(exc))
            continue
        messages += [f"{r.message}（{result.rule_set.name}）" for r in result.refusals]
    return CheckResult("eligibility", not messages, tuple(messages))


def check_veto(move, on: dt.date) -> CheckResult:
    result = veto_status(move.person, purpose=VetoPurpose.POST_PROMOTION, on=on)
    return CheckResult("veto", not result.blocked, (result.sentence,) if result.blocked else ())


def check_recusal(move, moves, on: dt.date) -> CheckResult:
    conflicts = post_recusal_conflicts(move.person, move.to_post, on, planned_moves=planned(moves))
    return CheckResult("recusal", not conflicts, tuple(c.message for c in conflicts))


def check_move(move, *, moves, on: dt.date) -> MoveCheck:
    """Every check of `move` as of `on`, in the plan made of `moves` (which includes `move`)."""
    return MoveCheck(
        move,
        on,
        (
            check_current_post(move, on),
            check_target_post(move, moves, on),
            check_eligibility(move, on),
            check_veto(move, on),
            check_recusal(move, moves, on),
        ),
    )


def plan_moves(plan) -> list:
    return list(
        plan.moves.select_related(
            "plan",
            "person",
            "person__organization",
            "from_tenure__post__organization",
            "to_post__organization",
            "new_tenure",
        ).order_by("id")
    )


def check_plan(plan, *, on: dt.date) -> list[MoveCheck]:
    moves = plan_moves(plan)
    return [check_move(m, moves=moves, on=on) for m in moves]
