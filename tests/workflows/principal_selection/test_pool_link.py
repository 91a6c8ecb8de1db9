"""Shortlisting and appointing a pool member moves their reserve entry (已列为考察对象, then 已使用)."""

from types import SimpleNamespace

import pytest
from django.utils import timezone

from reserve_pool.choices import ReserveState
from tests.cadres.test_rules import eligible_deputy
from tests.reserve_pool.conftest import entry_in
from workflows.principal_selection import pool

pytestmark = pytest.mark.django_db


def test_pool_member_is_shortlisted_then_used(officer):
    person = eligible_deputy(on=timezone.localdate())
    entry = entry_in(ReserveState.IN_POOL, person, officer)
    case = SimpleNamespace(pk=7, document_number="示教工委〔2026〕7号")
    assert pool.mark_shortlisted(person=person, case=case, acting_user=officer)
    entry.refresh_from_db()
    assert entry.state == ReserveState.SHORTLISTED and entry.shortlist_ref == "principal_selection:7"
    assert pool.mark_used(person=person, case=case, acting_user=officer)
    entry.refresh_from_db()
    assert entry.state == ReserveState.USED


def test_person_outside_the_pool_is_left_alone(officer):
    person = eligible_deputy(on=timezone.localdate())
    case = SimpleNamespace(pk=8, document_number="")
    assert not pool.mark_shortlisted(person=person, case=case, acting_user=officer)
    assert not pool.mark_used(person=person, case=case, acting_user=officer)
