"""Meeting arithmetic for 讨论决定 (regulations.md §1.5, §8.1).

Quorum: present ≥ ⌈ratio × due⌉. A candidate passes when 同意 > due / 2: the denominator is the members
*due to attend*, never those present (9 due → quorum 6, 5 yes needed). 缓议 defers the candidate to a later
meeting. Recused members are recorded, count as present, and neither vote nor change the denominator
(the regulations leave the denominator open; the tally names them so the record shows it).
Reconsideration (复议) needs more than half of the members to agree to reopen.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from cadres.refusals import Refusal

AGREE = "agree"
DISAGREE = "disagree"
DEFER = "defer"
VOTES = (AGREE, DISAGREE, DEFER)
VOTE_LABELS = {AGREE: "同意", DISAGREE: "不同意", DEFER: "缓议"}

PASSED = "passed"
FAILED = "failed"
DEFERRED = "deferred"
OUTCOME_LABELS = {PASSED: "通过", FAILED: "未通过", DEFERRED: "缓议"}


class VotingError(Refusal, ValueError):
    """A tally that cannot be taken; `code` names the rule ("no_quorum", "recused_vote", "unknown_vote")."""

    def __init__(self, message, code: str, params: dict | None = None):
        super().__init__(message, code, params)


def quorum(due: int, ratio: Fraction | str = Fraction(2, 3)) -> int:
    """Members who must be present: ⌈ratio × due⌉ (9 due → 6)."""
    ratio = Fraction(ratio)
    return math.ceil(ratio * due)


def has_quorum(*, due: int, present: int, ratio: Fraction | str = Fraction(2, 3)) -> bool:
    return present >= quorum(due, ratio)


def passes(*, due: int, agree: int) -> bool:
    """同意 > due / 2, whatever the attendance."""
    return 2 * agree > due


def reconsideration_allowed(*, members: int, in_favour: int) -> bool:
    """A decision may be reconsidered only when more than half of the members agree to reopen it."""
    return 2 * in_favour > members


@dataclass(frozen=True)
class CandidateTally:
    candidate: str
    agree: int
    disagree: int
    defer: int
    outcome: str

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS[self.outcome]


@dataclass(frozen=True)
class MeetingTally:
    due: int
    present: int
    quorum: int
    recused: dict[str, list[str]] = field(default_factory=dict)  # candidate → members recused
    candidates: list[CandidateTally] = field(default_factory=list)

    def outcome_of(self, candidate: str) -> str:
        return next(t.outcome for t in self.candidates if t.candidate == candidate)


def tally(
    *,
    due: int,
    present: Iterable[str],
    votes: Mapping[str, Mapping[str, str]],
    recused: Mapping[str, Iterable[str]] | None = None,
    ratio: Fraction | str = Fraction(2, 3),
) -> MeetingTally:
    """Count a meeting: `votes` is member → {candidate → agree/disagree/defer}.

    Raises VotingError("no_quorum") without quorum, ("recused_vote") when a recused member voted on the
    candidate, ("absent_vote") for a vote by an absent member, ("unknown_vote") for any other value.
    A candidate with a majority passes; without one it is deferred when 缓议 outnumbers 不同意, else it fails.
    """
    present = list(dict.fromkeys(present))
    needed = quorum(due, ratio)
    if len(present) < needed:
        raise VotingError(f"应到{due}人，实到{len(present)}人，不足{needed}人，不能开会表决。", "no_quorum")
    recused = {c: list(ms) for c, ms in (recused or {}).items()}
    named = [c for member_votes in votes.values() for c in member_votes] + list(recused)
    candidates = list(dict.fromkeys(named))
    results = []
    for candidate in candidates:
        counts = {AGREE: 0, DISAGREE: 0, DEFER: 0}
        for member, member_votes in votes.items():
            if candidate not in member_votes:
                continue
            value = member_votes[candidate]
            if member in recused.get(candidate, []):
                raise VotingError(f"{member}须回避，不能对{candidate}表决。", "recused_vote")
            if value not in counts:
                raise VotingError(f"未知表决意见：{value}", "unknown_vote")
            if member not in present:
                raise VotingError(f"{member}未到会，不能表决。", "absent_vote")
            counts[value] += 1
        if passes(due=due, agree=counts[AGREE]):
            outcome = PASSED
        elif counts[DEFER] > counts[DISAGREE]:
            outcome = DEFERRED
        else:
            outcome = FAILED
        results.append(CandidateTally(candidate, counts[AGREE], counts[DISAGREE], counts[DEFER], outcome))
    return MeetingTally(due=due, present=len(present), quorum=needed, recused=recused, candidates=results)
