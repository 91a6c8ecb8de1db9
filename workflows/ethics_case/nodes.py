"""A human task of the ethics case, offered by step rules instead of Django permissions.

CadreFlow's roles are groups checked with `cadres.roles.has_role`, and every action is scoped to the user's
unit and subject to recusal. `CaseView` ties a `flow.View` to one entry of `actors.STEP_ACTORS`:

- a task nobody holds may be taken (`can_assign`) or simply done (`can_execute`: take and complete in one
  request) by any user who may act on that step of that case; under the flow lock exactly one of two
  simultaneous completions wins, the other finds the task done and is told who did it and when
  (`workflows.common.task_gone`, 409);
- a task assigned to someone (`.Assign(...)` for the teacher and the investigator, or taken from the queue)
  is executed by that user only, and only while the step rule still holds for them (a role taken away, a
  kin relation recorded later);
- `owner_permission` is set to a label no user holds ("workflows.ethics_case.<step>"), so viewflow's
  generic queues never list the task to everyone; the case's own queue asks `can_assign` (see `views`).

This is the cookbook's duties-separation shape (a `flow.View` with its own `can_assign`).
"""

from __future__ import annotations

from django.utils.timezone import now
from viewflow.workflow import flow
from viewflow.workflow.activation import Activation
from viewflow.workflow.nodes.view import ViewActivation
from viewflow.workflow.signals import task_started
from viewflow.workflow.status import STATUS

from workflows.common.task_gone import TaskGoneMixin

from .actors import may_act


class CaseViewActivation(ViewActivation):
    """A task may be started from NEW as well: whoever starts an unheld task becomes its owner."""

    @Activation.status.transition(
        label="Execute",
        source=[STATUS.NEW, STATUS.ASSIGNED],
        target=STATUS.STARTED,
        permission=lambda activation, user: activation.flow_task.can_execute(user, activation.task),
    )
    def start(self, request):
        if self.task.owner_id is None:
            self.task.owner = request.user
            self.task.assigned = now()
        task_started.send(sender=self.flow_class, process=self.process, task=self.task)
        self.task.started = now()


class CaseView(TaskGoneMixin, flow.View):
    """`flow.View` whose availability is the step rule `step` of `actors.STEP_ACTORS`."""

    activation_class = CaseViewActivation

    def __init__(self, view, *, step: str, **kwargs):
        super().__init__(view, **kwargs)
        self.step = step
        self._owner_permission = f"workflows.ethics_case.{step}"
        self._owner_permission_obj = None

    def can_assign(self, user, task) -> bool:
        if task.owner_id or user is None or not user.is_authenticated:
            return False
        return may_act(user, task.process.coerced, self.step)

    def can_execute(self, user, task) -> bool:
        if user is None or not user.is_authenticated:
            return False
        if task.owner_id and task.owner_id != user.pk:
            return False
        return may_act(user, task.process.coerced, self.step)
