"""Two officers completing the same task at the same moment: exactly one wins, nothing is half-written."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client
from viewflow.workflow.status import STATUS

from audit.models import AuditEvent
from audit.services import verify_chain
from workflows.principal_selection.models import RecommendationRound

from . import journey as j
from .conftest import FLOW, fingerprint_of, open_task, recommend_data
from .form_data import tokens


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_officers_complete_the_same_task_once(world):
    assert connection.vendor == "postgresql"
    case = j.propose(Client(), world)
    task = open_task(case, FLOW.recommend)
    url = FLOW.recommend.reverse("execute", args=[case.pk, task.pk])
    data = recommend_data("talk", "2026-03-09", [("学校领导班子成员", 5, 5)], [(world.alice, 4)])
    preview = Client()
    preview.force_login(world.officer)
    data |= {"confirm": "1", "fingerprint": fingerprint_of(preview.post(url, data))}  # the preview writes nothing
    barrier = threading.Barrier(2)
    statuses = []

    def complete(user):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        barrier.wait()
        try:
            statuses.append(client.post(url, data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=complete, args=(u,)) for u in (world.officer, world.officer2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # The flow lock serialises the two posts; the first takes the task, the second is refused.
    task.refresh_from_db()
    assert sorted(statuses) == [302, 409], statuses  # the loser is told who holds the task (task_gone)
    assert RecommendationRound.objects.filter(case=case).count() == 1
    assert AuditEvent.objects.filter(object_id=str(case.pk), action="principal_selection.recommend.talk").count() == 1
    assert task.owner in (world.officer, world.officer2) and task.status == STATUS.ASSIGNED
    assert verify_chain().ok


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_officers_finishing_the_step_at_once_move_the_case_once(world):
    case = j.propose(Client(), world)
    j.recommend(Client(), world, case)  # both rounds: the case is at 确定考察对象
    task = open_task(case, FLOW.shortlist)
    url = FLOW.shortlist.reverse("execute", args=[case.pk, task.pk])
    data = {
        "people": tokens([world.alice, world.bob]),
        "team": tokens(u.profile.person for u in world.inspectors),
        "on": "2026-03-20",
    }
    barrier = threading.Barrier(2)
    statuses = []

    def complete(user):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        barrier.wait()
        try:
            statuses.append(client.post(url, data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=complete, args=(u,)) for u in (world.officer, world.officer2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [302, 409], statuses  # the loser is told who holds the task (task_gone)
    task.refresh_from_db()
    assert task.status == STATUS.DONE
    assert case.task_set.filter(flow_task=FLOW.inspect).count() == 1
    assert case.task_set.filter(flow_task=FLOW.dossier_review).count() == 1
    assert AuditEvent.objects.filter(object_id=str(case.pk), action="principal_selection.shortlist").count() == 1
    assert verify_chain().ok
