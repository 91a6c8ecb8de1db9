"""The demo district's draft exchange plan: three people the watch list marks as due, rotated among three
schools at the same level (A takes B's post, B takes C's, C takes A's), chosen so every check passes today.
Made through the services, as the demo's personnel officer."""

from __future__ import annotations

import datetime as dt
import itertools

from django.contrib.auth import get_user_model
from django.db import transaction

from . import checks, services
from .due import due_for_exchange
from .models import ExchangeMove, ExchangePlan

DEMO_TITLE = "示范区中小学校领导人员交流轮岗方案（演示）"


def _rotation(due, plan, on):
    """The first three due people of one level in three schools whose rotation passes every check."""
    by_level: dict[str, list] = {}
    for d in due:
        by_level.setdefault(d.tenure.post.level, []).append(d)
    for level in ("school_deputy", "middle_head", "school_head", "middle_deputy"):
        people = by_level.get(level, [])[:12]
        for trio in itertools.combinations(people, 3):
            if len({d.tenure.post.organization_id for d in trio}) < 3:
                continue
            moves = [
                ExchangeMove(plan=plan, person=a.person, from_tenure=a.tenure, to_post=b.tenure.post, reason=a.reason)
                for a, b in zip(trio, trio[1:] + trio[:1], strict=True)
            ]
            if not any(checks.check_move(m, moves=moves, on=on).refused for m in moves):
                return moves
    return None


@transaction.atomic
def load_demo_exchange_plan(*, on: dt.date | None = None, username: str = "officer") -> tuple[ExchangePlan | None, str]:
    """Make the demo plan unless it exists; returns (plan, what happened in Chinese)."""
    existing = ExchangePlan.objects.filter(title=DEMO_TITLE).first()
    if existing is not None:
        return existing, "演示交流轮岗方案已存在，未重复创建。"
    officer = get_user_model().objects.filter(username=username).first()
    if officer is None:
        return None, "找不到演示组织人事科干部账号，请先运行 load_demo_district。"
    on = on or services.today()
    due = due_for_exchange(on=on)
    probe = ExchangePlan(title=DEMO_TITLE, effective_date=on + dt.timedelta(days=30), created_by=officer)
    moves = _rotation(due, probe, on)
    if moves is None:
        return None, "到期应交流人员中找不到可组成三人轮换的人选，未创建方案。"
    plan = services.plan_create(acting_user=officer, title=DEMO_TITLE, effective_date=probe.effective_date)
    for m in moves:
        services.move_add(
            acting_user=officer,
            plan=plan,
            person=m.person,
            from_tenure=m.from_tenure,
            to_post=m.to_post,
            reason=m.reason,
        )
    return plan, f"已创建演示交流轮岗方案（草拟中，{len(moves)}人）。"
