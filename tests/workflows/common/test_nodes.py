"""`CaseTask.task_read`: the task, its process as the flow's case and the case's related rows in one query."""

from __future__ import annotations

import pytest
from django.http import Http404
from viewflow.workflow.models import Task
from viewflow.workflow.token import Token

from tests.workflows.principal_selection.conftest import world  # noqa: F401  (fixture)
from workflows.ethics_case.flows import EthicsCaseFlow
from workflows.principal_selection.flows import PrincipalSelectionFlow as Flow
from workflows.principal_selection.models import SelectionCase


def _task(case, node):
    return Task.objects.create(process=case, flow_task=node, flow_task_type="HUMAN", token=Token("start"))


def test_the_task_and_its_case_in_one_query(world, django_assert_num_queries):  # noqa: F811
    case = SelectionCase.objects.create(flow_class=Flow, post=world.post, officer=world.officer)
    task = _task(case, Flow.recommend)
    with django_assert_num_queries(1):
        read = Flow.recommend.task_read(task.pk)
        process = read.process.coerced
        name = str(process)  # the audit's object_repr: post and organization come with the case
    assert isinstance(process, SelectionCase) and process.pk == case.pk
    assert name == str(case)
    assert Flow.recommend.activation_class(read).process is process


def test_a_task_of_another_flow_or_none_is_404(world):  # noqa: F811
    case = SelectionCase.objects.create(flow_class=Flow, post=world.post, officer=world.officer)
    task = _task(case, Flow.recommend)
    other_node = next(n for n in EthicsCaseFlow.instance.nodes() if hasattr(n, "task_read"))
    with pytest.raises(Http404):
        other_node.task_read(task.pk)
    with pytest.raises(Http404):
        Flow.recommend.task_read(task.pk + 1000)
