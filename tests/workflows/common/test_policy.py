"""One policy, asked three ways, gives one answer: the task page (`can_execute`), the inbox (`actionable_tasks`)
and "who may act" (`actors_of`) agree for every user × open task of every flow, and the answers are the
regulations' (role, the case's school, the case's inspection team, the person concerned, recusal of the case's
subjects and their kin)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cadres import choices as c
from cadres.roles import Role
from tests.factories import (
    FamilyMemberFactory,
    OrganizationFactory,
    PersonFactory,
    PostFactory,
    TenureFactory,
    UserFactory,
)
from workflows.common.inbox import actionable_tasks, case_tasks, flows
from workflows.common.policy import actors_of
from workflows.competition.flows import AdjustmentFlow, CompetitionFlow
from workflows.competition.models import Adjustment, Competition, Registration
from workflows.ethics_case.flows import EthicsCaseFlow
from workflows.ethics_case.models import EthicsCase
from workflows.principal_selection.flows import PrincipalSelectionFlow
from workflows.principal_selection.models import Candidate, SelectionCase

pytestmark = pytest.mark.django_db


def open_tasks_for(case, flow_class):
    """One open, unheld task for every human step of the flow, on `case` (what the policy is asked about)."""
    return [
        Task.objects.create(process=case, flow_task=node, flow_task_type="HUMAN", status=STATUS.NEW)
        for node in case_tasks(flow_class)
    ]


@pytest.fixture
def world(bureau, school):
    private = OrganizationFactory(name="民办育才学校", parent=bureau, ownership=c.Ownership.PRIVATE)
    other = OrganizationFactory(name="第三实验小学", parent=bureau)
    candidate = PersonFactory(name="候选人甲", organization=school)
    kin_person = PersonFactory(name="候选人之妻", organization=bureau)
    FamilyMemberFactory(person=candidate, relation=c.Relation.SPOUSE, name="候选人之妻", relative=kin_person)
    teacher_person = PersonFactory(name="涉事教师", organization=school)
    cadre = PersonFactory(name="被调整干部", organization=school)
    registrant = PersonFactory(name="竞聘人", organization=school)
    private_teacher = PersonFactory(name="民办教师", organization=private)

    users = {
        "officer": UserFactory(roles=[Role.PERSONNEL_OFFICER], organization=bureau),
        "officer_kin": UserFactory(
            roles=[Role.PERSONNEL_OFFICER], organization=bureau, organization__person=kin_person
        ),
        "inspector_on_team": UserFactory(roles=[Role.INSPECTION_TEAM], organization=bureau),
        "inspector_off_team": UserFactory(roles=[Role.INSPECTION_TEAM], organization=bureau),
        "discipline": UserFactory(roles=[Role.DISCIPLINE_INSPECTOR], organization=bureau),
        "member": UserFactory(roles=[Role.COMMITTEE_MEMBER], organization=bureau),
        "recorder": UserFactory(roles=[Role.COMMITTEE_SECRETARY], organization=bureau),
        "secretary": UserFactory(roles=[Role.SCHOOL_SECRETARY], organization=school),
        "registrant_secretary": UserFactory(
            roles=[Role.SCHOOL_SECRETARY], organization=school, organization__person=registrant
        ),
        "private_secretary": UserFactory(roles=[Role.SCHOOL_SECRETARY], organization=private),
        "other_secretary": UserFactory(roles=[Role.SCHOOL_SECRETARY], organization=other),
        "teacher": UserFactory(roles=[Role.TEACHER], organization=school, organization__person=teacher_person),
        "cadre": UserFactory(roles=[Role.TEACHER], organization=school, organization__person=cadre),
        "private_teacher": UserFactory(
            roles=[Role.TEACHER], organization=private, organization__person=private_teacher
        ),
        "superuser": UserFactory(is_superuser=True, organization=bureau),
        "inactive_officer": UserFactory(roles=[Role.PERSONNEL_OFFICER], organization=bureau, is_active=False),
    }

    post = PostFactory(organization=school, name="校长", kind=c.PostKind.PRINCIPAL, level=c.PostLevel.SCHOOL_HEAD)
    selection = SelectionCase.objects.create(
        flow_class=PrincipalSelectionFlow, post=post, started_on=timezone.localdate()
    )
    Candidate.objects.create(case=selection, person=candidate)
    selection.inspection_team.add(users["inspector_on_team"])

    competition = Competition.objects.create(flow_class=CompetitionFlow, organization=school, title="2026年中层竞聘")
    middle = PostFactory(
        organization=school, name="教务处主任", kind=c.PostKind.MIDDLE_HEAD, level=c.PostLevel.MIDDLE_HEAD
    )
    Registration.objects.create(competition=competition, post=middle, person=registrant)

    tenure = TenureFactory(person=cadre, post=middle, start_date=dt.date(2020, 9, 1))
    adjustment = Adjustment.objects.create(flow_class=AdjustmentFlow, organization=school, tenure=tenure)
    # a cadre without a login: the bureau's officer records their statement (代为录入)
    offline = PersonFactory(name="无账号干部", organization=school)
    offline_post = PostFactory(
        organization=school, name="总务处主任", kind=c.PostKind.MIDDLE_HEAD, level=c.PostLevel.MIDDLE_HEAD
    )
    offline_tenure = TenureFactory(person=offline, post=offline_post, start_date=dt.date(2019, 9, 1))
    offline_case = Adjustment.objects.create(flow_class=AdjustmentFlow, organization=school, tenure=offline_tenure)

    def ethics(teacher, org, investigator=None):
        return EthicsCase.objects.create(
            flow_class=EthicsCaseFlow,
            teacher=teacher,
            organization=org,
            authority=bureau,
            source="school_report",
            report_text="反映的问题",
            reported_on=dt.date(2026, 11, 2),
            reported_by=users["officer"],
            investigator=investigator,
        )

    public_case = ethics(teacher_person, school, investigator=users["discipline"])
    private_case = ethics(private_teacher, private)

    tasks = (
        open_tasks_for(selection, PrincipalSelectionFlow)
        + open_tasks_for(competition, CompetitionFlow)
        + open_tasks_for(adjustment, AdjustmentFlow)
        + open_tasks_for(offline_case, AdjustmentFlow)
        + open_tasks_for(public_case, EthicsCaseFlow)
        + open_tasks_for(private_case, EthicsCaseFlow)
    )
    return users, tasks


def _may(users, tasks):
    """{(user key, task pk)} the task page allows."""
    return {(key, t.pk) for key, u in users.items() for t in tasks if t.flow_task.can_execute(u, t)}


def test_the_task_page_the_inbox_and_who_may_act_agree(world):
    users, tasks = world
    by_page = _may(users, tasks)
    by_inbox = {(key, pk) for key, u in users.items() for pk in actionable_tasks(u).values_list("pk", flat=True)}
    by_actors = {(key, t.pk) for t in tasks for key, u in users.items() if actors_of(t).filter(pk=u.pk).exists()}
    assert by_inbox == by_page
    assert by_actors == by_page


def _steps(users, tasks, key) -> set[str]:
    user = users[key]
    return {f"{t.flow_task.flow_class.__name__}.{t.flow_task.name}" for t in tasks if t.flow_task.can_execute(user, t)}


def test_bureau_roles_act_on_their_steps_and_never_on_a_kins_case(world):
    users, tasks = world
    officer = _steps(users, tasks, "officer")
    assert "PrincipalSelectionFlow.recommend" in officer
    assert "PrincipalSelectionFlow.inspect" not in officer  # the inspection team's
    assert "CompetitionFlow.file_with_bureau" in officer
    assert "EthicsCaseFlow.assign_investigator" in officer
    assert "CompetitionFlow.announce" not in officer  # the school's
    kin = _steps(users, tasks, "officer_kin")
    assert not {s for s in kin if s.startswith("PrincipalSelectionFlow.")}  # the candidate's wife: 回避
    assert "CompetitionFlow.file_with_bureau" in kin
    assert _steps(users, tasks, "inactive_officer") == set()


def test_only_the_cases_inspection_team_inspects(world):
    users, tasks = world
    assert _steps(users, tasks, "inspector_on_team") == {"PrincipalSelectionFlow.inspect"}
    assert _steps(users, tasks, "inspector_off_team") == set()


def test_school_steps_stay_in_the_school_and_out_of_a_candidates_hands(world):
    users, tasks = world
    secretary = _steps(users, tasks, "secretary")
    assert {"CompetitionFlow.announce", "AdjustmentFlow.decide", "EthicsCaseFlow.propose"} <= secretary
    assert "EthicsCaseFlow.decide" not in secretary  # a public school: the bureau decides
    assert _steps(users, tasks, "other_secretary") == set()
    registrant = _steps(users, tasks, "registrant_secretary")
    assert not {s for s in registrant if s.startswith("CompetitionFlow.")}  # competes: 回避
    assert "AdjustmentFlow.decide" in registrant
    private = _steps(users, tasks, "private_secretary")
    assert {"EthicsCaseFlow.decide", "EthicsCaseFlow.hearing", "EthicsCaseFlow.propose"} <= private


def test_the_person_concerned_acts_on_their_own_steps_only(world):
    users, tasks = world
    assert _steps(users, tasks, "teacher") == {
        "EthicsCaseFlow.statement",
        "EthicsCaseFlow.apply_review",
        "EthicsCaseFlow.apply_appeal",
    }
    assert _steps(users, tasks, "cadre") == {"AdjustmentFlow.statement"}
    statements = [t for t in tasks if t.flow_task.name == "statement" and t.flow_task.flow_class is AdjustmentFlow]
    officer = users["officer"]
    assert [t.flow_task.can_execute(officer, t) for t in statements] == [False, True]  # 代为录入 without a login
    assert "EthicsCaseFlow.investigate" in _steps(users, tasks, "discipline")


def test_a_held_task_is_its_holders_alone(world):
    users, tasks = world
    task = next(t for t in tasks if t.flow_task.name == "recommend")
    task.owner = users["superuser"]
    task.status = STATUS.ASSIGNED
    task.save()
    assert not task.flow_task.can_execute(users["officer"], task)
    assert not actionable_tasks(users["officer"]).filter(pk=task.pk).exists()
    assert list(actors_of(task)) == []  # the superuser holds no 组织人事科 role in principal selection


def test_every_flow_is_in_the_inbox(world):
    assert {f.__name__ for f in flows()} == {
        "PrincipalSelectionFlow",
        "CompetitionFlow",
        "AdjustmentFlow",
        "EthicsCaseFlow",
    }
