"""Reads of ballot rounds. While a round is open only turnout per category is readable (`turnout`); the
per-candidate figures exist only in `results`, which the close writes. Nothing here reads `Ballot.marks`."""

from __future__ import annotations

from django.db.models import Count, Q

from cadres.roles import Role, has_role, is_bureau_user

from .models import BallotKind, BallotRound, RoundState, VoterCategory


def rounds_of(case):
    return BallotRound.objects.filter(case=case).select_related("candidate__person").order_by("id")


def turnout(rnd: BallotRound) -> list[dict]:
    """Per category: 应到, codes spent (electronic votes), paper slips recorded."""
    rows = (
        VoterCategory.objects.filter(round=rnd)
        .annotate(spent=Count("codes", filter=Q(codes__spent=True)))
        .order_by("order", "id")
    )
    return [
        {
            "category": c,
            "name": c.name,
            "due": c.due,
            "electronic": c.spent,
            "paper": c.paper_cast,
            "total": c.spent + c.paper_cast,
        }
        for c in rows
    ]


def may_manage(user, rnd_or_kind, case) -> bool:
    """Personnel officers of the bureau manage every round; the case's inspection team its 民主测评 rounds."""
    if not is_bureau_user(user):
        return False
    if user.is_superuser or has_role(user, Role.PERSONNEL_OFFICER):
        return True
    kind = rnd_or_kind.kind if isinstance(rnd_or_kind, BallotRound) else rnd_or_kind
    return (
        kind == BallotKind.EVALUATION
        and has_role(user, Role.INSPECTION_TEAM)
        and case.inspection_team.filter(pk=user.pk).exists()
    )


def evaluation_round(candidate) -> BallotRound | None:
    return BallotRound.objects.filter(candidate=candidate, kind=BallotKind.EVALUATION).order_by("-id").first()


def evaluation_counts(candidate) -> dict | None:
    """The 民主测评 counts of the candidate's closed electronic round ({grade key: total}), or None."""
    rnd = evaluation_round(candidate)
    if rnd is None or rnd.state != RoundState.CLOSED:
        return None
    return {r["key"]: r["total"] for r in rnd.results["rows"]}


def evaluation_rounds_of(case) -> list[dict]:
    """The case's 民主测评 rounds for the inspect page: the state, and the counts once closed."""
    return [
        {"round": r, "name": r.candidate.person.name, "counts": r.results.get("rows") if r.is_closed else None}
        for r in rounds_of(case).filter(kind=BallotKind.EVALUATION)
    ]
