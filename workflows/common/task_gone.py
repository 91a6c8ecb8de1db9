"""A task that is no longer the user's to do answers in Chinese who did it and when, and writes nothing.

viewflow refuses a task whose execute/assign view can no longer be run — already done, canceled, or held
by another user — with a bare `PermissionDenied` (the stock English "You have no rights to access this
page"). `TaskGoneMixin` wraps those two views of a `flow.View` node: when viewflow refuses, the task is read
again (after the flow lock and the loser's rolled-back transaction are gone) and, if it is gone and the user
may see the case, the answer is a Chinese page "该环节已由 <姓名> 于 <时间> 办理" with a link back to the case.

Guarantees:
- nothing is written: viewflow raised inside its own `transaction.atomic()`, so the refused request's writes
  are rolled back before this page is built, and building it only reads;
- the answer is 409 Conflict for GET and POST alike: the request conflicts with the task's current state,
  whatever the method (a stale link from an inbox and a lost race get the same, cacheable-never answer);
- a user who may not see the case (`flow.has_view_permission(user, process)` is false) learns nothing: the
  `PermissionDenied` is raised again, without viewflow's English text, and rendered by the Chinese
  `templates/403.html`, without name or time;
- a refusal of a task that is still open and not held by someone else is a real refusal and stays a 403.
"""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.status import STATUS

from cadres.roles import shown_name

OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def gone_message(task, user) -> str | None:
    """Why `task` is no longer `user`'s to do, in Chinese; None while it still is (a real refusal)."""
    if task.status == STATUS.DONE:
        if task.owner_id:
            return _("该环节已由 %(name)s 于 %(when)s 办理。") % {
                "name": shown_name(task.owner),
                "when": _when(task.finished),
            }
        return _("该环节已于 %(when)s 办结。") % {"when": _when(task.finished)}
    if task.status == STATUS.CANCELED:
        return _("该环节已于 %(when)s 撤销，无需再办理。") % {"when": _when(task.finished)}
    if task.status not in OPEN:
        return _("该环节已不在办理中。")
    if task.owner_id and task.owner_id != getattr(user, "pk", None):
        return _("该环节已由 %(name)s 于 %(when)s 接办，请勿重复办理。") % {
            "name": shown_name(task.owner),
            "when": _when(task.assigned or task.started),
        }
    return None


def _case_url(flow_class, process) -> str:
    try:
        return flow_class.instance.reverse("process_detail", args=[process.pk])
    except NoReverseMatch:
        return "/"


def gone_response(request, flow_task, task_pk):
    """The Chinese 409 page for a task that is gone, or None when the refusal must stand."""
    flow_class = flow_task.flow_class
    task = (
        flow_class.task_class._default_manager.select_related("owner", "process").filter(pk=task_pk).first()
        if task_pk is not None
        else None
    )
    if task is None or task.flow_task != flow_task:
        return None
    if not flow_class.instance.has_view_permission(request.user, task.process):
        return None
    message = gone_message(task, request.user)
    if message is None:
        return None
    context = {"message": message, "case_url": _case_url(flow_class, task.process), "task_title": flow_task.task_title}
    return render(request, "workflows/task_gone.html", context, status=409)


def answer_gone_task(flow_task, view):
    """Wrap a viewflow task view: a refusal of a gone task becomes the Chinese 409 page (see module doc)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as refusal:
            response = gone_response(request, flow_task, kwargs.get("task_pk"))
            if response is None:
                # A real refusal stands, bare: viewflow's English transition text never reaches the 403 page.
                raise PermissionDenied from refusal
            return response

    return wrapped


class TaskGoneMixin:
    """Put before `flow.View` in a node class: its execute and assign views answer a gone task in Chinese."""

    @property
    def view_path(self):
        pattern = super().view_path
        pattern.callback = answer_gone_task(self, pattern.callback)
        return pattern

    @property
    def assign_path(self):
        pattern = super().assign_path
        if pattern is not None:
            pattern.callback = answer_gone_task(self, pattern.callback)
        return pattern
