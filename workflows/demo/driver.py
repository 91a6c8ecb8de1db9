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


def step(process, node, user, perform=None, *, complete=True):
    """Run the open task of `node` as `user`: `perform(case)` records the step; `complete` ends the task."""
    task = open_task(process, node)
    if task is None:
        raise DemoStepRefused(f"{node} is not open on {process.pk}")
    if not node.can_execute(user, task):
        raise DemoStepRefused(f"{user} may not execute {node} on {process.pk}")
    activation = node.activation_class(task)
    activation.start(ActingRequest(user))
    if perform is not None:
        perform(type(process)._default_manager.get(pk=process.pk))
    if complete:
        activation.execute()
    else:
        task.refresh_from_db()
    return process
