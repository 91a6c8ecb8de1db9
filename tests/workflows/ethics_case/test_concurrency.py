"""Two officers decide the same case at the same moment: exactly one wins, the other changes nothing.

PostgreSQL only (SQLite serialises every writer, so there is no race to lose): the flow lock is
SELECT … FOR UPDATE on the process row, the second request waits for the first to commit, then finds the
task done and is refused.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client
from viewflow.workflow import STATUS

from audit.models import AuditEvent
from audit.services import verify_chain
from cadres.ethics.models import Sanction
from cadres.roles import Role
from dossiers.models import DossierDocument
from tests.factories import UserFactory
from workflows.ethics_case.flows import EthicsCaseFlow
from workflows.ethics_case.models import EthicsCase
from workflows.ethics_case.selectors import open_task

from .conftest import DECIDED

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def race(clients_and_data, url) -> list[int]:
    """POST each client's data to `url` at once; the status codes in thread order."""
    barrier = threading.Barrier(len(clients_and_data))
    statuses: list[int | None] = [None] * len(clients_and_data)
    errors: list[BaseException] = []

    def post(i, client, data):
        try:
            barrier.wait()
            statuses[i] = client.post(url, data).status_code
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(i, c, d)) for i, (c, d) in enumerate(clients_and_data)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    return statuses


@pytest.fixture
def proposed(driver, district):
    d = district
    driver.report(d.secretary, d.ma)
    driver.investigate(d)
    driver.statement(d.teacher)
    driver.propose(d.secretary)
    driver.clock.today = DECIDED
    return driver.case


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def assert_decided_once(case, decider):
    case = EthicsCase.objects.get(pk=case.pk)
    assert case.decided_by == decider and case.sanction is not None
    assert Sanction.objects.filter(source_ref=case.ref).count() == 3  # 记过, 通报批评, 取消资格
    assert DossierDocument.objects.filter(process_ref=case.ref).count() == 1
    for action in ("ethics_case_decided", "ethics_case_decision_issued"):
        assert AuditEvent.objects.filter(action=action, object_id=str(case.pk)).count() == 1
    assert case.task_set.filter(flow_task=EthicsCaseFlow.decide, status=STATUS.DONE).get().owner == decider
    assert case.task_set.filter(flow_task=EthicsCaseFlow.apply_review).count() == 1
    assert verify_chain().ok


def test_two_officers_deciding_the_same_case_at_once_one_wins(driver, district, proposed):
    second = UserFactory(username="officer2", roles=[Role.PERSONNEL_OFFICER], organization=district.bureau)
    officers = [district.officer, second]
    url = open_task(proposed.pk, EthicsCaseFlow.decide).reverse("execute")
    data = driver.decide_data()
    clients = [(logged_in(o), data) for o in officers]
    last_event = AuditEvent.objects.latest("id").pk
    statuses = race(clients, url)
    assert sorted(statuses) == [302, 409]  # the loser is told who decided, and when (task_gone)
    winner, loser = officers[statuses.index(302)], officers[statuses.index(409)]
    assert_decided_once(proposed, winner)
    assert not AuditEvent.objects.filter(pk__gt=last_event, actor=loser).exists()


def test_a_double_submitted_decision_is_recorded_once(driver, district, proposed):
    url = open_task(proposed.pk, EthicsCaseFlow.decide).reverse("execute")
    data = driver.decide_data()
    client = logged_in(district.officer)
    statuses = race([(client, data), (logged_in(district.officer), data)], url)
    assert sorted(statuses) == [302, 409]  # the loser is told who decided, and when (task_gone)
    assert_decided_once(proposed, district.officer)
