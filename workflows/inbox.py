"""What waits for a user across the workflows, and the cases they recently worked on (the home page).

Tasks come from viewflow: open human tasks assigned to the user, and unassigned ones the user may take — the
same `can_execute` / `can_assign` checks the task pages apply (role, school scope, the candidate's recusal), so
the home page never offers what the task page would refuse. Yearly reviews of the reserve pool that are due
are added for the personnel officer who decides them.
"""

from __future__ import annotations

from django.db.models import Max, Q
from django.urls import reverse
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS

from reserve_pool import policies as pool_policies
from reserve_pool.selectors import pending_reviews

OPEN = (STATUS.NEW, STATUS.ASSIGNED)
MAX_TASKS = 300  # open tasks looked at per request: a district has far fewer


def _case_label(process) -> str:
    coerced = process.coerced
    title = str(process.flow_class.process_title)
    summary = str(coerced)
    return f"{title}：{summary}" if summary and summary != title else title


def _may_take(task, user) -> bool:
    node = task.flow_task
    if task.owner_id is not None:
        return task.owner_id == user.pk and node.can_execute(user, task)
    return node.can_assign(user, task) or node.can_execute(user, task)


def open_tasks(*, user) -> list[dict]:
    """Open human tasks the user may act on now, oldest first."""
    tasks = (
        Task.objects.filter(flow_task_type="HUMAN", status__in=OPEN)
        .filter(Q(owner=user) | Q(owner__isnull=True))
        .select_related("process")
        .order_by("created", "pk")[:MAX_TASKS]
    )
    items = []
    for task in tasks:
        if task.flow_task is None or not _may_take(task, user):
            continue
        items.append(
            {
                "title": str(task.flow_task.task_title),
                "url": task.flow_task.reverse("index", args=[task.process_id, task.pk]),
                "due": None,
                "case": _case_label(task.process),
            }
        )
    return items


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


def recent_processes(*, user, limit: int = 8) -> list[dict]:
    """Cases whose tasks the user finished, most recent first."""
    latest = (
        Task.objects.filter(owner=user, finished__isnull=False)
        .values("process_id")
        .annotate(last=Max("finished"))
        .order_by("-last")[:limit]
    )
    when = {row["process_id"]: row["last"] for row in latest}
    processes = {p.pk: p for p in Process.objects.filter(pk__in=when)}
    items = []
    for pk, last in when.items():
        process = processes.get(pk)
        if process is None or process.flow_class is None:
            continue
        flow = process.flow_class.instance
        if not flow.has_view_permission(user, process.coerced):
            continue
        coerced = process.coerced
        status = coerced.get_state_display() if hasattr(coerced, "get_state_display") else process.get_status_display()
        items.append(
            {
                "title": _case_label(process),
                "url": flow.reverse("process_detail", args=[pk]),
                "status": status,
                "updated": last,
            }
        )
    return items
