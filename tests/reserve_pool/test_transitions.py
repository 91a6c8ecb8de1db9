"""Every transition from every state: allowed ones move the entry and write one audit event; forbidden ones
raise with a Chinese reason and leave the entry exactly as stored."""

import datetime as dt

import pytest
from django.db import transaction
from django_fsm import ConcurrentTransition, TransitionNotAllowed, can_proceed

from audit.models import AuditEvent
from reserve_pool import services
from reserve_pool.choices import ReserveState, ReviewDecision
from reserve_pool.exceptions import ReserveRefused
from reserve_pool.models import ReserveEntry

from .conftest import ON, entry_in

pytestmark = pytest.mark.django_db
S = ReserveState
D = dt.date
ALL_STATES = list(S)
LIVE = [S.NOMINATED, S.UNDER_REVIEW, S.ASSESSED, S.IN_POOL, S.SHORTLISTED]
AFTER_EXPIRY = D(2029, 3, 2)  # past valid_until (2029-03-01) and past every nomination's 12 months

# service name -> (call, states it is allowed from, resulting state or None for "unchanged")
SERVICES = {
    "submit_for_review": (
        lambda e, u: services.reserve_entry_submit_for_review(acting_user=u, entry=e),
        [S.NOMINATED],
        S.UNDER_REVIEW,
    ),
    "review": (
        lambda e, u: services.reserve_entry_review(acting_user=u, entry=e, personal_matters_ok=True, on=ON),
        [S.UNDER_REVIEW],
        S.UNDER_REVIEW,
    ),
    "assess": (
        lambda e, u: services.reserve_entry_assess(
            acting_user=u, entry=e, talks_count=9, evaluation_summary="良好", profile_text="小传正文", on=ON
        ),
        [S.UNDER_REVIEW],
        S.ASSESSED,
    ),
    "admit": (
        lambda e, u: services.reserve_entry_admit(acting_user=u, entry=e, document_number="教工委〔2026〕9号", on=ON),
        [S.ASSESSED],
        S.IN_POOL,
    ),
    "renew": (
        lambda e, u: services.reserve_entry_renew(acting_user=u, entry=e, on=D(2027, 3, 2)),
        [S.IN_POOL],
        S.IN_POOL,
    ),
    "shortlist": (
        lambda e, u: services.reserve_entry_shortlist(acting_user=u, entry=e, ref="校长选拔〔2026〕2号", on=ON),
        [S.IN_POOL],
        S.SHORTLISTED,
    ),
    "return_to_pool": (
        lambda e, u: services.reserve_entry_return_to_pool(acting_user=u, entry=e, reason="未被任用"),
        [S.SHORTLISTED],
        S.IN_POOL,
    ),
    "mark_used": (
        lambda e, u: services.reserve_entry_mark_used(acting_user=u, entry=e, on=ON),
        [S.IN_POOL, S.SHORTLISTED],
        S.USED,
    ),
    "remove": (
        lambda e, u: services.reserve_entry_remove(acting_user=u, entry=e, reason="本人申请退出", on=ON),
        LIVE,
        S.REMOVED,
    ),
    "expire": (
        lambda e, u: services.reserve_entry_expire(acting_user=u, entry=e, on=AFTER_EXPIRY),
        LIVE,
        S.EXPIRED,
    ),
    "yearly_review_keep": (
        lambda e, u: (
            services.reserve_entry_yearly_review(acting_user=u, entry=e, decision=ReviewDecision.KEEP, on=ON).entry
        ),
        [S.IN_POOL, S.SHORTLISTED],
        None,
    ),
}
CASES = [(name, state) for name in SERVICES for state in ALL_STATES]


def _stored(entry):
    row = ReserveEntry.objects.get(pk=entry.pk)
    return (row.state, row.version, row.updated_at, row.valid_until, row.removal_reason, row.horizon, row.kind)


@pytest.mark.parametrize(("name", "state"), CASES, ids=[f"{n}-from-{s}" for n, s in CASES])
def test_each_service_from_each_state(name, state, officer, teacher):
    call, sources, target = SERVICES[name]
    entry = entry_in(state, teacher, officer)
    before = _stored(entry)
    events_before = AuditEvent.objects.count()
    if state in sources:
        call(entry, officer)
        stored = ReserveEntry.objects.get(pk=entry.pk)
        assert stored.state == (target or state)
        assert stored.version == before[1] + 1
        assert AuditEvent.objects.count() == events_before + 1
        event = AuditEvent.objects.order_by("-id").first()
        assert (event.from_state, event.to_state) == (state, stored.state)
        assert event.object_type == "reserve_pool.reserveentry" and event.object_id == str(entry.pk)
    else:
        with pytest.raises(ReserveRefused) as refused:
            call(entry, officer)
        assert refused.value.code == "wrong_state"
        assert f"现为“{S(state).label}”" in refused.value.message
        assert _stored(entry) == before
        assert AuditEvent.objects.count() == events_before


# ----------------------------------------------------------------------------- the state machine itself

MODEL_TRANSITIONS = {
    "submit_for_review": {S.NOMINATED},
    "record_review": {S.UNDER_REVIEW},
    "assess": {S.UNDER_REVIEW},
    "admit": {S.ASSESSED},
    "renew": {S.IN_POOL},
    "shortlist": {S.IN_POOL},
    "return_to_pool": {S.SHORTLISTED},
    "mark_used": {S.IN_POOL, S.SHORTLISTED},
    "remove": set(LIVE),
    "expire": set(LIVE),
    "amend": {S.IN_POOL, S.SHORTLISTED},
}
MODEL_CASES = [(name, state) for name in MODEL_TRANSITIONS for state in ALL_STATES]


@pytest.mark.parametrize(("name", "state"), MODEL_CASES, ids=[f"{n}-{s}" for n, s in MODEL_CASES])
def test_state_machine_allows_exactly_the_documented_transitions(name, state, officer, teacher):
    entry = entry_in(state, teacher, officer)
    assert can_proceed(getattr(entry, name)) is (state in MODEL_TRANSITIONS[name])


def test_every_transition_is_in_the_table():
    names = {t.name for t in ReserveEntry().get_all_state_transitions()}
    assert names == set(MODEL_TRANSITIONS)


def test_state_cannot_be_assigned_directly(officer, teacher):
    entry = entry_in(S.NOMINATED, teacher, officer)
    with pytest.raises(AttributeError):
        entry.state = S.IN_POOL
    assert ReserveEntry.objects.get(pk=entry.pk).state == S.NOMINATED


def test_a_forbidden_model_transition_raises_and_keeps_the_state(officer, teacher):
    entry = entry_in(S.USED, teacher, officer)
    with pytest.raises(TransitionNotAllowed):
        entry.remove(on=ON, reason="x", trigger="manual")
    assert entry.state == S.USED


def test_conditions_guard_assessment_and_admission(officer, teacher):
    unreviewed = entry_in(S.UNDER_REVIEW, teacher, officer, review_passed=None)
    assert not can_proceed(unreviewed.assess)
    unreviewed.delete()
    incomplete = entry_in(S.ASSESSED, teacher, officer, profile_text="")
    assert not can_proceed(incomplete.admit)


def test_a_stale_save_outside_the_services_is_refused_by_the_mixin(officer, teacher):
    entry = entry_in(S.NOMINATED, teacher, officer)
    stale = ReserveEntry.objects.get(pk=entry.pk)
    entry.submit_for_review()
    entry.save()
    stale.remove(on=ON, reason="x", trigger="manual")
    with pytest.raises(ConcurrentTransition), transaction.atomic():
        stale.save()
    assert ReserveEntry.objects.get(pk=entry.pk).state == S.UNDER_REVIEW
