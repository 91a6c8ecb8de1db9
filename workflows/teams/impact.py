"""The structure-impact preview: a school's team before and after a set of moves, with the gaps each adds
or removes. Shown before every decision that changes a team (讨论决定, 竞聘决定, 能上能下, 交流方案).

This interface is fixed (other workflows code against it): `TeamChange`, `structure_impact`, `TeamImpact`
and the template include `teams/_impact.html`, which renders `impacts`.

Nothing is written: the moves are applied to the loaded rows in memory. A move leaves a post (its holding
on that post ends) and/or joins one (a new holding from the date: 0 years in post, a fresh term). A person
who joins a school-level post of a school no longer counts as that school's reserve (the pool marks a
reserve used on appointment). Moves on posts outside the teams (a teacher's post) affect no team.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cadres.facts import Span
from cadres.models import Post

from .structure import LEADER_LEVELS, Holding, TeamSummary, build_summary, gap_labels, team_summaries, with_holdings


@dataclass(frozen=True)
class TeamChange:
    person_id: int
    leave_post_id: int | None
    join_post_id: int | None


@dataclass
class TeamImpact:
    organization_id: int
    organization_name: str
    before: TeamSummary
    after: TeamSummary
    gaps_added: list[str]  # Chinese labels
    gaps_removed: list[str]

    @property
    def joined(self) -> set[tuple[int, int]]:
        """(person, post) pairs in the team after and not before."""
        return _pairs(self.after) - _pairs(self.before)

    @property
    def left(self) -> set[tuple[int, int]]:
        return _pairs(self.before) - _pairs(self.after)

    @property
    def rows(self) -> list[dict]:
        """Before and after side by side, for the template: each member marked stays / left / joined."""
        left, joined = self.left, self.joined
        out = []
        for m in self.before.members + self.before.middle:
            out.append({"member": m, "change": "left" if (m.person_id, m.post_id) in left else "stays"})
        for m in self.after.members + self.after.middle:
            if (m.person_id, m.post_id) in joined:
                out.append({"member": m, "change": "joined"})
        return out


def _pairs(summary: TeamSummary) -> set[tuple[int, int]]:
    return {(m.person_id, m.post_id) for m in summary.members + summary.middle}


def structure_impact(changes: list[TeamChange], *, on: dt.date) -> list[TeamImpact]:
    """One `TeamImpact` per school whose team a change touches, in the order the changes first name them.

    Eight queries whatever the number of changes and schools. A change naming a post that does not exist is
    ignored (the calling workflow validates its moves; the preview only shows them).
    """
    post_ids = {pid for ch in changes for pid in (ch.leave_post_id, ch.join_post_id) if pid}
    posts = {p["id"]: p for p in Post.objects.filter(pk__in=post_ids).values("id", "organization_id", "level")}
    order: list[int] = []
    for ch in changes:
        for pid in (ch.leave_post_id, ch.join_post_id):
            if pid in posts and posts[pid]["organization_id"] not in order:
                order.append(posts[pid]["organization_id"])
    if not order:
        return []
    schools, people, before = team_summaries(order, on=on, extra_people={ch.person_id for ch in changes})
    labels = gap_labels()
    impacts = []
    for org_id in order:
        school = schools.get(org_id)
        if school is None:
            continue
        holdings = list(school.holdings)
        reserve = list(school.reserve)
        touched = False
        for ch in changes:
            if ch.leave_post_id in school.posts:
                kept = [h for h in holdings if not (h.person_id == ch.person_id and h.post_id == ch.leave_post_id)]
                touched = touched or len(kept) != len(holdings)
                holdings = kept
            if ch.join_post_id in school.posts:
                touched = True
                if not any(h.person_id == ch.person_id and h.post_id == ch.join_post_id for h in holdings):
                    holdings.append(Holding(ch.person_id, ch.join_post_id, on, Span(0)))
                if school.posts[ch.join_post_id]["level"] in LEADER_LEVELS:
                    reserve = [r for r in reserve if r.person_id != ch.person_id]
        if not touched:
            continue
        after = build_summary(with_holdings(school, holdings, reserve), people, on=on)
        was = before[org_id]
        impacts.append(
            TeamImpact(
                organization_id=org_id,
                organization_name=was.organization_name,
                before=was,
                after=after,
                gaps_added=[labels[g] for g in after.gaps if g not in was.gaps],
                gaps_removed=[labels[g] for g in was.gaps if g not in after.gaps],
            )
        )
    return impacts
