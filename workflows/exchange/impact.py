"""The structure impact of a plan on every school it touches: the team before and after.

Uses `workflows.teams.impact.structure_impact` (the team-structure module) when it is installed; until then a
minimal reading of our own with the same shape (organization_name, before/after member lists, gaps).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from cadres.models import Organization, Post, Tenure
from cadres.recusal import CADRE_LEVELS

from .due import current_q


@dataclass(frozen=True)
class TeamMember:
    name: str
    post: str
    level: str


@dataclass(frozen=True)
class MinimalImpact:
    organization_id: int
    organization_name: str
    before: list[TeamMember]
    after: list[TeamMember]
    gaps_added: list[str] = field(default_factory=list)
    gaps_removed: list[str] = field(default_factory=list)


def _shared_module():
    try:
        from workflows.teams import impact
    except ImportError:
        return None
    return impact if hasattr(impact, "structure_impact") and hasattr(impact, "TeamChange") else None


def uses_shared_module() -> bool:
    return _shared_module() is not None


def plan_impact(moves, *, on: dt.date) -> list:
    """One impact per affected school (the schools left and joined), in school order."""
    shared = _shared_module()
    if shared is not None:
        changes = [shared.TeamChange(m.person_id, m.from_tenure.post_id, m.to_post_id) for m in moves]
        return shared.structure_impact(changes, on=on)
    return _minimal_impact(moves, on=on)


def _minimal_impact(moves, *, on: dt.date) -> list[MinimalImpact]:
    leave = {(m.person_id, m.from_tenure.post_id) for m in moves}
    joins = [(m.person, m.to_post) for m in moves]
    org_ids = {m.from_tenure.post.organization_id for m in moves} | {m.to_post.organization_id for m in moves}
    tenures = (
        Tenure.objects.filter(current_q(on), post__organization_id__in=org_ids, post__level__in=CADRE_LEVELS)
        .select_related("person", "post")
        .order_by("post__level", "person__name")
    )
    before: dict[int, list[TeamMember]] = {o: [] for o in org_ids}
    after: dict[int, list[TeamMember]] = {o: [] for o in org_ids}
    for t in tenures:
        member = TeamMember(t.person.name, t.post.name, t.post.level)
        before[t.post.organization_id].append(member)
        if (t.person_id, t.post_id) not in leave:
            after[t.post.organization_id].append(member)
    for person, post in joins:
        after[post.organization_id].append(TeamMember(person.name, post.name, post.level))
    impacts = []
    for org in Organization.objects.filter(pk__in=org_ids).order_by("code"):
        vacant_before = _vacancies(org, before[org.pk])
        vacant_after = _vacancies(org, after[org.pk])
        impacts.append(
            MinimalImpact(
                org.pk,
                org.name,
                sorted(before[org.pk], key=_order),
                sorted(after[org.pk], key=_order),
                sorted(vacant_after - vacant_before),
                sorted(vacant_before - vacant_after),
            )
        )
    return impacts


def _order(member: TeamMember):
    return (CADRE_LEVELS.index(member.level) if member.level in CADRE_LEVELS else 9, member.post, member.name)


def _vacancies(org, members: list[TeamMember]) -> set[str]:
    """Posts of the school held by fewer people than their 职数, as sentences."""
    held: dict[str, int] = {}
    for m in members:
        held[m.post] = held.get(m.post, 0) + 1
    gaps = set()
    for post in Post.objects.filter(organization=org, level__in=CADRE_LEVELS[:2]):
        if held.get(post.name, 0) < post.headcount:
            gaps.add(_("%(post)s空缺%(n)d人") % {"post": post.name, "n": post.headcount - held.get(post.name, 0)})
    return gaps
