"""Recusal (回避, DOMAIN §7): nobody acts on a task, vote, score or review about themself or their kin."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from .choices import RECUSAL_RELATIONS, Relation
from .kept_sql import kept_query
from .models import FamilyMember, Person, Post, Tenure
from .roles import profile_of


def kin_ids(person_id: int) -> set[int]:
    """Registry ids of the person's kin who trigger recusal, read in both directions of the family table."""
    rows = kept_query(("kin_ids",), _kin_rows, person_id, person_id)  # every page asks: compiled once
    ids = set()
    for owner, relative in rows:
        ids.update(i for i in (owner, relative) if i is not None)
    ids.discard(person_id)
    return ids


def _kin_rows(as_person, as_relative):
    return (
        FamilyMember.objects.filter(
            Q(person_id=as_person) | Q(relative_id=as_relative), relation__in=list(RECUSAL_RELATIONS)
        )
        .order_by()  # the model's ordering (by person: unit code, name) joined two tables to sort a set
        .values_list("person_id", "relative_id")
    )


def are_kin(a_id: int, b_id: int) -> bool:
    return b_id in kin_ids(a_id)


def person_recusal_reason(own_id: int | None, person: Person, kin: set[int] | None = None) -> str | None:
    """Why the registry person `own_id` must not act on `person` (a Chinese sentence), or None when they may;
    `kin` is `kin_ids(person.pk)` when the caller has read it already (one query for many members)."""
    from django.utils.translation import gettext as _

    if own_id is None:
        return None
    if own_id == person.pk:
        return _("本人事项，须回避。")
    if own_id in (kin_ids(person.pk) if kin is None else kin):
        return _("与%(name)s有亲属关系，须回避。") % {"name": person.name}
    return None


def own_kin_ids(user) -> set[int]:
    """`kin_ids` of the user's registry person (empty without one), read once per user object and kept as
    long as the roles `roles_of` keeps (whoever resets `user._cadreflow_roles` reads the kin again too): a case
    page asks about the same user for each step and check."""
    roles = getattr(user, "_cadreflow_roles", None)
    kept = getattr(user, "_cadreflow_kin", None)
    if kept is not None and kept[0] is roles:
        return kept[1]
    profile = profile_of(user)
    kin = kin_ids(profile.person_id) if profile and profile.person_id else set()
    if getattr(user, "is_authenticated", False):
        user._cadreflow_kin = (roles, kin)
    return kin


def recusal_reason(user, person: Person) -> str | None:
    """Why `user` must not act on `person` (a Chinese sentence), or None when they may. Kinship is read in both
    directions of the family table, so the person is the user's kin exactly when the user is the person's."""
    profile = profile_of(user)
    own_id = profile.person_id if profile else None
    if own_id is None or own_id == person.pk:
        return person_recusal_reason(own_id, person)
    return person_recusal_reason(own_id, person, {own_id} if person.pk in own_kin_ids(user) else set())


def may_act_on(user, person: Person) -> bool:
    """False for the person themself and for the person's kin."""
    return recusal_reason(user, person) is None


# 任职回避 ------------------------------------------------------------------------------------------------
#
# 《事业单位人事管理回避规定》: kin may not hold, in one unit, posts in a direct superior–subordinate line or
# posts directly under the same leader, and a leader's kin may not do personnel (组织人事), discipline (纪检监察),
# audit (审计) or finance (财务) work in the unit the leader leads. Read here as follows (decided once):
# - the line: in one school, two kin both in cadre posts (校级 or 中层, `Post.level`) of which at least one is
#   校级 (school head or deputy). A 校级 post leads every cadre of the school, and two 校级 deputies report to
#   the same head. Two 中层 posts are not treated as a line: departments are not recorded, so whether one
#   leads the other is for the officer to judge (the page lists every kin in the school anyway).
# - sensitive posts are named, not typed (`PostKind` has no such kinds): a post whose name contains one of
#   `SENSITIVE_POST_WORDS`. The conflict arises when one kin holds such a post in a school where the other is a
#   校级 leader (the 领导班子), whichever of the two is moving.
# - kin are the registry links of `FamilyMember` with a recusal relation (`kin_ids`), in both directions.

CADRE_LEVELS = ("school_head", "school_deputy", "middle_head", "middle_deputy")
SCHOOL_LEADER_LEVELS = ("school_head", "school_deputy")
SENSITIVE_POST_WORDS = {
    "人事": "人事",
    "组织": "人事",
    "财务": "财务",
    "会计": "财务",
    "出纳": "财务",
    "审计": "审计",
    "纪检": "纪检",
    "纪委": "纪检",
    "监察": "纪检",
}


@dataclass(frozen=True)
class PlannedMove:
    """One move of a plan as recusal reads it: who leaves which post and joins which (None: neither)."""

    person_id: int
    leave_post_id: int | None
    join_post_id: int | None


@dataclass(frozen=True)
class PostRecusalConflict:
    """Why `person` may not take the post: `code` is "recusal_line" or "recusal_sensitive_post"."""

    code: str
    kin_id: int
    kin_name: str
    kin_post: str
    message: str

    def __str__(self) -> str:
        return self.message


def sensitive_area(post_name: str) -> str | None:
    """人事/财务/审计/纪检 when the post's name marks it as such work, else None."""
    for word, area in SENSITIVE_POST_WORDS.items():
        if word in post_name:
            return area
    return None


def _kin_relations(person_id: int) -> dict[int, str]:
    """Kin id → the relation's label as recorded (in the person's own row when there is one)."""
    labels: dict[int, str] = {}
    rows = FamilyMember.objects.filter(
        Q(person_id=person_id) | Q(relative_id=person_id), relation__in=list(RECUSAL_RELATIONS)
    ).values_list("person_id", "relative_id", "relation")
    for owner, relative, relation in rows:
        if owner == person_id and relative is not None:
            labels[relative] = str(Relation(relation).label)
        elif relative == person_id:
            labels.setdefault(owner, "")
    labels.pop(person_id, None)
    return labels


def post_recusal_conflicts(
    person: Person, post: Post, on: dt.date, *, planned_moves: Iterable[PlannedMove] = ()
) -> list[PostRecusalConflict]:
    """The 任职回避 conflicts if `person` held `post` on `on`, after every move of `planned_moves` is made.

    Kin posts are the tenures current on `on`, less the posts kin leave and plus the posts they join in the
    plan (a swap where the kin leaves the school is fine; kin arriving with the plan count). Empty means no
    conflict. Kin in other schools never conflict.
    """
    from django.utils.translation import gettext as _

    relations = _kin_relations(person.pk)
    if not relations:
        return []
    held: dict[int, set[int]] = {kin: set() for kin in relations}
    current = Tenure.objects.filter(person_id__in=relations, start_date__lte=on).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=on)
    )
    for kin, post_id in current.values_list("person_id", "post_id"):
        held[kin].add(post_id)
    for move in planned_moves:
        if move.person_id in held:
            held[move.person_id].discard(move.leave_post_id)
            if move.join_post_id:
                held[move.person_id].add(move.join_post_id)
    post_ids = {p for ids in held.values() for p in ids}
    posts = Post.objects.in_bulk(post_ids)
    names = dict(Person.objects.filter(pk__in=relations).values_list("pk", "name"))
    conflicts: list[PostRecusalConflict] = []
    mine_leader = post.level in SCHOOL_LEADER_LEVELS
    mine_area = sensitive_area(post.name)
    for kin, ids in sorted(held.items()):
        relation = relations[kin] or _("亲属")
        for kin_post in sorted((posts[i] for i in ids if i in posts), key=lambda p: p.pk):
            if kin_post.organization_id != post.organization_id:
                continue
            what = {"kin": names.get(kin, ""), "rel": relation, "post": kin_post.name, "mine": post.name}
            if (
                post.level in CADRE_LEVELS
                and kin_post.level in CADRE_LEVELS
                and (mine_leader or kin_post.level in SCHOOL_LEADER_LEVELS)
            ):
                message = (
                    _("%(kin)s（%(rel)s）任本校%(post)s，与拟任%(mine)s在同一学校形成直接上下级或同属一位领导的关系。")
                    % what
                )
                conflicts.append(PostRecusalConflict("recusal_line", kin, what["kin"], kin_post.name, message))
                continue
            kin_area = sensitive_area(kin_post.name)
            if (mine_leader and kin_area) or (mine_area and kin_post.level in SCHOOL_LEADER_LEVELS):
                area = kin_area if mine_leader and kin_area else mine_area
                message = _(
                    "%(kin)s（%(rel)s）任本校%(post)s，与拟任%(mine)s同在一校，"
                    "领导人员的亲属不得在其任职学校从事%(area)s工作。"
                ) % {**what, "area": area}
                conflicts.append(
                    PostRecusalConflict("recusal_sensitive_post", kin, what["kin"], kin_post.name, message)
                )
    return conflicts
