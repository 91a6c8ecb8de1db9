"""A user task for a role: who may act on it is decided by role, scope and recusal, not by permissions.

`RoleView` tasks are not assigned on creation: any bureau user holding one of the node's roles, who is
neither a candidate of the case nor a candidate's kin, may take and complete the task in one step (the
flow lock makes exactly one of two simultaneous completions win). A task reassigned to a named user
may be completed by that user only. Each task carries a due date (`task.data["due"]`, working days).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.timezone import now
from viewflow.workflow import flow
from viewflow.workflow.activation import Activation
from viewflow.workflow.nodes.view import ViewActivation
from viewflow.workflow.status import STATUS

from cadres.recusal import kin_ids
from cadres.roles import has_role, is_bureau_user, profile_of
from cadres.workdays import add_workdays
from workflows.common.task_gone import TaskGoneMixin


class RoleViewActivation(ViewActivation):
    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        """Create the task with its due date: `due_workdays` working days from today (task.data["due"])."""
        activation = super().create(flow_task, prev_activation, token, data=data, seed=seed)
        due = add_workdays(timezone.localdate(), flow_task.due_workdays).end
        activation.task.data = {**(activation.task.data or {}), "due": due.isoformat()}
        activation.task.save(update_fields=["data"])
        return activation

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


def recused_from_case(user, case) -> bool:
    """True when the user is a candidate of the case or a candidate's kin."""
    profile = profile_of(user)
    own = profile.person_id if profile else None
    if own is None:
        return False
    person_ids = set(case.candidates.values_list("person_id", flat=True))
    if own in person_ids:
        return True
    return any(own in kin_ids(pid) for pid in person_ids)


class RoleView(TaskGoneMixin, flow.View):
    activation_class = RoleViewActivation

    def __init__(self, view, *, roles, team_only: bool = False, due_workdays: int = 10, **kwargs):
        super().__init__(view, **kwargs)
        self.roles = tuple(roles)
        self.team_only = team_only
        self.due_workdays = due_workdays

    def may_act(self, user, process) -> bool:
        if user is None or not user.is_authenticated or not user.is_active:
            return False
        if not is_bureau_user(user) or not has_role(user, *self.roles):
            return False
        case = process.coerced if hasattr(process, "coerced") else process
        if self.team_only and not case.inspection_team.filter(pk=user.pk).exists():
            return False
        return not recused_from_case(user, case)

    def can_execute(self, user, task):
        if task.owner_id and task.owner_id != getattr(user, "pk", None):
            return False
        return self.may_act(user, task.process)

    def can_assign(self, user, task):
        return task.owner_id is None and self.may_act(user, task.process)
