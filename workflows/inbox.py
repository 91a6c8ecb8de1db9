"""What waits for a user across the workflows, and the cases they recently worked on (the home page).

Tasks come from the one inbox (`workflows.common.inbox`), found by the database from the same policies the
task pages apply (role, school scope, recusal), so the home page never offers what the task page would refuse
and never drops a task: it shows the first rows and the true total, with a link to the inbox page.
Yearly reviews of the reserve pool that are due
are added for the personnel officer who decides them.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process, Task

from reserve_pool import policies as pool_policies
from reserve_pool.selectors import pending_reviews

from .common.inbox import inbox_rows

HOME_ROWS = 10  # the home page shows the first rows; the inbox page lists them all


def _case_label(process) -> str:
    coerced = process.coerced
    title = str(process.flow_class.process_title)
    summary = str(coerced)
    return f"{title}：{summary}" if summary and summary != title else title


def open_tasks(*, user, limit: int = HOME_ROWS, counts: dict[str, int] | None = None) -> tuple[list[dict], int]:
    """The first `limit` tasks of the user's inbox (soonest due first) and the inbox's true total (the sum of
    `counts`, the inbox per flow, when the caller has it: no second count)."""
    rows = inbox_rows(user)
    items = [
        {
            "title": str(task.flow_task.task_title),
            "url": task.flow_task.reverse("index", args=[task.process_id, task.pk]),
            "due": dt.date.fromisoformat(task.due) if task.due else None,
            "case": f"{task.flow_task.flow_class.process_title}：{task.subject}" if task.subject else "",
        }
        for task in rows[:limit]
    ]
    if counts is not None:
        total = sum(counts.values())
    else:
        total = len(items) if len(items) < limit else rows.count()
    return items, total


def due_yearly_reviews(*, user) -> list[dict]:
    if not pool_policies.is_officer(user):
        return []
    return [
        {
            "title": f"{review.entry.person.name} · {review.year}年度后备干部复核",
            "url": reverse("reserve_pool:entries:detail", args=[review.entry_id]) + "#action-yearly_review",
            "due": review.due_on,
            "case": str(review.entry.person.organization),
        }
        for review in pending_reviews(user=user)[:50]
    ]


PROCESS_STATUS = {"NEW": _("办理中"), "DONE": _("已办结"), "CANCELED": _("已撤销")}


def _status_label(process) -> str:
    """A case without a state of its own (the ethics case) by viewflow's status, in Chinese (never "New")."""
    return str(PROCESS_STATUS.get(process.status, _("办理中")))


RECENT_TASKS_READ = 200  # the user's latest finished tasks read to find their latest cases (bounded)


def recent_processes(*, user, limit: int = 8) -> list[dict]:
    """Cases whose tasks the user finished, most recent first.

    Reads the user's latest finished tasks newest first (index `workflows_task_finished_by_owner`) and keeps
    the first `limit` distinct cases: a bounded read whatever the number of tasks the user ever finished.
    """
    rows = (
        Task.objects.filter(owner=user, finished__isnull=False)
        .order_by("-finished")
        .values_list("process_id", "finished")[:RECENT_TASKS_READ]
    )
    when: dict[int, object] = {}
    for process_id, finished in rows:
        if process_id not in when:
            when[process_id] = finished
            if len(when) == limit:
                break
    processes = {p.pk: p for p in Process.objects.filter(pk__in=when)}
    items = []
    for pk, last in when.items():
        process = processes.get(pk)
        if process is None or process.flow_class is None:
            continue
        flow = process.flow_class.instance
        coerced = process.coerced
        if not flow.has_view_permission(user, coerced):
            continue
        status = coerced.get_state_display() if hasattr(coerced, "get_state_display") else _status_label(process)
        items.append(
            {
                "title": _case_label(process),
                "url": flow.reverse("process_detail", args=[pk]),
                "status": status,
                "updated": last,
            }
        )
    return items
