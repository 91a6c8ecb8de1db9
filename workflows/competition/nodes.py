"""User tasks decided by role and scope, not by permissions.

`ScopedView(scope="school")`: a user holding one of the roles whose unit is the case's school;
`scope="bureau"`: a bureau user holding one of the roles; `scope="person"`: the adjustment's subject, whatever
their roles, or — when they have no account — the bureau's personnel officer who records for them
(`adjustment.may_state`).
Tasks are taken and completed in one step; the flow lock makes one of two simultaneous completions win.
"""

from __future__ import annotations

from django.utils.timezone import now
from viewflow.workflow import flow
from viewflow.workflow.activation import Activation
from viewflow.workflow.nodes.view import ViewActivation
from viewflow.workflow.status import STATUS

from cadres.roles import has_role, is_bureau_user, profile_of
from workflows.common.task_gone import TaskGoneMixin


class ScopedActivation(ViewActivation):
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
        self.task.started = now()


def in_school(user, organization_id) -> bool:
    profile = profile_of(user)
    return bool(profile and profile.organization_id == organization_id) and not is_bureau_user(user)


class ScopedView(TaskGoneMixin, flow.View):
    activation_class = ScopedActivation

    def __init__(self, view, *, roles=(), scope="school", **kwargs):
        super().__init__(view, **kwargs)
        self.roles = tuple(roles)
        self.scope = scope

    def may_act(self, user, process) -> bool:
        if user is None or not user.is_authenticated or not user.is_active:
            return False
        case = process.coerced if hasattr(process, "coerced") else process
        if self.scope == "person":
            from .adjustment import may_state

            return may_state(user, case)
        if not has_role(user, *self.roles):
            return False
        if self.scope == "bureau":
            return is_bureau_user(user)
        return in_school(user, case.organization_id)

    def can_execute(self, user, task):
        if task.owner_id and task.owner_id != getattr(user, "pk", None):
            return False
        return self.may_act(user, task.process)

    def can_assign(self, user, task):
        return task.owner_id is None and self.may_act(user, task.process)
