"""Two officers applying the same approved plan at the same moment: it is applied once, never twice."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from audit.services import verify_chain
from cadres.models import RuleSet, RuleSetItem, Tenure
from cadres.roles import Role
from tests.factories import UserFactory
from workflows.exchange.models import ExchangePlan, PlanState
from workflows.exchange.rules import load_default_exchange_rule_set

from .conftest import approve, draft, today


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_officers_apply_the_same_plan_once(officer, bureau, district):
    assert connection.vendor == "postgresql"
    load_default_exchange_rule_set(RuleSet, RuleSetItem)
    d = district
    officer2 = UserFactory(username="officer2", roles=[Role.PERSONNEL_OFFICER], organization=bureau)
    plan = draft(officer, [(d.a, d.a_tenure, d.posts[1].vice), (d.b, d.b_tenure, d.posts[2].vice)])
    approve(officer, plan)
    url = reverse("exchange:plans:action", args=[plan.pk, "apply"])
    barrier = threading.Barrier(2)
    statuses = []

    def apply(user, number):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        barrier.wait()
        try:
            statuses.append(client.post(url, {"first_document_number": number}).status_code)
        finally:
            connection.close()

    year = today().year
    threads = [
        threading.Thread(target=apply, args=(officer, f"示教工委〔{year}〕1号")),
        threading.Thread(target=apply, args=(officer2, f"示教工委〔{year}〕5号")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [302, 302]
    assert ExchangePlan.objects.get(pk=plan.pk).state == PlanState.APPLIED
    assert Tenure.objects.filter(person__in=[d.a, d.b], start_date=today()).count() == 2
    assert AuditEvent.objects.filter(object_id=str(plan.pk), action="exchange_plan_apply").count() == 1
    assert verify_chain().ok
