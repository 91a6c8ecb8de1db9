"""Concurrent transitions on PostgreSQL: one wins, the other gets the conflict message, nothing half-written."""

import threading

import pytest
from django.db import connection

from audit.models import AuditEvent
from audit.services import verify_chain
from reserve_pool import services
from reserve_pool.choices import ReserveState
from reserve_pool.exceptions import ReserveConflict, ReserveError, ReserveRefused
from reserve_pool.models import ReserveEntry

from .conftest import ON, bring_to, make_teacher, nominate

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]
S = ReserveState


def race(*calls):
    """Run each `call(entry_loaded_in_that_thread)` in its own thread and connection, released together."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, pk, call):
        try:
            own = ReserveEntry.objects.get(pk=pk) if pk else None  # read before the race, like a page would
            barrier.wait()
            results[index] = ("ok", call(own))
        except ReserveError as exc:
            results[index] = ("refused", exc)
        except Exception as exc:  # anything else is a bug; the assertions below show it
            results[index] = ("crashed", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, pk, call)) for i, (pk, call) in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _admit(officer, document="教工委〔2026〕8号"):
    return lambda entry: services.reserve_entry_admit(acting_user=officer, entry=entry, document_number=document, on=ON)


def _remove(officer):
    return lambda entry: services.reserve_entry_remove(acting_user=officer, entry=entry, reason="并发撤销", on=ON)


def _one_winner(results):
    outcomes = sorted(kind for kind, _value in results)
    assert outcomes == ["ok", "refused"], results
    return next(v for k, v in results if k == "ok"), next(v for k, v in results if k == "refused")


def test_admit_and_remove_race_one_wins_the_other_gets_the_conflict(officer, teacher):
    entry = bring_to(nominate(teacher, officer), S.ASSESSED, officer)
    events_before = AuditEvent.objects.for_object(entry).count()
    winner, loser = _one_winner(race((entry.pk, _admit(officer)), (entry.pk, _remove(officer))))
    assert isinstance(loser, ReserveConflict)
    assert loser.message.startswith("王老师的后备干部记录已被他人修改（现为“")
    assert loser.message.endswith("”），本次操作未执行，请刷新后重试。")
    stored = ReserveEntry.objects.get(pk=entry.pk)
    assert stored.state == winner.state and stored.state in (S.IN_POOL, S.REMOVED)
    assert stored.version == entry.version + 1
    if stored.state == S.IN_POOL:  # nothing of the losing removal was written, and vice versa
        assert stored.removal_reason == "" and stored.ended_on is None
    else:
        assert stored.admitted_on is None and stored.valid_until is None
    assert AuditEvent.objects.for_object(entry).count() == events_before + 1
    assert verify_chain().ok


def test_two_admissions_of_one_entry(officer, teacher):
    entry = bring_to(nominate(teacher, officer), S.ASSESSED, officer)
    winner, loser = _one_winner(race((entry.pk, _admit(officer, "甲号")), (entry.pk, _admit(officer, "乙号"))))
    assert isinstance(loser, ReserveConflict) and loser.code == "conflict"
    stored = ReserveEntry.objects.get(pk=entry.pk)
    assert stored.admission_document == winner.admission_document
    assert AuditEvent.objects.for_object(entry).filter(action="reserve_entry_admit").count() == 1


def test_two_admissions_into_the_last_quota_seat(officer, school, posts):
    first = bring_to(nominate(make_teacher(school, "甲"), officer), S.ASSESSED, officer)
    second = bring_to(nominate(make_teacher(school, "乙"), officer), S.ASSESSED, officer)
    _winner, loser = _one_winner(race((first.pk, _admit(officer)), (second.pk, _admit(officer))))
    assert isinstance(loser, ReserveRefused) and loser.code == "quota_full"
    assert "副校长后备已有1人，限额1人" in loser.message
    assert ReserveEntry.objects.filter(state=S.IN_POOL).count() == 1


def test_two_nominations_of_one_person(officer, school_secretary, teacher):
    def by(user, origin):
        return lambda _entry: services.reserve_entry_nominate(
            acting_user=user, person=teacher, origin=origin, post_kind="vice_principal", horizon="near_term", on=ON
        )

    _winner, loser = _one_winner(race((None, by(officer, "bureau")), (None, by(school_secretary, "school_party"))))
    assert loser.code in ("conflict", "already_live")
    assert ReserveEntry.objects.filter(person=teacher).count() == 1
