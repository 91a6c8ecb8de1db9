"""The home page's 近期案件: the case in words with its state, only while the user may open it, in a fixed
number of queries (issue 13: it read each case and asked its permission one by one)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from workflows import inbox

from .journey import propose

pytestmark = pytest.mark.django_db


def _queries(user) -> tuple[list[dict], int]:
    with CaptureQueriesContext(connection) as ctx:
        items = inbox.recent_processes(user=user)
    return items, len(ctx.captured_queries)


def test_a_recent_case_reads_as_words_with_its_state(client, world):
    case = propose(client, world)
    (item,) = inbox.recent_processes(user=world.officer)
    assert item["title"] == f"校长选拔任用：{world.school.name} · {world.post.name}"
    assert item["status"] == case.get_state_display()
    assert item["url"] == case.flow_class.instance.reverse("process_detail", args=[case.pk])


def test_a_case_the_user_may_no_longer_open_is_left_out(client, world):
    propose(client, world)
    world.officer.groups.clear()  # no bureau role any more: principal selection is closed to them
    world.officer._cadreflow_roles = None
    assert inbox.recent_processes(user=world.officer) == []


def test_the_queries_do_not_grow_with_the_cases(client, world):
    propose(client, world)
    inbox.recent_processes(user=world.officer)  # the user's roles are read once and kept on the user
    one, queries_for_one = _queries(world.officer)
    for _ in range(4):
        propose(client, world)
    five, queries_for_five = _queries(world.officer)
    assert len(one) == 1 and len(five) == 5
    assert queries_for_five == queries_for_one


def test_cases_behind_many_steps_of_one_case_are_still_found(client, world):
    """The latest tasks are read in a first batch and, when it holds too few cases, in a bounded second read."""
    import datetime as dt

    from django.utils import timezone
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    older, newer = propose(client, world), propose(client, world)
    base = Task.objects.filter(process=newer).first()
    now = timezone.now()
    Task.objects.filter(process__in=[older, newer]).update(owner=world.officer, status=STATUS.DONE, finished=now)
    Task.objects.filter(process=older).update(finished=now - dt.timedelta(days=1))
    first_batch = inbox.RECENT_TASKS_READ[0]
    Task.objects.bulk_create(
        Task(
            process=newer,
            flow_task=base.flow_task,
            flow_task_type="HUMAN",
            status=STATUS.DONE,
            owner=world.officer,
            finished=now + dt.timedelta(minutes=i),
        )
        for i in range(first_batch)
    )
    items, _queries_made = _queries(world.officer)
    assert [item["url"] for item in items] == [
        case.flow_class.instance.reverse("process_detail", args=[case.pk]) for case in (newer, older)
    ]
