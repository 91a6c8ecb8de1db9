"""The one human-task node of every flow: `CaseTask(view, policy=...)`.

Who may see, take and do the task is its `TaskPolicy` (`workflows.common.policy`): role, the case's school
scope, recusal and "never on your own case", from the same facts the inbox asks in the database. A task
nobody holds may be taken (`can_assign`) or simply done (`can_execute`: taken and completed in one request);
a task someone holds is theirs alone, and only while the policy still holds for them. Under the flow lock
exactly one of two simultaneous completions wins; the other is told who did it and when (`task_gone`, 409).

Each task carries its due date in `task.data["due"]` (ISO date), stamped when the task is created from the
step's deadline (`workflows.notifications.deadlines`: the `StepDeadline` table, else the node's
`due_workdays`). viewflow's `task_started` signal fires when a task is started, as for stock nodes.

The execute view is viewflow's `wrap_view` with two wastes removed (`CaseTask.start_task`): the task, its
process and the flow's case (with the flow's `case_select_related`) are read in one query instead of three
or more, and a POST runs in the flow lock's own transaction (`atomic(savepoint=False)`) instead of a
savepoint nested in it. Everything else is as viewflow does it: 404 for a task of another flow, the
`can_execute` check, `activation.start`, and a refused transition as `PermissionDenied`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.urls import path
from django.utils.timezone import now
from viewflow.fsm import TransitionNotAllowed
from viewflow.workflow import flow
from viewflow.workflow.activation import Activation
from viewflow.workflow.exceptions import FlowRuntimeError
from viewflow.workflow.managers import _get_related_path
from viewflow.workflow.nodes.join import JoinActivation
from viewflow.workflow.nodes.view import ViewActivation
from viewflow.workflow.signals import task_started
from viewflow.workflow.status import STATUS

from cadres.kept_sql import kept_query

from .policy import TaskPolicy, case_of
from .task_gone import TaskGoneMixin


class CaseTaskActivation(ViewActivation):
    @Activation.status.transition(
        label="Execute",
        source=[STATUS.NEW, STATUS.ASSIGNED],
        target=STATUS.STARTED,
        permission=lambda activation, user: activation.flow_task.can_execute(user, activation.task),
    )
    def start(self, request):
        """Whoever starts a task nobody holds becomes its holder."""
        if self.task.owner_id is None:
            self.task.owner = request.user
            self.task.assigned = now()
        task_started.send(sender=self.flow_class, process=self.process, task=self.task)
        self.task.started = now()


def tasks_with_case(flow_class):
    """`flow_class`'s tasks, each read with its process as the flow's case and the flow's
    `case_select_related` (so `task.process.coerced` and the case's names need no further query)."""
    task_class = flow_class.task_class
    base = task_class._meta.get_field("process").related_model
    child = _get_related_path(flow_class.process_class, base)
    related = ["process"]
    if child:
        related += [f"process__{child}"]
        related += [f"process__{child}__{p}" for p in getattr(flow_class, "case_select_related", ())]
    return task_class._default_manager.select_related(*related)


def _execute_view(node, view):
    """viewflow's `wrap_view` for a `CaseTask`: the activation from `node.start_task`; a POST under the flow
    lock, in its transaction."""

    def execute(request, *args, **kwargs):
        try:
            if request.method == "POST":
                with node.flow_class.lock(kwargs["process_pk"]), transaction.atomic(savepoint=False):
                    request.activation = node.start_task(request, kwargs["task_pk"])
                    return view(request, *args, **kwargs)
            request.activation = node.start_task(request, kwargs["task_pk"])
            return view(request, *args, **kwargs)
        except TransitionNotAllowed as refused:
            raise PermissionDenied(",".join(refused.args)) from refused

    return execute


class _OneReadView(flow.View):
    """A `flow.View` whose execute URL runs `_execute_view` (under `TaskGoneMixin`'s wrapper)."""

    @property
    def view_path(self):
        return path(
            f"<int:process_pk>/{self.name}/<int:task_pk>/execute/", _execute_view(self, self.view), name="execute"
        )


class CaseTask(TaskGoneMixin, _OneReadView):
    """A `flow.View` whose availability is its `policy`, not Django permissions."""

    activation_class = CaseTaskActivation

    def __init__(self, view, *, policy: TaskPolicy, due_workdays: int = 10, **kwargs):
        super().__init__(view, **kwargs)
        self.policy = policy
        self.due_workdays = due_workdays
        # No user holds this permission, so viewflow's generic queues never list the task to everyone.
        self._owner_permission = "workflows.case_task"
        self._owner_permission_obj = None

    def task_read(self, task_pk):
        """Task `task_pk` with its process as the flow's case (and the flow's `case_select_related`), one query;
        404 when there is none or it belongs to another flow."""
        flow_class = self.flow_class
        rows = kept_query(("task_read", flow_class), lambda pk: tasks_with_case(flow_class).filter(pk=pk), task_pk)
        task = next(iter(rows), None)
        if task is None or task.process.flow_class != flow_class:
            raise Http404("No task matches the given query.")
        return task

    def start_task(self, request, task_pk):
        """The started activation of task `task_pk` for `request.user` (`PermissionDenied` when they may not
        execute it): what the execute view runs, and what a caller outside HTTP runs under the flow lock."""
        task = self.task_read(task_pk)
        activation = self.activation_class(task)
        if not self.can_execute(request.user, task):
            raise PermissionDenied
        activation.start(request)
        return activation

    def may_act(self, user, process) -> bool:
        case = process.coerced if hasattr(process, "coerced") else process
        return self.policy.allows(user, case)

    def can_execute(self, user, task) -> bool:
        if user is None or not getattr(user, "is_authenticated", False):
            return False
        if task.owner_id and task.owner_id != user.pk:
            return False
        return self.policy.allows(user, case_of(task))

    def can_assign(self, user, task) -> bool:
        if task.owner_id or user is None or not getattr(user, "is_authenticated", False):
            return False
        return self.policy.allows(user, case_of(task))


class CaseJoinActivation(JoinActivation):
    """viewflow's Join activation, two statements shorter on the first branch that arrives (issue 11):

    - the new Join task is stamped `started` before its INSERT, so `activate()` has nothing to save (viewflow
      inserts it, then updates it; the row ends the same: status NEW, `started` set);
    - on that first arrival, the incoming tasks are the one that just arrived, in hand: `is_done` does not
      read them back. A later arrival reads them as viewflow does.
    The lookup of an open Join task is one query (viewflow counts, then takes the first). What it decides is
    viewflow's: `tests/workflows/principal_selection` drives every branch into and out of the Join.
    """

    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        task_class = flow_task.flow_class.task_class
        found = list(
            task_class._default_manager.filter(
                flow_task=flow_task, process=prev_activation.process, status__in=[STATUS.NEW, STATUS.STARTED]
            )[:2]
        )
        if len(found) > 1:
            raise FlowRuntimeError("More than one join instance for process found")
        if found:
            task, arrived = found[0], None
        else:
            if token.is_split_token():
                token = token.get_base_split_token()
            task = task_class(process=prev_activation.process, flow_task=flow_task, token=token, started=now())
            task.data = data if data is not None else {}
            task.seed = seed
            task.save()
            arrived = [prev_activation.task]
        task.previous.add(prev_activation.task)
        activation = cls(task)
        activation.arrived = arrived
        return activation

    def _join_token_prefixes(self):
        arrived = getattr(self, "arrived", None)
        if arrived is None:
            return super()._join_token_prefixes()
        gone = (STATUS.CANCELED, STATUS.REVIVED)
        return {
            prev.token.get_common_split_prefix(self.task.token, prev.pk) for prev in arrived if prev.status not in gone
        }


class CaseJoin(flow.Join):
    """The flows' Join: viewflow's, with `CaseJoinActivation`."""

    activation_class = CaseJoinActivation
