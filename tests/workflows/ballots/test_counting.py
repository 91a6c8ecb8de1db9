"""Casting, paper counts and closing, at the service level: refusals, totals, and what reaches the step."""

from __future__ import annotations

import pytest

from workflows.ballots import services
from workflows.ballots.codes import ALPHABET, LENGTH, code_hash, normalise
from workflows.ballots.models import Ballot, BallotCode, BallotKind, RoundState
from workflows.principal_selection.models import RecommendationRound

from .conftest import D, candidate_ids, cast, meeting_round, opened

pytestmark = pytest.mark.django_db


def test_codes_are_ten_characters_of_an_unambiguous_alphabet_and_only_their_hash_is_stored(world):
    rnd = meeting_round(world)
    codes = opened(rnd, world)
    every = [c for group in codes.values() for c in group]
    assert len(every) == 25 and len(set(every)) == 25
    assert all(len(c) == LENGTH and set(c) <= set(ALPHABET) for c in every)
    assert not set("01ILO") & set(ALPHABET)
    stored = set(BallotCode.objects.filter(round=rnd).values_list("code_hash", flat=True))
    assert stored == {code_hash(c) for c in every}
    assert not stored & set(every)
    assert {len(codes[name]) for name in codes} == {5, 20}


def test_a_typed_code_is_normalised():
    assert normalise(" abcde-fghjk ") == "ABCDEFGHJK"
    assert normalise("ABCDE FGHJK") == "ABCDEFGHJK"
    assert normalise("ABCDEFGHJ0") is None  # 0 is not in the alphabet
    assert normalise("ABC") is None


def test_a_spent_code_is_refused_and_gives_no_second_ballot(world):
    rnd = meeting_round(world)
    code = opened(rnd, world)["教职工代表"][0]
    cast(code, candidate_ids(rnd, world.alice))
    with pytest.raises(services.BallotRefused) as exc:
        cast(code, candidate_ids(rnd, world.bob))
    assert exc.value.code == "spent" and "已使用" in exc.value.messages[0]
    assert Ballot.objects.filter(round=rnd).count() == 1


def test_an_over_marked_ballot_is_refused_before_it_is_cast(world):
    rnd = meeting_round(world, seats=1)
    code = opened(rnd, world)["教职工代表"][0]
    with pytest.raises(services.BallotRefused) as exc:
        cast(code, candidate_ids(rnd, world.alice, world.bob))
    assert exc.value.code == "overmarked" and "最多可选1人" in exc.value.messages[0]
    assert not Ballot.objects.exists()
    assert not BallotCode.objects.get(code_hash=code_hash(code)).spent  # the code may still be used


def test_a_ballot_with_a_person_not_on_it_is_refused(world):
    rnd = meeting_round(world, seats=2)
    code = opened(rnd, world)["教职工代表"][0]
    with pytest.raises(services.BallotRefused) as exc:
        cast(code, [999999])
    assert exc.value.code == "invalid_mark"


def test_no_ballot_before_the_round_opens_or_after_it_closes(world):
    rnd = meeting_round(world, categories=[{"name": "班子", "due": 2}])
    codes = opened(rnd, world)["班子"]
    cast(codes[0], candidate_ids(rnd, world.alice))
    services.round_close(rnd=rnd, acting_user=world.officer)
    with pytest.raises(services.BallotRefused) as exc:
        cast(codes[1], candidate_ids(rnd, world.alice))
    assert exc.value.code == "not_open"
    assert Ballot.objects.filter(round=rnd).count() == 1


def test_closing_counts_electronic_and_paper_ballots_and_fills_the_recommendation_step(world):
    rnd = meeting_round(world, seats=1)
    codes = opened(rnd, world)
    alice, bob, carol = candidate_ids(rnd, world.alice, world.bob, world.carol)
    for code in codes["学校领导班子成员"][:4]:
        cast(code, [alice])
    for code in codes["教职工代表"][:12]:
        cast(code, [alice])
    for code in codes["教职工代表"][12:15]:
        cast(code, [bob])
    cast(codes["教职工代表"][15], [])  # a blank ballot: present, no vote
    staff = rnd.categories.get(name="教职工代表")
    services.paper_record(
        rnd=rnd, acting_user=world.officer, category=staff, cast=3, invalid=1, marks={str(carol): 1, str(alice): 1}
    )
    rnd = services.round_close(rnd=rnd, acting_user=world.officer)

    assert rnd.state == RoundState.CLOSED and rnd.applied and rnd.apply_error == ""
    rows = {r["name"]: r for r in rnd.results["rows"]}
    assert (rows["王晓燕"]["electronic"], rows["王晓燕"]["paper"], rows["王晓燕"]["total"]) == (16, 1, 17)
    assert (rows["赵立新"]["total"], rows["孙海涛"]["paper"], rows["孙海涛"]["total"]) == (3, 1, 1)
    assert [r["name"] for r in rnd.results["rows"]] == ["王晓燕", "赵立新", "孙海涛"]
    cats = {c["name"]: c for c in rnd.results["categories"]}
    assert cats["教职工代表"] == {
        "name": "教职工代表",
        "due": 20,
        "electronic": 16,
        "paper": 3,
        "invalid": 1,
        "attended": 19,
    }
    assert rnd.results["attended"] == 23 and rnd.results["invalid"] == 1
    assert rows["王晓燕"]["share"] == round(100 * 17 / 23, 1)

    step = RecommendationRound.objects.get(case=rnd.case)
    assert step.form == "meeting" and step.held_on == D(2026, 3, 10)
    assert step.voters == [
        {"category": "学校领导班子成员", "due": 5, "attended": 4},
        {"category": "教职工代表", "due": 20, "attended": 19},
    ]
    assert {v.person_id: v.votes for v in step.votes.all()} == {world.alice.pk: 17, world.bob.pk: 3, world.carol.pk: 1}
    assert step.recorded_by == world.officer


def test_a_meeting_without_quorum_is_closed_and_counted_but_not_applied(world):
    rnd = meeting_round(world)
    codes = opened(rnd, world)
    alice = candidate_ids(rnd, world.alice)
    for code in codes["教职工代表"][:10]:
        cast(code, alice)
    rnd = services.round_close(rnd=rnd, acting_user=world.officer)
    assert rnd.state == RoundState.CLOSED and not rnd.applied
    assert "推荐无效" in rnd.apply_error and "应到25人，实到10人" in rnd.apply_error
    assert rnd.results["rows"][0]["total"] == 10
    assert not RecommendationRound.objects.filter(case=rnd.case).exists()


@pytest.mark.parametrize(
    ("cast_", "invalid", "marks", "message"),
    [
        (3, 4, {}, "废票数不能多于纸质票数"),
        (3, 0, {"alice": 4}, "得票数多于有效纸质票数"),
        (3, 1, {"alice": 2, "bob": 1}, "得票总数多于有效纸质票数与应选人数之积"),
        (21, 0, {}, "纸质票不能超过"),
    ],
)
def test_paper_counts_that_slips_could_not_give_are_refused(world, cast_, invalid, marks, message):
    rnd = meeting_round(world)
    opened(rnd, world)
    ids = dict(zip(("alice", "bob", "carol"), candidate_ids(rnd, world.alice, world.bob, world.carol), strict=True))
    staff = rnd.categories.get(name="教职工代表")
    with pytest.raises(services.BallotRefused) as exc:
        services.paper_record(
            rnd=rnd,
            acting_user=world.officer,
            category=staff,
            cast=cast_,
            invalid=invalid,
            marks={str(ids[k]): v for k, v in marks.items()},
        )
    assert message in exc.value.messages[0]
    staff.refresh_from_db()
    assert staff.paper_cast == 0


def test_paper_ballots_are_recorded_as_such_with_who_entered_them(world):
    rnd = meeting_round(world)
    opened(rnd, world)
    staff = rnd.categories.get(name="教职工代表")
    services.paper_record(rnd=rnd, acting_user=world.officer2, category=staff, cast=2, invalid=0, marks={})
    staff.refresh_from_db()
    assert (staff.paper_cast, staff.paper_recorded_by, staff.paper_recorded_at is not None) == (2, world.officer2, True)


def test_an_evaluation_round_counts_the_four_grades(world, shortlisted_case):
    cand = shortlisted_case.active_candidates.get(person=world.alice)
    rnd = services.round_create(
        case=shortlisted_case,
        acting_user=world.officer,
        kind=BallotKind.EVALUATION,
        held_on=D(2026, 3, 22),
        candidate=cand,
        categories=[{"name": "教职工", "due": 10}],
    )
    codes = opened(rnd, world)["教职工"]
    for code, grade in zip(codes, ["excellent"] * 5 + ["competent"] * 2 + ["basic"], strict=False):
        cast(code, grade)
    with pytest.raises(services.BallotRefused):
        cast(codes[9], ["excellent", "competent"])
    services.paper_record(
        rnd=rnd,
        acting_user=world.officer,
        category=rnd.categories.get(),
        cast=1,
        invalid=0,
        marks={"excellent": 1},
    )
    rnd = services.round_close(rnd=rnd, acting_user=world.officer)
    counts = {r["key"]: r["total"] for r in rnd.results["rows"]}
    assert counts == {"excellent": 6, "competent": 2, "basic": 1, "incompetent": 0}
    assert rnd.applied


@pytest.mark.parametrize("state", ["draft", "closed"])
def test_wrong_state_transitions_are_refused_and_leave_the_round_unchanged(world, state):
    rnd = meeting_round(world, categories=[{"name": "班子", "due": 1}])
    if state == "closed":
        opened(rnd, world)
        services.round_close(rnd=rnd, acting_user=world.officer)
        with pytest.raises(services.BallotRefused):
            services.round_open(rnd=rnd, acting_user=world.officer)
    else:
        with pytest.raises(services.BallotRefused):
            services.round_close(rnd=rnd, acting_user=world.officer)
    rnd.refresh_from_db(fields=["results", "applied"])
    assert type(rnd).objects.get(pk=rnd.pk).state == state
