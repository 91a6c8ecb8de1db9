"""The home page's 待办 and 近期案件 come from the workflows: the tasks a user may take, scoped like the task pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cadres.roles import Role
from tests.factories import UserFactory
from workflows import inbox

from .journey import propose

pytestmark = pytest.mark.django_db
HOME = reverse("home:dashboard:index")


def titles(items):
    return [item["title"] for item in items]


def test_an_open_step_waits_for_the_officers_who_may_take_it_and_no_one_else(client, world):
    case = propose(client, world)
    task = case.task_set.exclude(status__in=["DONE", "CANCELED"]).filter(flow_task_type="HUMAN").get()
    expected = str(task.flow_task.task_title)
    for user in (world.officer, world.officer2):
        items, total = inbox.open_tasks(user=user)
        assert titles(items) == [expected] and total == 1
        assert items[0]["url"] == task.flow_task.reverse("index", args=[case.pk, task.pk])
        assert str(case.flow_class.process_title) in items[0]["case"]
    teacher = UserFactory(
        username="t", roles=[Role.TEACHER], organization=world.school, organization__person=world.alice
    )
    for user in (world.school_user, teacher, world.members[0]):
        assert inbox.open_tasks(user=user) == ([], 0)


def test_the_home_page_lists_the_waiting_step_and_the_case_the_officer_started(client, world):
    case = propose(client, world)
    client.force_login(world.officer)
    page = client.get(HOME)
    assert page.status_code == 200
    assert len(page.context["waiting"]) == 1 and page.context["waiting_total"] == 1
    recent = page.context["recent_cases"]
    assert [item["url"] for item in recent] == [case.flow_class.instance.reverse("process_detail", args=[case.pk])]
    client.force_login(world.officer2)  # took no step: the case is waiting for them, not recent
    page = client.get(HOME)
    assert len(page.context["waiting"]) == 1 and page.context["recent_cases"] == []
