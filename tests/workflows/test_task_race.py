"""The loser of a race for a task is told, in Chinese, who did it and when; nothing is written.

For each flow (principal selection, competition, ethics case) two users who may both act on a step open its
task; the first completes it, the second submits the page they still have open. The second gets a 409 page
"该环节已由 <姓名> 于 <时间> 办理" (the winner's registry name, never their login name), the case, its tasks
and the audit log are as the winner left them, and viewflow's English 403 never appears. A user of another
school opening the same task is still refused (403, in Chinese) and learns neither name nor time.
"""

from __future__ import annotations

import pytest
from django.utils import timezone
from viewflow.workflow.status import STATUS

import config.urls  # noqa: F401  (builds the site URLs, so flow nodes can reverse their own)
from audit.models import AuditEvent
from cadres.roles import Role
from tests.factories import PersonFactory, UserFactory
from tests.workflows.competition import conftest as competition
from tests.workflows.competition.test_journey import MEMBERS, meeting_form, plan_form
from tests.workflows.ethics_case import conftest as ethics
from tests.workflows.principal_selection import conftest as selection
from tests.workflows.principal_selection import journey
from tests.workflows.principal_selection.form_data import tokens
from workflows.competition.flows import CompetitionFlow
from workflows.competition.models import Competition
from workflows.ethics_case.flows import EthicsCaseFlow
from workflows.principal_selection.flows import PrincipalSelectionFlow

STOCK = "have no rights"

# Each flow's own fixtures, under names of their own (two of them are called `world` at home).
selection_world = selection.world
competition_world = competition.world
today = competition.today
district, driver, clock = ethics.district, ethics.driver, ethics.clock


def named_officer(bureau, username, name):
    person = PersonFactory(name=name, organization=bureau)
    return UserFactory(
        username=username, roles=[Role.PERSONNEL_OFFICER], organization=bureau, organization__person=person
    )


def snapshot(case):
    """What a refused request must leave as it was: the case's tasks, its process state, the audit log."""
    process = type(case).objects.get(pk=case.pk)
    tasks = list(case.task_set.order_by("pk").values_list("pk", "status", "owner_id", "finished"))
    return tasks, process.status, getattr(process, "state", None), AuditEvent.objects.count()


def when(task) -> str:
    return timezone.localtime(task.finished).strftime("%Y-%m-%d %H:%M")


def race(client, case, node, task_url, first, second, data, *, first_name, second_data=None):
    """Both open the task page; `first` completes it; `second` submits. Returns (task, loser's response)."""
    client.force_login(second)
    assert client.get(task_url).status_code == 200  # the second officer has the form open too
    client.force_login(first)
    assert client.get(task_url).status_code == 200
    response = client.post(task_url, data)
    assert response.status_code == 302, response.content.decode()[:1500]
    task = case.task_set.get(flow_task=node)
    assert task.status == STATUS.DONE and task.owner == first
    before = snapshot(case)

    client.force_login(second)
    lost = client.post(task_url, second_data or data)
    body = lost.content.decode()
    assert lost.status_code == 409, body[:1500]
    assert f"该环节已由 {first_name} 于 {when(task)} 办理" in body
    assert first.username not in body  # a person's name, never a login name
    assert STOCK not in body
    assert f'href="{case.flow_class.instance.reverse("process_detail", args=[case.pk])}"' in body  # back to the case
    assert snapshot(case) == before

    again = client.get(task_url)  # the page still open in a tab, or a stale inbox link: the same answer
    assert again.status_code == 409 and first_name in again.content.decode()
    assign_url = node.reverse("assign", args=[case.pk, task.pk])
    for taken in (client.get(assign_url), client.post(assign_url)):  # taking it from the queue: the same answer
        assert taken.status_code == 409 and first_name in taken.content.decode() and STOCK not in taken.content.decode()
    assert snapshot(case) == before
    return task, before


def assert_refused_blind(client, outsider, task_url, task, first_name, before, case):
    """Someone who may not see the case is refused in Chinese, learning neither who nor when."""
    client.force_login(outsider)
    for response in (client.get(task_url), client.post(task_url, {})):
        body = response.content.decode()
        assert response.status_code == 403
        assert "您无权访问此页面" in body
        assert first_name not in body and when(task) not in body and "该环节" not in body
        assert STOCK not in body
    assert snapshot(case) == before


def test_principal_selection_shortlist_race(client, selection_world):
    world = selection_world
    chen = named_officer(world.bureau, "chen_officer", "陈建国")
    liu = named_officer(world.bureau, "liu_officer", "刘红梅")
    case = journey.propose(client, world)
    journey.recommend(client, world, case)  # both rounds: the case waits at 确定考察对象
    node = PrincipalSelectionFlow.shortlist
    task = case.task_set.get(flow_task=node)
    url = node.reverse("execute", args=[case.pk, task.pk])
    team = tokens(u.profile.person for u in world.inspectors)
    data = {"people": tokens([world.alice, world.bob]), "team": team, "on": "2026-03-20"}
    other = {"people": tokens([world.alice, world.carol]), "team": team[:1], "on": "2026-03-21"}

    task, before = race(client, case, node, url, chen, liu, data, first_name="陈建国", second_data=other)

    assert_refused_blind(client, world.school_user, url, task, "陈建国", before, case)


def test_competition_filing_race(client, competition_world):
    world = competition_world
    chen = named_officer(world.bureau, "chen_officer", "陈建国")
    liu = named_officer(world.bureau, "liu_officer", "刘红梅")
    client.force_login(world.secretary)
    assert client.post(CompetitionFlow.plan.reverse("execute"), plan_form(world)).status_code == 302
    case = Competition.objects.get()
    meeting = case.task_set.get(flow_task=CompetitionFlow.school_meeting_approval)
    votes = meeting_form([f"{m},同意" for m in MEMBERS[:6]])
    assert client.post(CompetitionFlow.school_meeting_approval.reverse("execute", args=[case.pk, meeting.pk]), votes)
    node = CompetitionFlow.file_with_bureau
    task = case.task_set.get(flow_task=node)
    url = node.reverse("execute", args=[case.pk, task.pk])

    task, before = race(
        client,
        case,
        node,
        url,
        chen,
        liu,
        {"accepted": "1", "reason": ""},
        first_name="陈建国",
        second_data={"accepted": "0", "reason": "评委人数不足"},
    )

    case.refresh_from_db()
    assert case.filing_reason == ""
    assert_refused_blind(client, world.other_secretary, url, task, "陈建国", before, case)


def test_ethics_case_decision_race(client, driver, district):
    d = district
    chen = named_officer(d.bureau, "chen_officer", "陈建国")
    liu = named_officer(d.bureau, "liu_officer", "刘红梅")
    driver.report(d.secretary, d.ma)
    driver.investigate(d)
    driver.statement(d.teacher)
    case = driver.propose(d.secretary)
    driver.clock.today = driver.decide_data()["decided_on"]
    node = EthicsCaseFlow.decide
    task = driver.task(node)
    url = task.reverse("execute")

    task, before = race(
        client,
        case,
        node,
        url,
        chen,
        liu,
        driver.decide_data(),
        first_name="陈建国",
        second_data=driver.decide_data(kind="warning", disqualify=False),
    )

    assert driver.reload().task_set.filter(flow_task=node, status=STATUS.DONE).get().owner == chen
    assert_refused_blind(client, d.other_secretary, url, task, "陈建国", before, case)


def test_a_task_held_by_another_names_the_holder_and_a_full_name_stands_in_for_a_missing_person(
    client, selection_world
):
    world = selection_world
    holder = UserFactory(
        username="zhou_officer",
        first_name="周",
        last_name="平",
        roles=[Role.PERSONNEL_OFFICER],
        organization=world.bureau,
    )
    case = journey.propose(client, world)
    journey.recommend(client, world, case)
    node = PrincipalSelectionFlow.shortlist
    task = case.task_set.get(flow_task=node)
    task.owner, task.assigned, task.status = holder, timezone.now(), STATUS.ASSIGNED
    task.save()
    before = snapshot(case)
    client.force_login(world.officer2)
    response = client.post(node.reverse("execute", args=[case.pk, task.pk]), {})
    body = response.content.decode()
    assert response.status_code == 409
    assert "该环节已由" in body and holder.get_full_name() in body and "zhou_officer" not in body
    assert snapshot(case) == before


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_real_refusal_of_an_open_task_stays_a_chinese_403(client, selection_world, method):
    world = selection_world
    case = journey.propose(client, world)
    journey.recommend(client, world, case)
    node = PrincipalSelectionFlow.shortlist
    task = case.task_set.get(flow_task=node)
    before = snapshot(case)
    client.force_login(world.discipline)  # a bureau user, but not an officer: may see the case, may not act
    response = getattr(client, method)(node.reverse("execute", args=[case.pk, task.pk]))
    body = response.content.decode()
    assert response.status_code == 403
    assert "您无权访问此页面" in body and STOCK not in body and "该环节" not in body
    assert snapshot(case) == before
