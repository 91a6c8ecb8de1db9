"""The officer's 电子投票 pages over HTTP: the whole journey, sealed counts, refusals shown, who may act."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.factories import UserFactory
from tests.workflows.principal_selection import journey
from tests.workflows.principal_selection.conftest import FLOW, open_task, post_task
from tests.workflows.principal_selection.form_data import token
from tests.workflows.principal_selection.stages import EVALUATION, REPORT, proposed
from workflows.ballots.models import Ballot, BallotRound, RoundState
from workflows.principal_selection.models import CaseState, RecommendationRound

from .conftest import candidate_ids
from .http import ballots_url, category_rows, create_recommendation, open_round, round_url, vote

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def vote_all(codes, marks_by_index):
    for n, code in enumerate(codes):
        marks = marks_by_index(n)
        if marks is not None:
            assert vote(code, marks, address=f"10.2.0.{n % 250}").url == "/vote/done/"


def test_whole_journey_two_electronic_rounds_fill_the_recommend_step_and_an_evaluation_fills_the_inspection(world):
    officer = Client()
    case = journey.propose(officer, world)
    page = officer.get(open_task_url(case, FLOW.recommend))
    assert 'id="ballots-link"' in text(page)

    # 谈话调研推荐, electronic plus paper.
    talk = create_recommendation(officer, world, case, form="talk", categories="班子,5\n中层干部,12")
    codes = open_round(officer, talk)
    alice, bob, carol = candidate_ids(talk, world.alice, world.bob, world.carol)
    vote_all(codes["班子"][:4], lambda n: [alice])
    vote_all(codes["中层干部"][:9], lambda n: [bob] if n < 2 else [alice])
    staff = talk.categories.get(name="中层干部")
    ok = officer.post(
        round_url(talk),
        {
            "action": "paper",
            "category": staff.pk,
            "cast": 2,
            "invalid": 1,
            f"m_{alice}": 0,
            f"m_{bob}": 0,
            f"m_{carol}": 1,
        },
    )
    assert ok.status_code == 302
    assert officer.post(round_url(talk), {"action": "close"}).status_code == 302
    page = text(officer.get(round_url(talk)))
    assert 'id="ballot-results"' in page and 'id="ballot-applied"' in page
    talk.refresh_from_db(fields=["results", "applied"])
    assert {r["name"]: r["total"] for r in talk.results["rows"]} == {"王晓燕": 11, "赵立新": 2, "孙海涛": 1}

    # 会议推荐.
    meeting = create_recommendation(officer, world, case, form="meeting", categories="班子,5\n教职工代表,20")
    codes = open_round(officer, meeting)
    alice, bob, _carol = candidate_ids(meeting, world.alice, world.bob, world.carol)
    vote_all(codes["班子"], lambda n: [alice])
    vote_all(codes["教职工代表"][:18], lambda n: [bob] if n % 6 == 0 else [alice])
    assert officer.post(round_url(meeting), {"action": "close"}).status_code == 302

    rounds = {r.form: r for r in RecommendationRound.objects.filter(case=case)}
    assert set(rounds) == {"talk", "meeting"}
    assert rounds["talk"].voters == [
        {"category": "班子", "due": 5, "attended": 4},
        {"category": "中层干部", "due": 12, "attended": 11},
    ]
    assert {v.person_id: v.votes for v in rounds["meeting"].votes.all()} == {world.alice.pk: 20, world.bob.pk: 3}
    case.refresh_from_db()
    assert case.state == CaseState.RECOMMENDED

    # The recommend task is finished from its page, without typing a round.
    page = officer.get(open_task_url(case, FLOW.recommend))
    assert 'id="step-complete"' in text(page)
    done = officer.post(open_task_url(case, FLOW.recommend), {"action": "complete"})
    assert done.status_code == 302
    assert open_task(case, FLOW.shortlist)

    # 民主测评 of one candidate by electronic ballot, run by the case's inspection team.
    journey.ok(journey.shortlist(officer, world, case))
    inspector = Client()
    inspector.force_login(world.inspectors[0])
    cand = case.candidates.get(person=world.alice)
    response = inspector.post(
        ballots_url(case),
        {
            "action": "evaluation",
            "candidate": token(world.alice),
            "held_on": "2026-03-22",
            **category_rows("教职工,10", "evaluation_categories"),
        },
    )
    assert response.status_code == 302, text(response)[:2000]
    evaluation = BallotRound.objects.get(candidate=cand)
    inspector.post(round_url(evaluation), {"action": "open"})
    assert BallotRound.objects.get(pk=evaluation.pk).state == RoundState.OPEN
    from workflows.ballots.models import BallotCode  # codes come from the slips the officer prints

    codes = open_codes_from_slips(evaluation)
    assert len(codes) == 10 and BallotCode.objects.filter(round=evaluation).count() == 10
    # While the vote is open the inspection of that candidate waits.
    blocked = post_task(Client(), world.inspectors[0], case, FLOW.inspect, inspect_data(cand, figures=False))
    assert blocked.status_code == 200 and "尚未结束" in text(blocked)
    vote_all(codes[:8], lambda n: "excellent" if n < 6 else "competent")
    inspector.post(round_url(evaluation), {"action": "close"})
    page = text(inspector.get(open_task_url(case, FLOW.inspect, user=world.inspectors[0], client=inspector)))
    assert "优秀6" in page
    # Figures typed on the form are not used: the closed count is.
    journey.ok(post_task(Client(), world.inspectors[0], case, FLOW.inspect, inspect_data(cand, figures=True)))
    cand.refresh_from_db()
    assert cand.evaluation == {"excellent": 6, "competent": 2, "basic": 0, "incompetent": 0}
    # The other candidate has no electronic round: the four figures are typed as before, and required.
    other = case.candidates.get(person=world.bob)
    missing = post_task(Client(), world.inspectors[0], case, FLOW.inspect, inspect_data(other, figures=False))
    assert missing.status_code == 200
    journey.ok(post_task(Client(), world.inspectors[0], case, FLOW.inspect, inspect_data(other, figures=True)))
    other.refresh_from_db()
    assert other.evaluation == EVALUATION


def open_task_url(case, node, *, user=None, client=None):
    task = open_task(case, node)
    return node.reverse("execute", args=[case.pk, task.pk])


def open_codes_from_slips(rnd) -> list[str]:
    from dossiers.models import DossierDocument

    doc = DossierDocument.objects.get(kind="ballot_slips", step=f"ballot_{rnd.pk}")
    return [s["code"] for s in doc.content["slips"]]


def inspect_data(cand, *, figures: bool) -> dict:
    data = {
        "candidate": token(cand.person),
        "talks": 30,
        **REPORT["performance"],
        "shortcomings": "经验不足",
        "opinion": "同意",
    }
    if figures:
        data.update(EVALUATION)
    return data


def test_sealed_while_open_even_for_a_superuser(world):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    case = proposed(world)
    officer = Client()
    rnd = create_recommendation(officer, world, case, seats=1, categories="班子,5\n教职工代表,20")
    codes = open_round(officer, rnd)
    alice, bob, _ = candidate_ids(rnd, world.alice, world.bob, world.carol)
    vote_all(codes["教职工代表"][:13], lambda n: [alice] if n < 11 else [bob])
    assert Ballot.objects.count() == 13
    su = Client()
    su.force_login(admin)
    for url in (round_url(rnd), ballots_url(case)):
        response = su.get(url)
        page = text(response)
        assert 'id="ballot-results"' not in page
        assert "13/25" in page or re.search(r"<td>20</td><td>13</td><td>0</td><td>13</td>", page)
        assert response.context.get("results") is None  # nothing per candidate reaches the template
        for name in ("王晓燕", "赵立新"):  # a name is never followed by a count
            assert not re.search(name + r"[^<]{0,40}</td><td>\d", page)
    admin_index = su.get("/admin/")
    assert admin_index.status_code == 200 and "ballots" not in text(admin_index).lower()
    for model in ("ballot", "ballotcode", "ballotround", "votercategory"):
        assert su.get(f"/admin/ballots/{model}/").status_code == 404
    officer.post(round_url(rnd), {"action": "close"})
    page = text(su.get(round_url(rnd)))
    assert 'id="ballot-results"' in page and re.search(r"王晓燕[^<]{0,40}</td><td>11</td>", page)


def test_a_meeting_without_quorum_is_closed_and_the_officer_sees_why(world):
    case = proposed(world)
    officer = Client()
    rnd = create_recommendation(officer, world, case, categories="班子,5\n教职工代表,20")
    codes = open_round(officer, rnd)
    alice = candidate_ids(rnd, world.alice)
    vote_all(codes["教职工代表"][:8], lambda n: alice)
    response = officer.post(round_url(rnd), {"action": "close"}, follow=True)
    page = text(response)
    assert "结果未能计入" in page and "推荐无效" in page and 'id="ballot-apply-error"' in page
    assert 'id="ballot-results"' in page
    rnd.refresh_from_db(fields=["applied", "results"])
    assert BallotRound.objects.get(pk=rnd.pk).state == RoundState.CLOSED and not rnd.applied
    assert not RecommendationRound.objects.filter(case=case).exists()


def test_bad_input_on_the_officer_pages_gets_chinese_reasons(world):
    case = proposed(world)
    officer = Client()
    officer.force_login(world.officer)
    response = officer.post(
        ballots_url(case),
        {
            "action": "recommendation",
            "form": "meeting",
            "held_on": "2026-03-10",
            "seats": 4,
            "people": [token(world.alice), "999999"],
            **category_rows("班子"),
        },
    )
    page = text(response)
    assert response.status_code == 200 and "所选人员无效，请重新选择。" in page
    assert "应到人数：该字段是必填项。" in page
    response = officer.post(
        ballots_url(case),
        {
            "action": "recommendation",
            "form": "meeting",
            "held_on": "2026-03-10",
            "seats": 1,
            "people": [],
            **category_rows("班子,3\n班子,4"),
        },
    )
    page = text(response)
    assert "请至少选择一人。" in page and "投票人类别“班子”重复，请合并为一行。" in page
    response = officer.post(
        ballots_url(case),
        {
            "action": "recommendation",
            "form": "meeting",
            "held_on": "2026-03-10",
            "seats": 4,
            "people": [token(world.alice)],
            **category_rows("班子,3"),
        },
    )
    assert "应选人数须在1至候选人数之间" in text(response)
    assert not BallotRound.objects.exists()
    rnd = create_recommendation(officer, world, case)
    open_round(officer, rnd)
    staff = rnd.categories.get(name="教职工代表")
    response = officer.post(round_url(rnd), {"action": "paper", "category": staff.pk, "cast": "x"})
    assert response.status_code == 200 and "纸质票数" in text(response)
    response = officer.post(
        round_url(rnd), {"action": "paper", "category": staff.pk, "cast": 2, "invalid": 3}, follow=True
    )
    assert "废票数不能多于纸质票数" in text(response)


def test_who_may_see_and_act(world):
    case = proposed(world)
    officer = Client()
    rnd = create_recommendation(officer, world, case)
    school = Client()
    school.force_login(world.school_user)
    assert school.get(ballots_url(case)).status_code in (403, 404)
    assert school.get(round_url(rnd)).status_code in (403, 404)
    anonymous = Client()
    assert anonymous.get(round_url(rnd)).status_code == 302  # to the login page
    member = Client()
    member.force_login(world.members[0])
    assert member.get(round_url(rnd)).status_code == 200
    assert member.post(round_url(rnd), {"action": "open"}).status_code == 403
    inspector = Client()
    inspector.force_login(world.inspectors[0])
    assert inspector.post(round_url(rnd), {"action": "open"}).status_code == 403  # not an evaluation round
    assert BallotRound.objects.get(pk=rnd.pk).state == RoundState.DRAFT
    officer.force_login(world.officer)
    assert officer.get(FLOW.instance.reverse("ballot", args=[case.pk, 999999])).status_code == 404
