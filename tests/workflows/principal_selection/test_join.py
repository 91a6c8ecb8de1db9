"""The checks' Join (`workflows.common.nodes.CaseJoin`): one Join task per pass, waiting for every branch."""

from __future__ import annotations

import pytest
from viewflow.workflow.status import STATUS

from . import journey as j
from .conftest import FLOW

pytestmark = pytest.mark.django_db


def test_the_join_waits_for_every_branch_and_opens_the_sign_off_once(client, world):
    w = world
    case = j.shortlisted(client, w)
    j.inspect_and_check(client, w, case)
    joins = list(case.task_set.filter(flow_task=FLOW.checks_done))
    assert len(joins) == 1
    join = joins[0]
    assert join.status == STATUS.DONE and join.started is not None and join.finished is not None
    branches = {t.flow_task.name for t in join.previous.all()}
    assert branches == {"inspect", "dossier_review", "personal_matters_check", "discipline_opinion", "petition_check"}
    assert all(t.status == STATUS.DONE for t in join.previous.all())
    signoffs = case.task_set.filter(flow_task=FLOW.integrity_signoff)
    assert signoffs.count() == 1 and signoffs.get().previous.get() == join


def test_the_join_stays_open_while_a_branch_is_open(client, world):
    w = world
    case = j.shortlisted(client, w)
    j.inspect_and_check(client, w, case, skip=("petition_check",))
    join = case.task_set.get(flow_task=FLOW.checks_done)
    assert join.status == STATUS.NEW and join.started is not None  # stamped on the first arrival, no UPDATE
    assert not case.task_set.filter(flow_task=FLOW.integrity_signoff).exists()
