"""The voter's pages over HTTP: no login, a code in, one ballot out; refusals in Chinese; headers; throttling."""

from __future__ import annotations

import pytest
from django.test import Client

from workflows.ballots.codes import code_hash
from workflows.ballots.models import Ballot, BallotCode, GuessFailure

from .conftest import D, candidate_ids, meeting_round, opened
from .http import vote

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def test_a_voter_votes_without_logging_in_and_the_code_is_then_spent(world):
    rnd = meeting_round(world)
    code = opened(rnd, world)["教职工代表"][0]
    alice = candidate_ids(rnd, world.alice)
    client = Client()
    page = client.get("/vote/")
    assert page.status_code == 200 and "投票码" in text(page)
    done = vote(code, alice, client=client)
    assert done.status_code == 302 and done.url == "/vote/done/"
    assert "投票成功" in text(client.get("/vote/done/"))
    assert Ballot.objects.get().marks == alice
    assert BallotCode.objects.get(code_hash=code_hash(code)).spent
    again = Client()
    again.get(f"/vote/{code}/")
    assert "该投票码已使用" in text(again.get("/vote/ballot/"))


def test_the_ballot_names_each_candidate_with_unit_and_post(world):
    rnd = meeting_round(world, seats=2)
    code = opened(rnd, world)["班子" if False else "教职工代表"][0]
    client = Client()
    client.get(f"/vote/{code.lower()}/")
    page = text(client.get("/vote/ballot/"))
    assert rnd.title in page and "最多选2人" in page
    for cand in rnd.candidates.all():
        assert cand.person.name in page and cand.description and cand.description in page


def test_a_typed_code_with_spaces_and_lower_case_works(world):
    rnd = meeting_round(world)
    code = opened(rnd, world)["教职工代表"][0]
    client = Client(enforce_csrf_checks=True)
    entry = client.get("/vote/")
    token = entry.cookies["csrftoken"].value
    typed = f" {code[:5].lower()} {code[5:]} "
    response = client.post("/vote/", {"code": typed, "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and response.url == "/vote/ballot/"
    assert 'id="ballot-form"' in text(client.get("/vote/ballot/"))


def test_a_post_without_the_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    assert client.post("/vote/", {"code": "ABCDEFGHJK"}).status_code == 403


def test_an_over_marked_ballot_is_refused_with_a_form_error_and_not_cast(world):
    rnd = meeting_round(world, seats=1)
    code = opened(rnd, world)["教职工代表"][0]
    client = Client()
    client.get(f"/vote/{code}/")
    marks = [str(m) for m in candidate_ids(rnd, world.alice, world.bob)]
    response = client.post("/vote/ballot/", {"step": "confirm", "marks": marks})
    assert "最多可选1人，您选了2人" in text(response) and "请确认您的选择" not in text(response)
    response = client.post("/vote/ballot/", {"step": "cast", "marks": marks})  # skipping the confirm page
    assert "最多可选1人，您选了2人" in text(response)
    assert not Ballot.objects.exists() and not BallotCode.objects.filter(spent=True).exists()


def test_the_confirm_page_lists_the_marks_and_going_back_keeps_them(world):
    rnd = meeting_round(world, seats=2)
    code = opened(rnd, world)["教职工代表"][0]
    client = Client()
    client.get(f"/vote/{code}/")
    marks = [str(m) for m in candidate_ids(rnd, world.bob)]
    confirm = text(client.post("/vote/ballot/", {"step": "confirm", "marks": marks}))
    assert "赵立新" in confirm and "王晓燕" not in confirm
    back = text(client.post("/vote/ballot/", {"step": "edit", "marks": marks}))
    assert f'value="{marks[0]}" checked' in back
    assert not Ballot.objects.exists()


def test_unknown_and_closed_and_malformed_codes_get_chinese_messages(world):
    from workflows.ballots import services

    rnd = meeting_round(world, categories=[{"name": "班子", "due": 2}])
    codes = opened(rnd, world)["班子"]
    client = Client()
    client.get("/vote/ABCDEFGHJK/")
    assert "投票码无效" in text(client.get("/vote/ballot/"))
    assert client.get("/vote/abc/").url == "/vote/"
    assert "10位" in text(client.post("/vote/", {"code": "12"}))
    services.round_close(rnd=rnd, acting_user=world.officer)
    client.get(f"/vote/{codes[0]}/")
    assert "投票已结束" in text(client.get("/vote/ballot/"))


def test_a_draft_round_is_not_open_for_votes(world):
    from workflows.ballots import codes as code_module
    from workflows.ballots.models import BallotCode as Code

    rnd = meeting_round(world, categories=[{"name": "班子", "due": 1}])
    # A code cannot exist before opening; a hand-made one shows the page would still refuse.
    code = code_module.new_code()
    Code.objects.create(round=rnd, category=rnd.categories.get(), code_hash=code_module.code_hash(code))
    client = Client()
    client.get(f"/vote/{code}/")
    assert "投票尚未开始" in text(client.get("/vote/ballot/"))


def test_voter_pages_send_no_referrer_elsewhere_and_are_not_cached(world):
    rnd = meeting_round(world)
    code = opened(rnd, world)["教职工代表"][0]
    client = Client()
    for response in (client.get("/vote/"), client.get(f"/vote/{code}/"), client.get("/vote/ballot/")):
        assert response["Referrer-Policy"] == "same-origin"
        assert "no-store" in response["Cache-Control"]


def test_the_eleventh_wrong_code_from_one_address_is_refused_and_another_address_is_not(world):
    rnd = meeting_round(world)
    good = opened(rnd, world)["教职工代表"]
    from workflows.ballots.codes import new_code

    guesser = Client()
    for _n in range(10):
        guesser.get(f"/vote/{new_code()}/", REMOTE_ADDR="203.0.113.9")
        assert "投票码无效" in text(guesser.get("/vote/ballot/", REMOTE_ADDR="203.0.113.9"))
    assert GuessFailure.objects.filter(address="203.0.113.9").count() == 10
    guesser.get(f"/vote/{good[0]}/", REMOTE_ADDR="203.0.113.9")  # even a right code: no lookup while refused
    refused = guesser.get("/vote/ballot/", REMOTE_ADDR="203.0.113.9")
    assert refused.status_code == 429 and "次数过多" in text(refused) and "分钟后再试" in text(refused)
    assert GuessFailure.objects.count() == 10
    other = vote(good[1], candidate_ids(rnd, world.alice), address="198.51.100.7")
    assert other.status_code == 302 and other.url == "/vote/done/"


def test_failed_guesses_are_counted_without_the_typed_code(world):
    columns = {f.column for f in GuessFailure._meta.get_fields() if hasattr(f, "column")}
    assert columns == {"id", "address", "at"}


def test_many_addresses_together_hit_the_global_limit(world, settings):
    settings.CADREFLOW_VOTE_GLOBAL_FAILURES = 5
    rnd = meeting_round(world)
    good = opened(rnd, world)["教职工代表"]
    from workflows.ballots.codes import new_code

    for n in range(5):
        client = Client()
        client.get(f"/vote/{new_code()}/", REMOTE_ADDR=f"192.0.2.{n}")
        client.get("/vote/ballot/", REMOTE_ADDR=f"192.0.2.{n}")
    client = Client()
    client.get(f"/vote/{good[0]}/", REMOTE_ADDR="192.0.2.200")
    assert client.get("/vote/ballot/", REMOTE_ADDR="192.0.2.200").status_code == 429


def test_an_evaluation_ballot_takes_exactly_one_grade_and_going_back_keeps_it(world, shortlisted_case):
    from workflows.ballots import services
    from workflows.ballots.models import BallotKind

    cand = shortlisted_case.active_candidates.get(person=world.alice)
    rnd = services.round_create(
        case=shortlisted_case,
        acting_user=world.officer,
        kind=BallotKind.EVALUATION,
        held_on=D(2026, 3, 22),
        candidate=cand,
        categories=[{"name": "教职工", "due": 3}],
    )
    code = opened(rnd, world)["教职工"][0]
    client = Client()
    client.get(f"/vote/{code}/")
    page = text(client.get("/vote/ballot/"))
    assert "请对王晓燕同志作出评价" in page and "基本称职" in page
    assert "请在四个等次中选择一项" in text(client.post("/vote/ballot/", {"step": "confirm"}))
    refused = text(client.post("/vote/ballot/", {"step": "cast", "marks": ["excellent", "basic"]}))
    assert 'id="ballot-form"' in refused and not Ballot.objects.exists()
    assert "称职" in text(client.post("/vote/ballot/", {"step": "confirm", "marks": "competent"}))
    back = text(client.post("/vote/ballot/", {"step": "edit", "marks": "competent"}))
    assert 'value="competent" checked' in back
    assert client.post("/vote/ballot/", {"step": "cast", "marks": "competent"}).url == "/vote/done/"
    assert Ballot.objects.get().marks == ["competent"]
