"""Secrecy by construction: no column, log line or audit event joins a ballot to a slip."""

from __future__ import annotations

import logging
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client

from audit.models import AuditEvent
from workflows.ballots.codes import code_hash
from workflows.ballots.models import Ballot, BallotCode, BallotRound

from .conftest import candidate_ids, meeting_round, opened
from .http import create_recommendation, open_round, round_url, vote

pytestmark = pytest.mark.django_db

FORBIDDEN = ("code", "user", "voter", "ip", "addr", "time", "date", "_at", "created", "session", "ballot", "choice")


def table_columns(model) -> set[str]:
    with connection.cursor() as cursor:
        return {c.name for c in connection.introspection.get_table_description(cursor, model._meta.db_table)}


def test_a_ballot_row_has_no_code_user_address_or_time():
    columns = table_columns(Ballot)
    assert columns == {"id", "round_id", "category_id", "marks", "valid"}
    assert not [c for c in columns - {"id"} if any(word in c for word in FORBIDDEN if word != "ballot")]
    relations = {f.related_model for f in Ballot._meta.get_fields() if f.is_relation}
    assert get_user_model() not in relations and BallotCode not in relations
    assert isinstance(Ballot._meta.pk.default(), uuid.UUID)  # random keys: no insertion order
    assert not [f for f in Ballot._meta.fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]


def test_a_code_row_holds_no_choice_no_ballot_and_no_time():
    columns = table_columns(BallotCode)
    assert columns == {"id", "round_id", "category_id", "code_hash", "spent"}
    relations = {f.related_model for f in BallotCode._meta.get_fields() if f.is_relation}
    assert Ballot not in relations and get_user_model() not in relations


def test_ballot_ids_are_not_ordered_by_casting(world):
    rnd = meeting_round(world)
    codes = opened(rnd, world)["教职工代表"]
    from .conftest import cast

    for code in codes[:12]:
        cast(code, candidate_ids(rnd, world.alice))
    by_key = [str(b) for b in Ballot.objects.order_by("id").values_list("id", flat=True)]
    assert len(set(by_key)) == 12
    # A random UUID4 per ballot: the key carries no sequence (version 4 means 122 random bits).
    assert all(uuid.UUID(k).version == 4 for k in by_key)


def test_no_log_record_and_no_audit_event_carries_a_code_or_follows_a_ballot(
    world, caplog, django_capture_on_commit_callbacks
):
    """A whole journey over HTTP at DEBUG: the officer creates and opens, voters vote (one mistypes, one tries a
    spent code, one over-marks), the officer closes; no record names a code or its hash, and casting writes no
    audit event."""
    from tests.workflows.principal_selection.stages import proposed

    case = proposed(world)
    officer = Client()
    rnd = create_recommendation(officer, world, case, seats=1, categories="班子,5\n教职工代表,20")
    codes = open_round(officer, rnd)
    every = [c for group in codes.values() for c in group]
    alice, bob = candidate_ids(rnd, world.alice, world.bob)
    events_before = AuditEvent.objects.count()
    with caplog.at_level(logging.DEBUG):
        for n, code in enumerate(codes["教职工代表"][:16]):
            assert vote(code, alice if n % 3 else bob, address=f"10.0.0.{n}").url == "/vote/done/"
        for code in codes["班子"]:
            assert vote(code, alice).url == "/vote/done/"
        spent = Client()
        spent.get(f"/vote/{codes['班子'][0]}/")
        assert "已使用" in spent.get("/vote/ballot/").content.decode()
        wrong = Client()
        wrong.get("/vote/ZZZZZZZZZZ/")
        wrong.get("/vote/ballot/")
        over = Client()
        over.get(f"/vote/{codes['教职工代表'][16]}/")
        over.post("/vote/ballot/", {"step": "cast", "marks": [alice, bob]})
        over.get("/vote/ballot/x/")  # redirected like a code: nothing for django.request to log
        odd = Client()
        odd.post(f"/vote/{codes['教职工代表'][17]}/")  # not a 405
        odd.put(f"/vote/{codes['教职工代表'][17]}/")
        odd.get(f"/vote/{codes['教职工代表'][17]}/more/")  # not a 404
        odd.get("/vote/nothing-here/x/")
        officer.get(round_url(rnd).replace(f"/{rnd.pk}/", "/999999/"))  # a 404 elsewhere: the log is captured
    assert AuditEvent.objects.count() == events_before  # casting writes no audit event
    with caplog.at_level(logging.DEBUG):
        officer.post(round_url(rnd), {"action": "close"})
    assert BallotRound.objects.get(pk=rnd.pk).state == "closed"
    requests = [r.getMessage() for r in caplog.records if r.name == "django.request"]
    assert [m for m in requests if "999999" in m]
    assert not [m for m in requests if "/vote/" in m]  # no 4xx on any voter path
    secrets = every + [code_hash(c) for c in every] + [f"{c[:5]} {c[5:]}" for c in every]
    for record in caplog.records:
        line = record.getMessage() + repr(getattr(record, "args", ())) + repr(record.__dict__.get("request", ""))
        assert not [s for s in secrets if s in line], line
    assert Ballot.objects.count() == 21
    for event in AuditEvent.objects.all():
        flat = repr(event.payload) + event.reason + event.object_repr
        assert not [s for s in secrets if s in flat]
        assert "ballot_cast" not in event.action
    ballot_events = AuditEvent.objects.filter(action__startswith="principal_selection.ballot_")
    assert sorted(ballot_events.values_list("action", flat=True)) == [
        "principal_selection.ballot_close",
        "principal_selection.ballot_create",
        "principal_selection.ballot_open",
    ]


def test_the_voter_session_is_deleted_once_the_ballot_is_cast(world):
    from django.contrib.sessions.models import Session

    rnd = meeting_round(world)
    code = opened(rnd, world)["教职工代表"][0]
    client = Client()
    client.get(f"/vote/{code}/")
    assert Session.objects.count() == 1
    assert code not in repr(Session.objects.get().get_decoded())  # only the keyed hash, until the ballot is cast
    vote(code, candidate_ids(rnd, world.alice), client=client)
    assert Session.objects.count() == 0


def test_with_debug_on_the_sql_log_shows_no_ballot_query(world, caplog, settings):
    settings.DEBUG = True
    rnd = meeting_round(world)
    code = opened(rnd, world)["教职工代表"][0]
    with caplog.at_level(logging.DEBUG, logger="django.db.backends"):
        vote(code, candidate_ids(rnd, world.alice))
    sql_records = [r for r in caplog.records if r.name == "django.db.backends"]
    assert sql_records  # the SQL log is on: queries of other tables (sessions) are logged
    assert not [r for r in sql_records if "ballots_" in r.getMessage()]
    assert not [r for r in caplog.records if code_hash(code) in r.getMessage()]
