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
from viewflow.workflow.models import Task

from cadres.kept_sql import kept_count, kept_query
from reserve_pool import policies as pool_policies
from reserve_pool.selectors import pending_reviews

from .common.inbox import InboxRows, case_url, case_words, task_url

HOME_ROWS = 10  # the home page shows the first rows; the inbox page lists them all


def open_tasks(*, user, limit: int = HOME_ROWS, counts: dict[str, int] | None = None) -> tuple[list[dict], int]:
    """The first `limit` tasks of the user's inbox (soonest due first) and the inbox's true total (the sum of
    `counts`, the inbox per flow, when the caller has it: no second count)."""
    rows = InboxRows(user)
    items = [
        {
            "title": str(task["flow_task"].task_title),
            "url": task_url(task["flow_task"], "index", task["process_id"], task["pk"]),
            "due": dt.date.fromisoformat(task["due"]) if task["due"] else None,
            "case": f"{task['flow_task'].flow_class.process_title}：{task['subject']}" if task["subject"] else "",
        }
        for task in rows[:limit]
        if task["flow_task"] is not None
    ]
    total = sum(counts.values()) if counts is not None else rows.count()
    return items, total


def _due_reviews(officer, limit: int):
    """The first `limit` pending reviews, soonest due first, as the home page lists them."""
    fields = ("entry_id", "year", "due_on", "entry__person__name", "entry__person__organization__name")
    return pending_reviews(user=officer).select_related(None).values_list(*fields)[:limit]


def due_yearly_reviews(*, user, limit: int = HOME_ROWS) -> tuple[list[dict], int]:
    """The first `limit` yearly reviews of the pool waiting for the officer's decision (soonest due first) and
    their true total (counted only when the first rows fill the limit). Officers are bureau users and see the
    whole pool, so the statement is the same for all of them: compiled and prepared once (`kept_query`)."""
    if not pool_policies.is_officer(user):
        return [], 0
    items = [
        {
            "title": f"{name} · {year}年度后备干部复核",
            "url": reverse("reserve_pool:entries:detail", args=[entry_id]) + "#action-yearly_review",
            "due": due_on,
            "case": unit or "",
        }
        for entry_id, year, due_on, name, unit in kept_query(
            ("home-due-reviews", limit), lambda: _due_reviews(user, limit)
        )
    ]
    return items, (len(items) if len(items) < limit else pending_review_count(user))


def pending_review_count(user) -> int:
    """How many yearly reviews wait for the officer's decision (0 for anyone else); like `_due_reviews`, the
    same statement for every officer."""
    if not pool_policies.is_officer(user):
        return 0
    return kept_count(("pending-reviews",), lambda: pending_reviews(user=user))


PROCESS_STATUS = {"NEW": _("办理中"), "DONE": _("已办结"), "CANCELED": _("已撤销")}


@cache
def _state_labels(model) -> dict:
    """A case model's state codes and their (lazy) labels; {} for a model without a state of its own."""
    try:
        return dict(model._meta.get_field("state").flatchoices)
    except FieldDoesNotExist:
        return {}


RECENT_TASKS_READ = (40, 200)  # the user's latest finished tasks read to find their latest cases: a first
# batch that usually holds them, then a bounded second read for a user who finished many steps of few cases


def _latest_finished(user_pk, rows: int):
    """The user's latest finished tasks with their case's flow and status (the case row joined by key)."""
    return (
        Task.objects.filter(owner_id=user_pk, finished__isnull=False)
        .order_by("-finished")
        .values_list("process_id", "finished", "process__flow_class", "process__status")[:rows]
    )


def _latest_cases(user, limit: int) -> tuple[dict, dict]:
    """{case pk: when the user last finished a task of it} for their latest `limit` cases, newest first, and
    {case pk: (flow class, status)}."""
    for rows in RECENT_TASKS_READ:
        when: dict[int, object] = {}
        processes: dict[int, tuple] = {}
        read = 0
        for process_id, finished, flow_class, status in kept_query(
            ("recent-tasks", rows), lambda pk, rows=rows: _latest_finished(pk, rows), user.pk
        ):
            read += 1
            if process_id not in when:
                when[process_id] = finished
                processes[process_id] = (flow_class, status)
                if len(when) == limit:
                    return when, processes
        if read < rows:  # every finished task was read
            break
    return when, processes


def recent_processes(*, user, limit: int = 8) -> list[dict]:
    """Cases whose tasks the user finished and may still open, most recent first.

    Reads the user's latest finished tasks newest first (index `workflows_task_finished_by_owner`), with each
    case's flow and status, and keeps the first `limit` distinct cases: a bounded read whatever the number of
    tasks the user ever finished. Whether the user may still open them (`visible_cases`, what the case page
    asks) and their words and states (`case_words`) come in one more query: two or three, whatever the cases.
    """
    when, processes = _latest_cases(user, limit)
    if not when:
        return []
    by_flow: dict[object, list[int]] = {}
    for pk, (flow_class, _status) in processes.items():
        if flow_class is not None and hasattr(flow_class, "instance"):
            by_flow.setdefault(flow_class, []).append(pk)
    words = case_words(by_flow, visible_to=user)  # only the cases the user may still open have words
    items = []
    for pk, last in when.items():
        flow_class, status = processes[pk]
        if pk not in words:
            continue
        title = str(flow_class.process_title)
        found = words.get(pk, {})
        state = _state_labels(flow_class.process_class).get(found.get("state"))
        items.append(
            {
                "title": f"{title}：{found['subject']}" if found.get("subject") else title,
                "url": case_url(flow_class, pk),
                "status": str(state) if state is not None else str(PROCESS_STATUS.get(status, _("办理中"))),
                "updated": last,
            }
        )
    return items
