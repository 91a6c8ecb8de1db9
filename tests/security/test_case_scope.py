"""A case of one school stays inside that school: another school's secretary, teacher or judge can open none of
its pages (process detail, task detail, task actions) and finds none of its cases in the flows' lists, while
the case's own school still works with it. Case ids are sequential, so guessing them must lead nowhere."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from viewflow.workflow.status import STATUS

from cadres import choices as c
from cadres.roles import Role
from tests.factories import AppraisalFactory, PersonFactory, PostFactory, TenureFactory, TitleFactory, UserFactory
from workflows.competition import clock
from workflows.competition.flows import AdjustmentFlow, CompetitionFlow
from workflows.competition.models import Adjustment, Competition

D = dt.date
PLAN_TITLE = "乙校2026年中层干部竞聘机密方案"
GROUNDS = "乙校年度考核不称职免去职务机密理由"
SUBJECT = "乙校被调整人丙丁"


@pytest.fixture(autouse=True)
def _site_urls():
    import config.urls  # noqa: F401  (flow nodes reverse through the site)


@pytest.fixture
def cases(client, monkeypatch, bureau, school, other_school, officer):
    """School B (`other_school`) has a competition waiting for its meeting and an adjustment waiting for the
    cadre's statement, both started through the pages by its secretary; school A (`school`) has a secretary,
    a teacher and a judge."""
    monkeypatch.setattr(clock, "today", lambda: D(2026, 5, 20))
    b_secretary = UserFactory(username="b_sec", roles=[Role.SCHOOL_SECRETARY], organization=other_school)
    dean = PostFactory(
        organization=other_school, name="教导处主任", kind=c.PostKind.MIDDLE_HEAD, level=c.PostLevel.MIDDLE_HEAD
    )
    deputy = PostFactory(
        organization=other_school,
        name="教导处副主任",
        kind=c.PostKind.MIDDLE_DEPUTY,
        level=c.PostLevel.MIDDLE_DEPUTY,
    )
    subject = PersonFactory(name=SUBJECT, organization=other_school)
    TitleFactory(person=subject)
    AppraisalFactory(person=subject, year=2025, grade=c.AppraisalGrade.INCOMPETENT)
    tenure = TenureFactory(person=subject, post=dean, start_date=D(2020, 9, 1))
    subject_user = UserFactory(
        username="b_subject", roles=[Role.TEACHER], organization=other_school, organization__person=subject
    )

    client.force_login(b_secretary)
    response = client.post(
        CompetitionFlow.plan.reverse("execute"),
        {
            "title": PLAN_TITLE,
            "posts": f"{dean.pk},1,1",
            "opens": "2026-06-01",
            "closes": "2026-06-05",
            "speech": "50",
            "evaluation": "30",
            "performance": "20",
            "trim_min_judges": "5",
            "tie_break": "speech,evaluation,years_of_teaching,number",
            "inspect_top": "1",
            "quorum": "2/3",
            "eligibility": "{}",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    response = client.post(
        AdjustmentFlow.propose.reverse("execute"),
        {
            "tenure": tenure.pk,
            "trigger": "appraisal_failed",
            "grounds": GROUNDS,
            "proposed_outcome": "demote",
            "proposed_post": deputy.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    a_teacher_person = PersonFactory(name="甲校教师", organization=school)
    a_judge_person = PersonFactory(name="甲校评委", organization=school)
    return SimpleNamespace(
        competition=Competition.objects.get(organization=other_school),
        adjustment=Adjustment.objects.get(organization=other_school),
        b_secretary=b_secretary,
        subject_user=subject_user,
        officer=officer,
        a_users={
            "secretary": UserFactory(username="a_sec", roles=[Role.SCHOOL_SECRETARY], organization=school),
            "teacher": UserFactory(
                username="a_teacher", roles=[Role.TEACHER], organization=school, organization__person=a_teacher_person
            ),
            "judge": UserFactory(
                username="a_judge", roles=[Role.JUDGE], organization=school, organization__person=a_judge_person
            ),
        },
    )


def task_of(case, node):
    return case.task_set.filter(flow_task=node).exclude(status=STATUS.CANCELED).get()


def task_url(case, node, action):
    return node.reverse(action, args=[case.pk, task_of(case, node).pk])


A_ROLES = ["secretary", "teacher", "judge"]


@pytest.mark.parametrize("role", A_ROLES)
def test_another_schools_adjustment_statement_page_is_refused(client, cases, role):
    url = task_url(cases.adjustment, AdjustmentFlow.statement, "detail")
    client.force_login(cases.a_users[role])
    response = client.get(url)
    assert response.status_code in (403, 404)
    assert GROUNDS not in response.content.decode() and SUBJECT not in response.content.decode()


def test_the_adjustment_statement_page_opens_for_its_school_the_cadre_and_the_bureau(client, cases):
    url = task_url(cases.adjustment, AdjustmentFlow.statement, "detail")
    for user in (cases.b_secretary, cases.subject_user, cases.officer):
        client.force_login(user)
        assert client.get(url).status_code == 200, user.username


@pytest.mark.parametrize("role", A_ROLES)
@pytest.mark.parametrize(
    "node", [CompetitionFlow.plan, CompetitionFlow.school_meeting_approval], ids=["plan", "meeting"]
)
def test_another_schools_competition_task_pages_are_refused(client, cases, role, node):
    client.force_login(cases.a_users[role])
    for action in ("detail", "index"):
        response = client.get(task_url(cases.competition, node, action))
        assert response.status_code in (302, 403, 404), action
        assert PLAN_TITLE not in response.content.decode()
    if node is CompetitionFlow.school_meeting_approval:
        for action in ("execute", "assign"):
            response = client.get(task_url(cases.competition, node, action))
            assert response.status_code in (403, 404), action


def test_the_competition_task_pages_open_for_the_schools_secretary(client, cases):
    client.force_login(cases.b_secretary)
    for node in (CompetitionFlow.plan, CompetitionFlow.school_meeting_approval):
        assert client.get(task_url(cases.competition, node, "detail")).status_code == 200


@pytest.mark.parametrize("role", A_ROLES)
def test_another_schools_process_pages_are_refused(client, cases, role):
    client.force_login(cases.a_users[role])
    for flow, case in ((CompetitionFlow, cases.competition), (AdjustmentFlow, cases.adjustment)):
        for name in ("process_detail", "process_chart"):
            response = client.get(flow.instance.reverse(name, args=[case.pk]))
            assert response.status_code in (403, 404), (flow.__name__, name)


def test_the_process_pages_open_for_the_schools_secretary(client, cases):
    client.force_login(cases.b_secretary)
    for flow, case in ((CompetitionFlow, cases.competition), (AdjustmentFlow, cases.adjustment)):
        assert client.get(flow.instance.reverse("process_detail", args=[case.pk])).status_code == 200


@pytest.mark.parametrize("role", A_ROLES)
def test_the_flows_lists_show_no_case_of_another_school(client, cases, role):
    client.force_login(cases.a_users[role])
    for flow in (CompetitionFlow, AdjustmentFlow):
        for name in ("index", "process_list", "task_list", "inbox", "queue", "archive"):
            response = client.get(flow.instance.reverse(name), follow=True)
            page = response.content.decode()
            assert response.status_code in (200, 302, 403), (flow.__name__, name)
            assert PLAN_TITLE not in page and SUBJECT not in page, (flow.__name__, name)


def test_the_schools_secretary_finds_its_cases_in_the_lists(client, cases):
    client.force_login(cases.b_secretary)
    assert PLAN_TITLE in client.get(CompetitionFlow.instance.reverse("process_list")).content.decode()
    assert SUBJECT in client.get(AdjustmentFlow.instance.reverse("process_list")).content.decode()
