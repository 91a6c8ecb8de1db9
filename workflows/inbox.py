"""What waits for a user across the workflows, and the cases they recently worked on (the home page).

Tasks come from the one inbox (`workflows.common.inbox`), found by the database from the same policies the
task pages apply (role, school scope, recusal), so the home page never offers what the task page would refuse
and never drops a task: it shows the first rows and the true total, with a link to the inbox page.
Yearly reviews of the reserve pool that are due
are added for the personnel officer who decides them.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from django.core.exceptions import FieldDoesNotExist
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process, Task

from reserve_pool import policies as pool_policies
from reserve_pool.selectors import pending_reviews

from .common.inbox import case_url, case_words, inbox_rows, task_url, with_case_words

HOME_ROWS = 10  # the home page shows the first rows; the inbox page lists them all


def _true_total(first_rows: list, limit: int, queryset) -> int:
    """How many rows `queryset` has, given its first rows read up to `limit`: counted only when they fill it."""
    return len(first_rows) if len(first_rows) < limit else queryset.count()


def open_tasks(*, user, limit: int = HOME_ROWS, counts: dict[str, int] | None = None) -> tuple[list[dict], int]:
    """The first `limit` tasks of the user's inbox (soonest due first) and the inbox's true total (the sum of
    `counts`, the inbox per flow, when the caller has it: no second count)."""
    rows = inbox_rows(user)
    items = [
        {
            "title": str(task.flow_task.task_title),
            "url": task_url(task.flow_task, "index", task.process_id, task.pk),
            "due": dt.date.fromisoformat(task.due) if task.due else None,
            "case": f"{task.flow_task.flow_class.process_title}：{task.subject}" if task.subject else "",
        }
        for task in with_case_words(rows[:limit])
    ]
    if counts is not None:
        total = sum(counts.values())
    else:
        total = _true_total(items, limit, rows)
    return items, total


def due_yearly_reviews(*, user, limit: int = HOME_ROWS) -> tuple[list[dict], int]:
    """The first `limit` yearly reviews of the pool waiting for the officer's decision (soonest due first) and
    their true total (counted only when the first rows fill the limit)."""
    if not pool_policies.is_officer(user):
        return [], 0
    reviews = pending_reviews(user=user)
    items = [
        {
            "title": f"{review.entry.person.name} · {review.year}年度后备干部复核",
            "url": reverse("reserve_pool:entries:detail", args=[review.entry_id]) + "#action-yearly_review",
            "due": review.due_on,
            "case": str(review.entry.person.organization),
        }
        for review in reviews[:limit]
    ]
    return items, _true_total(items, limit, reviews)


PROCESS_STATUS = {"NEW": _("办理中"), "DONE": _("已办结"), "CANCELED": _("已撤销")}


@cache
def _state_labels(model) -> dict:
    """A case model's state codes and their (lazy) labels; {} for a model without a state of its own."""
    try:
        return dict(model._meta.get_field("state").flatchoices)
    except FieldDoesNotExist:
        return {}


RECENT_TASKS_READ = 200  # the user's latest finished tasks read to find their latest cases (bounded)


def recent_processes(*, user, limit: int = 8) -> list[dict]:
    """Cases whose tasks the user finished and may still open, most recent first.

    Reads the user's latest finished tasks newest first (index `workflows_task_finished_by_owner`) and keeps
    the first `limit` distinct cases: a bounded read whatever the number of tasks the user ever finished.
    Whether the user may still open them (`visible_cases`, what the case page asks) and their words and states
    (`case_words`) come in one query per flow each: a fixed number of queries, whatever the cases.
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
    if not when:
        return []
    processes = {row["pk"]: row for row in Process.objects.filter(pk__in=when).values("pk", "flow_class", "status")}
    by_flow: dict[object, list[int]] = {}
    for row in processes.values():
        if row["flow_class"] is not None and hasattr(row["flow_class"], "instance"):
            by_flow.setdefault(row["flow_class"], []).append(row["pk"])
    words = case_words(by_flow, visible_to=user)  # only the cases the user may still open have words
    items = []
    for pk, last in when.items():
        row = processes.get(pk)
        if row is None or pk not in words:
            continue
        flow_class = row["flow_class"]
        title = str(flow_class.process_title)
        found = words.get(pk, {})
        state = _state_labels(flow_class.process_class).get(found.get("state"))
        items.append(
            {
                "title": f"{title}：{found['subject']}" if found.get("subject") else title,
                "url": case_url(flow_class, pk),
                "status": str(state) if state is not None else str(PROCESS_STATUS.get(row["status"], _("办理中"))),
                "updated": last,
            }
        )
    return items
