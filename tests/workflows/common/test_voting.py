from fractions import Fraction

import pytest

from workflows.common import voting


def test_nine_members_need_six_present():
    assert voting.quorum(9) == 6
    assert voting.has_quorum(due=9, present=6)
    assert not voting.has_quorum(due=9, present=5)


def test_quorum_ratio_comes_from_the_caller():
    assert voting.quorum(10, Fraction(1, 2)) == 5
    assert voting.quorum(10, "2/3") == 7


def test_five_of_nine_passes_and_four_fails():
    assert voting.passes(due=9, agree=5)
    assert not voting.passes(due=9, agree=4)


def _votes(values):
    return {f"m{i}": {"王": v} for i, v in enumerate(values)}


def test_four_of_six_present_agreeing_still_fails_nine_due():
    result = voting.tally(due=9, present=[f"m{i}" for i in range(6)], votes=_votes(["agree"] * 4 + ["disagree"] * 2))
    assert result.candidates[0].agree == 4
    assert result.outcome_of("王") == voting.FAILED


def test_five_of_nine_with_seven_present_passes():
    result = voting.tally(due=9, present=[f"m{i}" for i in range(7)], votes=_votes(["agree"] * 5 + ["disagree"] * 2))
    assert result.outcome_of("王") == voting.PASSED


def test_without_quorum_no_tally_is_taken():
    with pytest.raises(voting.VotingError) as exc:
        voting.tally(due=9, present=[f"m{i}" for i in range(5)], votes=_votes(["agree"] * 5))
    assert exc.value.code == "no_quorum"


def test_defer_keeps_the_candidate_for_a_later_meeting():
    result = voting.tally(
        due=9, present=[f"m{i}" for i in range(7)], votes=_votes(["defer"] * 4 + ["agree"] * 2 + ["disagree"])
    )
    assert result.outcome_of("王") == voting.DEFERRED


def test_a_recused_member_may_not_vote_and_is_recorded():
    with pytest.raises(voting.VotingError) as exc:
        voting.tally(due=9, present=[f"m{i}" for i in range(7)], votes=_votes(["agree"] * 7), recused={"王": ["m0"]})
    assert exc.value.code == "recused_vote"
    votes = _votes(["agree"] * 7)
    votes.pop("m0")
    result = voting.tally(due=9, present=[f"m{i}" for i in range(7)], votes=votes, recused={"王": ["m0"]})
    assert result.recused == {"王": ["m0"]}
    assert result.candidates[0].agree == 6 and result.outcome_of("王") == voting.PASSED


def test_an_absent_member_cannot_vote():
    with pytest.raises(voting.VotingError) as exc:
        voting.tally(due=9, present=[f"m{i}" for i in range(6)], votes=_votes(["agree"] * 7))
    assert exc.value.code == "absent_vote"


def test_reconsideration_needs_more_than_half_of_members():
    assert not voting.reconsideration_allowed(members=9, in_favour=4)
    assert voting.reconsideration_allowed(members=9, in_favour=5)
    assert not voting.reconsideration_allowed(members=8, in_favour=4)
