"""The one human-task node of every flow: `CaseTask(view, policy=...)`.

Who may see, take and do the task is its `TaskPolicy` (`workflows.common.policy`): role, the case's school
scope, recusal and "never on your own case", from the same facts the inbox asks in the database. A task
nobody holds may be taken (`can_assign`) or simply done (`can_execute`: taken and completed in one request);
a task someone holds is theirs alone, and only while the policy still holds for them. Under the flow lock
exactly one of two simultaneous completions wins; the other is told who did it and when (`task_gone`, 409).

Each task carries its due date in `task.data["due"]` (ISO date), stamped when the task is created from the
step's deadline (`workflows.notifications.deadlines`: the `StepDeadline` table, else the node's
`due_workdays`). viewflow's `task_started` signal fires when a task is started, as for stock nodes.
"""

from __future__ import annotations

from django.utils.timezone import now
from viewflow.workflow import flow
from viewflow.workflow.activation import Activation
from viewflow.workflow.nodes.view import ViewActivation
from viewflow.workflow.signals import task_started
from viewflow.workflow.status import STATUS

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


class CaseTask(TaskGoneMixin, flow.View):
    """A `flow.View` whose availability is its `policy`, not Django permissions."""

    activation_class = CaseTaskActivation

    def __init__(self, view, *, policy: TaskPolicy, due_workdays: int = 10, **kwargs):
        super().__init__(view, **kwargs)
        self.policy = policy
        self.due_workdays = due_workdays
        # No user holds this permission, so viewflow's generic queues never list the task to everyone.
        self._owner_permission = "workflows.case_task"
        self._owner_permission_obj = None

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
