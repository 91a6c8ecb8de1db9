"""Running flow steps outside a request, as the task views do: take the task as the acting user, call the
step's service, complete the task (`activation.execute()` lets viewflow create the next tasks)."""

from __future__ import annotations

from viewflow.workflow.status import STATUS


class ActingRequest:
    """What an activation reads from a request: the acting user."""

    def __init__(self, user):
        self.user = user


class DemoStepRefused(Exception):
    """A step's task is not open, or the acting user may not execute it: the demo is inconsistent."""


def open_task(process, node):
    return (
        process.task_set.filter(flow_task=node)
        .exclude(status__in=[STATUS.DONE, STATUS.CANCELED, STATUS.ERROR])
        .order_by("pk")
        .first()
    )


def start(node, user, perform):
    """Run the start node `node` as `user`: `perform(process)` fills the new process; returns it."""
    activation = node.activation_class.create(node, None, None)
    if hasattr(node, "can_execute") and not node.can_execute(user, activation.task):
        raise DemoStepRefused(f"{user} may not start {node}")
    activation.start(ActingRequest(user))
    perform(activation.process)
    activation.execute()
    return activation.process


def step(process, node, user, perform=None):
    """Run the open task of `node` as `user`: `perform(case)` records the step, then the task completes."""
    task = open_task(process, node)
    if task is None:
        raise DemoStepRefused(f"{node} is not open on {process.pk}")
    if not node.can_execute(user, task):
        raise DemoStepRefused(f"{user} may not execute {node} on {process.pk}")
    activation = node.activation_class(task)
    activation.start(ActingRequest(user))
    if perform is not None:
        # As the task views do: the activation's own process when it is the flow's model (the next nodes
        # read it, e.g. an `.Assign(act.process.investigator)`), else that model's row.
        current = activation.process
        if not isinstance(current, type(process)):
            current = type(process)._default_manager.get(pk=process.pk)
        perform(current)
    activation.execute()
    return process
