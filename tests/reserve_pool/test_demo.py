"""The demo pool: made through the services on a small demo district, within the quotas, loaded once."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from audit.models import AuditEvent
from reserve_pool.choices import POOL_STATES, ReserveState
from reserve_pool.models import ReserveEntry
from reserve_pool.selectors import quota_usage

pytestmark = pytest.mark.django_db


def test_the_demo_pool_has_entries_in_each_state_within_quota_and_loads_once():
    call_command("load_demo_district", "--schools", "12", "--people", "400", stdout=io.StringIO())
    out = io.StringIO()
    call_command("load_demo_reserve_pool", stdout=out)
    assert "后备干部库演示数据已生成" in out.getvalue()
    states = set(ReserveEntry.objects.values_list("state", flat=True))
    assert {ReserveState.IN_POOL, ReserveState.REMOVED} <= states
    assert ReserveEntry.objects.filter(state__in=POOL_STATES).count() >= 5
    assert all(not q["over"] for q in quota_usage())
    made = AuditEvent.objects.filter(action="reserve_entry_nominate").count()
    assert made == ReserveEntry.objects.count()  # every entry came through the nomination service

    again = io.StringIO()
    call_command("load_demo_reserve_pool", stdout=again)
    assert "未做改动" in again.getvalue()
    assert AuditEvent.objects.filter(action="reserve_entry_nominate").count() == made
