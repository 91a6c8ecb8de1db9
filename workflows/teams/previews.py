"""The moves each team-changing decision would make, as `TeamChange`s for the structure-impact preview.

Each function mirrors what its decision's service then writes, so the preview shows the team the decision
produces: nothing here writes.
- 竞聘 决定: each post's top-ranked 考察对象, up to the plan's seats, join the post (the appointment adds a
  tenure; a current post is kept).
- 能上能下 决定: the cadre leaves the post; 降职 also joins the lower post proposed.
- 校长选拔 讨论决定: one preview per candidate voted on — the candidate joins the post and leaves the
  current post they hold (not a teacher's post), and, when the post is full, its longest-serving holder
  leaves (as `appointment_make` does).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from cadres import choices as c
from cadres.models import Tenure

from .impact import TeamChange, TeamImpact, structure_impact


def competition_decision_impacts(case, *, on: dt.date) -> list[TeamImpact]:
    from workflows.competition.models import RegStatus
    from workflows.competition.plan import plan_posts

    seats = {post_id: int(item.get("seats", 1)) for post_id, item in plan_posts(case.rules or {}).items()}
    taken: dict[int, int] = {}
    changes = []
    for reg in case.registrations.filter(status__in=[RegStatus.SHORTLISTED, RegStatus.DECIDED]).order_by(
        "post_id", "rank", "id"
    ):
        if taken.get(reg.post_id, 0) >= seats.get(reg.post_id, 1):
            continue
        taken[reg.post_id] = taken.get(reg.post_id, 0) + 1
        changes.append(TeamChange(reg.person_id, None, reg.post_id))
    return structure_impact(changes, on=on)


def adjustment_decision_impacts(case, *, on: dt.date) -> list[TeamImpact]:
    from workflows.competition.models import AdjustmentOutcome

    if not case.tenure_id:
        return []
    join = case.proposed_post_id if case.proposed_outcome == AdjustmentOutcome.DEMOTE else None
    return structure_impact([TeamChange(case.tenure.person_id, case.tenure.post_id, join)], on=on)


@dataclass
class CandidatePreview:
    name: str
    impacts: list[TeamImpact]


def selection_decision_previews(case, *, on: dt.date) -> list[CandidatePreview]:
    from workflows.principal_selection.models import CandidateStatus

    if not case.post_id:
        return []
    post = case.post
    holders = list(
        Tenure.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=on), post=post, start_date__lte=on)
        .order_by("start_date", "id")
        .values_list("person_id", flat=True)
    )
    previews = []
    candidates = case.candidates.filter(
        status__in=[CandidateStatus.SHORTLISTED, CandidateStatus.DEFERRED, CandidateStatus.DECIDED]
    ).select_related("person")
    for cand in candidates:
        former = (
            Tenure.objects.filter(person_id=cand.person_id, end_date__isnull=True)
            .exclude(post__kind=c.PostKind.TEACHER)
            .exclude(post=post)
            .order_by("-start_date")
            .values_list("post_id", flat=True)
            .first()
        )
        changes = [TeamChange(cand.person_id, former, post.pk)]
        outgoing = [p for p in holders if p != cand.person_id]
        changes += [TeamChange(p, post.pk, None) for p in outgoing[: max(0, len(outgoing) + 1 - post.headcount)]]
        previews.append(CandidatePreview(cand.person.name, structure_impact(changes, on=on)))
    return previews
