"""Casting under concurrency on PostgreSQL: one code submitted twice at once gives exactly one ballot; a close
racing with casts counts every ballot that was accepted."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client

from workflows.ballots import services
from workflows.ballots.models import Ballot, BallotCode, BallotRound

from .conftest import candidate_ids, cast, meeting_round, opened
from .http import vote


def run_together(*targets):
    barrier = threading.Barrier(len(targets))
    errors = []

    def wrap(fn):
        def run():
            barrier.wait()
            try:
                fn()
            except Exception as exc:
                errors.append(exc)
            finally:
                connection.close()

        return run

    threads = [threading.Thread(target=wrap(fn)) for fn in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_same_code_submitted_twice_at_once_gives_exactly_one_ballot(world):
    assert connection.vendor == "postgresql"
    rnd = meeting_round(world, seats=2)
    codes = opened(rnd, world)["教职工代表"]
    alice, bob = candidate_ids(rnd, world.alice, world.bob)
    for attempt in range(5):
        code = codes[attempt]
        errors = run_together(lambda c=code: cast(c, [alice]), lambda c=code: cast(c, [bob]))
        assert len(errors) == 1 and isinstance(errors[0], services.BallotRefused) and errors[0].code == "spent"
    assert Ballot.objects.filter(round=rnd).count() == 5
    assert BallotCode.objects.filter(round=rnd, spent=True).count() == 5


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_phones_casting_one_code_over_http_give_one_ballot(world):
    rnd = meeting_round(world)
    code = opened(rnd, world)["教职工代表"][0]
    alice = candidate_ids(rnd, world.alice)
    clients = [Client(), Client()]
    for client in clients:  # both reach the confirm page before either casts
        client.get(f"/vote/{code}/")
        client.post("/vote/ballot/", {"step": "confirm", "marks": alice})
    statuses = []

    def post(client):
        def run():
            response = client.post("/vote/ballot/", {"step": "cast", "marks": alice})
            statuses.append((response.status_code, getattr(response, "url", "")))

        return run

    assert run_together(*(post(c) for c in clients)) == []
    assert sorted(statuses) == [(200, ""), (302, "/vote/done/")]
    assert Ballot.objects.filter(round=rnd).count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_close_racing_with_casts_counts_exactly_the_accepted_ballots(world):
    rnd = meeting_round(world, categories=[{"name": "教职工代表", "due": 40}])
    codes = opened(rnd, world)["教职工代表"]
    alice = candidate_ids(rnd, world.alice)
    accepted = []

    def voter(code):
        def run():
            try:
                cast(code, alice)
                accepted.append(code)
            except services.BallotRefused as exc:
                assert exc.code == "not_open"

        return run

    errors = run_together(
        *(voter(c) for c in codes[:30]), lambda: services.round_close(rnd=rnd, acting_user=world.officer)
    )
    assert errors == []
    closed = BallotRound.objects.get(pk=rnd.pk)
    assert closed.state == "closed"
    assert closed.results["electronic"] == len(accepted) == Ballot.objects.filter(round=rnd).count()
    assert BallotCode.objects.filter(round=rnd, spent=True).count() == len(accepted)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_sixty_voters_at_once_over_http_each_get_one_ballot(world):
    rnd = meeting_round(world, categories=[{"name": "教职工代表", "due": 60}])
    codes = opened(rnd, world)["教职工代表"]
    alice = candidate_ids(rnd, world.alice)
    results = []

    def voter(n, code):
        def run():
            results.append(vote(code, alice, address=f"10.9.{n // 200}.{n % 200}").url)

        return run

    assert run_together(*(voter(n, c) for n, c in enumerate(codes))) == []
    assert results == ["/vote/done/"] * 60
    assert Ballot.objects.filter(round=rnd).count() == 60
