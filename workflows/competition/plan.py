"""The 实施方案: shape checks, the headcount check, and the frozen snapshot with its hash.

A plan is plain JSON:
{"title", "posts": [{"post": id, "name", "kind", "seats", "min_candidates"}], "eligibility": {rule code: params},
 "registration": {"opens": ISO date, "closes": ISO date}, "weights": {"speech", "evaluation",
 "performance"}, "trim_min_judges", "tie_break": [...], "criteria": [{"name", "max_points"}],
 "inspect_top": candidates per seat sent to inspection, "quorum": "2/3"}.
`validate_plan` returns the list of every problem (Chinese); an empty list means the plan can be saved.
The frozen snapshot is the canonical JSON (sorted keys, no spaces); its SHA-256 is stored beside it.

Each line of `posts` opens one post in one of two ways (`kind`, read through `PlanLine`):
- 空缺 (`vacancy`, the default of plans written before this choice existed): only the seats free on the day
  the plan is saved (`vacancies`), the sitting holders stay;
- 全员竞聘 (`all`): every seat of the post is put up again, up to its 职数, whether occupied or not; the
  sitting holders may register for it like anyone else, and all of them are released (their tenures end)
  in the same transaction in which the post's winners are appointed (`services.appointment_make`).
Decision: the line stays in the JSON plan rather than in a table, because the plan is frozen and hashed as
one document; `PlanLine` is its one typed reading.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadres import choices as c
from cadres.models import Post, Tenure
from cadres.rules.registry import rule_classes

from .scoring import ScoringError, ScoringRules

MIDDLE_LEVELS = (c.PostLevel.MIDDLE_HEAD, c.PostLevel.MIDDLE_DEPUTY)
DEFAULT_CRITERIA = [
    {"name": "岗位认知", "max_points": 20},
    {"name": "工作思路", "max_points": 30},
    {"name": "专业素养", "max_points": 20},
    {"name": "答辩表现", "max_points": 20},
    {"name": "仪表风范", "max_points": 10},
]


def canonical(plan: dict) -> str:
    return json.dumps(plan, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def plan_hash(plan: dict) -> str:
    return hashlib.sha256(canonical(plan).encode("utf-8")).hexdigest()


def window(plan: dict) -> tuple[dt.date, dt.date]:
    reg = plan.get("registration") or {}
    return dt.date.fromisoformat(reg["opens"]), dt.date.fromisoformat(reg["closes"])


VACANCY = "vacancy"
ALL = "all"
LINE_KINDS = {VACANCY: gettext_lazy("空缺岗位竞聘"), ALL: gettext_lazy("全员竞聘（在任人员一并竞聘）")}


def line_kind_label(kind: str) -> str:
    return str(LINE_KINDS.get(kind, LINE_KINDS[VACANCY]))


@dataclass(frozen=True)
class PlanLine:
    """One post of the plan: how it is opened (`kind`), how many seats, the minimum of qualified candidates."""

    post_id: int
    name: str
    kind: str
    seats: int
    min_candidates: int

    @classmethod
    def of(cls, item: dict) -> PlanLine:
        seats = int(item.get("seats", 1))
        return cls(
            post_id=int(item["post"]),
            name=str(item.get("name", "")),
            kind=item.get("kind") or VACANCY,
            seats=seats,
            min_candidates=int(item.get("min_candidates", seats)),
        )

    @property
    def reopens_occupied(self) -> bool:
        return self.kind == ALL

    @property
    def kind_label(self) -> str:
        return line_kind_label(self.kind)


def holding_on(on: dt.date) -> Q:
    """Tenures that occupy a seat on `on`: begun on or before it, and not ended on or before it.

    This is the vacancy fact's one home. `end_date` is the day the 免职 takes effect, so on that day the seat
    is already free (a successor appointed that day starts on it); before, `end_date >= on` counted the
    leaver as a holder for one more day and the post was free only the next day.
    """
    return Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gt=on))


def sitting_holders(post: Post, on: dt.date):
    return Tenure.objects.filter(holding_on(on), post=post)


def vacancies(post: Post, on: dt.date) -> int:
    """Headcount minus the holders on `on` (see `holding_on`)."""
    return max(post.headcount - sitting_holders(post, on).count(), 0)


def plan_posts(plan: dict) -> dict[int, dict]:
    return {int(p["post"]): p for p in plan.get("posts", [])}


def shortlist_size(plan: dict, line: dict) -> int:
    """How many of a post's ranked candidates go to inspection: its seats × the plan's `inspect_top`."""
    return int(line.get("seats", 1)) * int(plan.get("inspect_top", 1))


def plan_lines(plan: dict) -> dict[int, PlanLine]:
    return {int(p["post"]): PlanLine.of(p) for p in plan.get("posts", [])}


def validate_plan(plan: dict, *, organization, on: dt.date) -> list[str]:
    problems: list[str] = []
    if not str(plan.get("title", "")).strip():
        problems.append(_("须填写竞聘名称。"))
    posts = plan.get("posts") or []
    if not posts:
        problems.append(_("须至少列出一个竞聘岗位。"))
    seen = set()
    for item in posts:
        try:
            post = Post.objects.get(pk=int(item["post"]))
        except (KeyError, ValueError, TypeError, Post.DoesNotExist):
            problems.append(_("所选岗位不存在。"))
            continue
        if post.pk in seen:
            problems.append(_("岗位重复：%(post)s") % {"post": post.name})
        seen.add(post.pk)
        if post.organization_id != organization.pk:
            problems.append(_("%(post)s不是本校岗位。") % {"post": post})
        if post.level not in MIDDLE_LEVELS:
            problems.append(_("%(post)s不是中层岗位。") % {"post": post.name})
        seats = int(item.get("seats", 0))
        kind = item.get("kind") or VACANCY
        free = vacancies(post, on)
        if kind not in LINE_KINDS:
            problems.append(_("%(post)s的竞聘方式只能是空缺岗位或全员竞聘。") % {"post": post.name})
        elif seats < 1:
            problems.append(_("%(post)s竞聘职数须至少为1。") % {"post": post.name})
        elif kind == ALL:
            if seats > post.headcount:
                problems.append(
                    _("%(post)s职数%(headcount)s名，全员竞聘%(seats)s名超出职数。")
                    % {"post": post.name, "headcount": post.headcount, "seats": seats}
                )
            if free >= post.headcount:
                problems.append(_("%(post)s目前无人在任，请按空缺岗位竞聘。") % {"post": post.name})
        elif seats > free:
            problems.append(
                _("%(post)s职数%(headcount)s名，现任%(holders)s名，空缺%(free)s名，竞聘%(seats)s名超出职数。")
                % {
                    "post": post.name,
                    "headcount": post.headcount,
                    "holders": post.headcount - free,
                    "free": free,
                    "seats": seats,
                }
                + (_("如需在任人员一并参加竞聘，请选择“全员竞聘”。") if free < post.headcount else "")
            )
        if int(item.get("min_candidates", 1)) < seats:
            problems.append(_("%(post)s最少合格人数不得少于竞聘职数。") % {"post": post.name})
    try:
        opens, closes = window(plan)
        if closes < opens:
            problems.append(_("报名截止日期早于开始日期。"))
    except (KeyError, ValueError, TypeError):
        problems.append(_("须填写报名起止日期。"))
    try:
        ScoringRules.from_plan(plan)
    except (ScoringError, ValueError) as exc:
        problems.append(str(exc))
    known = rule_classes()
    for code, params in (plan.get("eligibility") or {}).items():
        if code not in known:
            problems.append(_("未知资格条件：%(code)s") % {"code": code})
            continue
        try:
            known[code](**params)
        except Exception as exc:  # RuleConfigError and bad types alike are a plan problem
            problems.append(str(exc))
    try:
        if not Fraction(str(plan.get("quorum", "2/3"))) >= Fraction(2, 3):
            problems.append(_("研究人事事项的会议到会人数不得少于应到会人数的三分之二。"))
    except (ValueError, ZeroDivisionError):
        problems.append(_("会议到会比例格式应如“2/3”。"))
    if int(plan.get("inspect_top", 1)) < 1:
        problems.append(_("每个职数的考察人数至少为1。"))
    return problems
