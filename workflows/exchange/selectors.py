"""Reads for the exchange pages: the people a move may take, the target short list, the plans in scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _

from cadres.models import Person, Post
from cadres.recusal import CADRE_LEVELS
from cadres.roles import is_bureau_user

from .due import current_q
from .models import ExchangePlan


def plans_visible_to(user):
    """Plans are the bureau's: bureau users see them all, anyone else none."""
    return ExchangePlan.objects.all() if is_bureau_user(user) else ExchangePlan.objects.none()


def sitting_cadres(on: dt.date):
    """People in post who hold a cadre post (校级 or 中层) on `on`: whom the person picker offers for a move."""
    return Person.objects.filter(employment_status="active").filter(
        Exists(_current_cadre_tenures(on).filter(person=OuterRef("pk")))
    )


def _current_cadre_tenures(on):
    from cadres.models import Tenure

    return Tenure.objects.filter(current_q(on), post__level__in=CADRE_LEVELS)


@dataclass(frozen=True)
class TargetChoice:
    post: Post
    free: int
    freed_by_plan: bool
    holder_due: str = ""  # the holder's name when the post is full but its holder is due for exchange

    @property
    def label(self) -> str:
        org = self.post.organization
        if self.holder_due:
            note = _("（现任%(n)s到期应交流，须一并列入方案）") % {"n": self.holder_due}
        elif self.freed_by_plan:
            note = _("（因本方案交流腾出）")
        else:
            note = _("（空缺%(n)d人）") % {"n": self.free}
        return f"{org.short_name or org.name} · {self.post.name}{note}"


def target_choices(
    *, plan_moves, from_tenure, on: dt.date, level: str = "", school: str = "", due_holders: dict | None = None
) -> list[TargetChoice]:
    """Cadre posts of other schools with a place once the plan's other moves are made: vacant posts, and posts
    whose holder moves out in the same plan (swaps and chains); also, so a chain or a rotation can be drafted
    move by move, full posts held by someone due for exchange (`due_holders`: post id → holder's name), whose
    move must then join the plan (the target check says so until it does). Filtered by level (default: all
    cadre levels) and by part of the school's name. Two queries."""
    person_id = from_tenure.person_id
    others = [m for m in plan_moves if m.person_id != person_id]
    leaving: dict[int, int] = {}
    joining: dict[int, int] = {}
    for m in others:
        leaving[m.from_tenure.post_id] = leaving.get(m.from_tenure.post_id, 0) + 1
        joining[m.to_post_id] = joining.get(m.to_post_id, 0) + 1
    holding = Q(tenures__start_date__lte=on) & (Q(tenures__end_date__isnull=True) | Q(tenures__end_date__gte=on))
    posts = (
        Post.objects.filter(level__in=[level] if level in CADRE_LEVELS else CADRE_LEVELS)
        .exclude(organization_id=from_tenure.post.organization_id)
        .filter(organization__kind="school")
        .annotate(holders=Count("tenures__person", filter=holding, distinct=True))
        .select_related("organization")
        .order_by("organization__code", "level", "name")
    )
    if school.strip():
        posts = posts.filter(
            Q(organization__name__icontains=school.strip()) | Q(organization__short_name__icontains=school.strip())
        )
    choices = []
    for post in posts:
        vacant = post.headcount - post.holders
        free = vacant + leaving.get(post.pk, 0) - joining.get(post.pk, 0)
        if free > 0:
            choices.append(TargetChoice(post, free, freed_by_plan=vacant <= 0))
        elif due_holders and post.pk in due_holders:
            choices.append(TargetChoice(post, 0, freed_by_plan=False, holder_due=due_holders[post.pk]))
    return choices
