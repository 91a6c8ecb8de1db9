"""Each human step's due date, from a per-step number of working days kept as data (`StepDeadline`).

`due_on(flow_task, start)` is the last day on which the step is in time: the `workdays`-th working day
counting from `start` (the start day counts when it is a working day: `cadres.workdays.add_workdays`'s
convention, the same the 公示 periods use), with Chinese holidays and swapped working days.

Where the number comes from, first match wins:
1. the `StepDeadline` row of the step (an administrator edits it in the admin). A row whose `workdays` is
   empty means "no deadline": `due_on` returns None and no reminder is ever sent for that step;
2. the node's own `due_workdays` attribute, when it has one;
3. the setting `CADREFLOW_DEFAULT_DUE_WORKDAYS` (5).

`set_due(task)` puts the due date into `task.data["due"]` (ISO date) when the task has none yet: the Task
pre_save receiver (`signals`) calls it for every new human task, so the date goes in with the INSERT;
`stamp_due(task)` does the same for a saved task, with one UPDATE.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil

from django.conf import settings
from django.utils import timezone
from viewflow.workflow.fields import get_flow_ref
from viewflow.workflow.models import Task

from cadres.kept_rows import forget_when_saved, kept_rows
from cadres.workdays import add_workdays

from .models import StepDeadline

HUMAN = "HUMAN"


def flow_ref(flow_class) -> str:
    """The flow's stored label, e.g. "principal_selection/flows.PrincipalSelectionFlow" (as Task.flow_task
    stores it, before ".<node>")."""
    return get_flow_ref(flow_class)


DEADLINES = "step-deadlines"


def _deadline_rows() -> dict[tuple[str, str], int | None]:
    """{(flow, node): workdays} of every `StepDeadline` row, kept until one changes (`cadres.kept_rows`)."""
    return kept_rows(DEADLINES, lambda: {(r.flow, r.node): r.workdays for r in StepDeadline.objects.all()})


def connect_signals() -> None:
    forget_when_saved(StepDeadline, DEADLINES)


def workdays_for(flow_task) -> int | None:
    """The step's number of working days (None: the step has no deadline)."""
    rows = _deadline_rows()
    key = (flow_ref(flow_task.flow_class), flow_task.name)
    if key in rows:
        return rows[key]
    own = getattr(flow_task, "due_workdays", None)
    if own:
        return int(own)
    return int(getattr(settings, "CADREFLOW_DEFAULT_DUE_WORKDAYS", 5))


def due_on(flow_task, start: dt.date) -> dt.date | None:
    """The due date of a task of `flow_task` that arrives on `start`; None when the step has no deadline."""
    n = workdays_for(flow_task)
    if not n:
        return None
    return add_workdays(start, n).end


def set_due(task) -> dt.date | None:
    """Set `task.data["due"]` (ISO date) on the instance when it is missing, nothing written: what a new task
    gets before its INSERT (the Task pre_save receiver). Returns the due date set, or None (already set, or
    the step has no deadline). Only human tasks carry a due date."""
    data = task.data or {}
    if data.get("due") or task.flow_task is None or task.flow_task.task_type != HUMAN:
        return None
    arrived = timezone.localdate(task.created) if task.created else timezone.localdate()
    due = due_on(task.flow_task, arrived)
    if due is None:
        return None
    task.data = {**data, "due": due.isoformat()}
    return due


def stamp_due(task) -> dt.date | None:
    """`set_due`, and the date written to the saved task with one UPDATE (no save(), so no post_save
    recursion). Returns the due date written, or None."""
    due = set_due(task)
    if due is not None:
        Task.objects.filter(pk=task.pk).update(data=task.data)
    return due


def all_flows() -> list[type]:
    """Every viewflow Flow class defined in a `workflows/<package>/flows.py`, in a stable order."""
    from viewflow.workflow.flow import Flow

    import workflows

    found: list[type] = []
    for info in pkgutil.iter_modules(workflows.__path__):
        if not info.ispkg:
            continue
        try:
            module = importlib.import_module(f"workflows.{info.name}.flows")
        except ModuleNotFoundError as exc:
            if exc.name == f"workflows.{info.name}.flows":
                continue
            raise
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Flow)
                and value is not Flow
                and value.__module__ == module.__name__
            ):
                found.append(value)
    return sorted(found, key=flow_ref)


def human_nodes(flow_class) -> list:
    """The flow's human steps (the nodes a user acts on), by name."""
    return sorted((n for n in flow_class.instance.nodes() if n.task_type == HUMAN), key=lambda n: n.name)


def step_choices() -> list[tuple[str, str]]:
    """("<flow ref>.<node>", "流程 · 环节") for every human step of every flow (the admin's picker)."""
    choices = []
    for flow_class in all_flows():
        for node in human_nodes(flow_class):
            choices.append((f"{flow_ref(flow_class)}.{node.name}", f"{flow_title(flow_class)} · {node.task_title}"))
    return choices


def flow_title(flow_class) -> str:
    return str(flow_class.instance.process_title)
