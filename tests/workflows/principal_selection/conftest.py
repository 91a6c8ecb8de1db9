"""A district with one school principal post to fill, two eligible vice principals and every role's user."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone
from viewflow.workflow.status import STATUS

import config.urls  # noqa: F401  (builds the site URLs, so flow nodes can reverse their own)
from cadres import choices as c
from cadres.roles import Role
from tests.factories import (
    AppraisalFactory,
    EducationFactory,
    FamilyMemberFactory,
    PersonFactory,
    PostFactory,
    TenureFactory,
    TitleFactory,
    UserFactory,
)
from workflows.principal_selection.flows import PrincipalSelectionFlow as Flow

from .form_data import fingerprint_of, recommend_data  # noqa: F401  (re-exported for the tests)

D = dt.date


BIRTH = D(1984, 3, 9)


def eligible_person(org, name, *, deputy_post):
    person = PersonFactory(name=name, organization=org, birth_date=BIRTH, work_start_date=D(2006, 8, 1))
    EducationFactory(person=person)
    TitleFactory(person=person, title=c.TeacherTitle.SENIOR, obtained_on=D(2018, 12, 1))
    for year in (2023, 2024, 2025):
        AppraisalFactory(person=person, year=year, grade=c.AppraisalGrade.COMPETENT)
    TenureFactory(person=person, post=deputy_post, start_date=D(2019, 9, 1))
    return person


def staff_user(username, role, bureau, *, person=None):
    return UserFactory(username=username, roles=[role], organization=bureau, organization__person=person)


@pytest.fixture
def world(db, bureau, school, other_school):
    principal_post = PostFactory(
        organization=school, name="校长", kind=c.PostKind.PRINCIPAL, level=c.PostLevel.SCHOOL_HEAD, headcount=1
    )
    deputy_post = PostFactory(organization=school, name="副校长", headcount=2)
    other_deputy = PostFactory(organization=other_school, name="副校长", headcount=2)
    holder = PersonFactory(name="老校长", organization=school, birth_date=D(1967, 1, 5))
    holder_tenure = TenureFactory(person=holder, post=principal_post, start_date=D(2014, 9, 1))
    alice = eligible_person(school, "王晓燕", deputy_post=deputy_post)
    bob = eligible_person(other_school, "赵立新", deputy_post=other_deputy)
    carol = eligible_person(school, "孙海涛", deputy_post=deputy_post)
    officer = staff_user("officer", Role.PERSONNEL_OFFICER, bureau)
    officer2 = staff_user(
        "officer2", Role.PERSONNEL_OFFICER, bureau, person=PersonFactory(name="刘红梅", organization=bureau)
    )
    inspectors = [
        staff_user(f"inspector{i}", Role.INSPECTION_TEAM, bureau, person=PersonFactory(name=name, organization=bureau))
        for i, name in ((1, "考察员甲"), (2, "考察员乙"))
    ]
    discipline = staff_user("discipline", Role.DISCIPLINE_INSPECTOR, bureau)
    secretary = staff_user("recorder", Role.COMMITTEE_SECRETARY, bureau)
    members = [
        staff_user(
            f"member{i}", Role.COMMITTEE_MEMBER, bureau, person=PersonFactory(name=f"委员{i}", organization=bureau)
        )
        for i in range(1, 10)
    ]
    school_user = UserFactory(username="school_sec", roles=[Role.SCHOOL_SECRETARY], organization=school)
    return SimpleNamespace(
        bureau=bureau,
        school=school,
        post=principal_post,
        deputy_post=deputy_post,
        holder=holder,
        holder_tenure=holder_tenure,
        alice=alice,
        bob=bob,
        carol=carol,
        officer=officer,
        officer2=officer2,
        inspectors=inspectors,
        discipline=discipline,
        secretary=secretary,
        members=members,
        school_user=school_user,
    )


def make_kin(member_user, candidate):
    """Make the member's registry person the candidate's spouse."""
    FamilyMemberFactory(person=candidate, relation=c.Relation.SPOUSE, relative=member_user.profile.person)


def open_task(case, node):
    return case.task_set.filter(flow_task=node).exclude(status__in=[STATUS.DONE, STATUS.CANCELED]).get()


def post_task(client, user, case, node, data):
    client.force_login(user)
    task = open_task(case, node)
    url = node.reverse("execute", args=[case.pk, task.pk])
    page = client.get(url)
    if page.status_code == 200:  # the task page renders for whoever may act on it
        assert "<form" in page.content.decode()
    return client.post(url, data)


def backdate_timers(case):
    """Make the case's scheduled timers due now (as if the probation year had passed)."""
    case.task_set.filter(flow_task_type="TIMER", status=STATUS.SCHEDULED).update(
        scheduled=timezone.now() - dt.timedelta(minutes=1)
    )


FLOW = Flow


def post_confirmed(client, user, case, node, data):
    """Post a previewed step twice, as the page does: preview, then confirm with the previewed figures."""
    preview = post_task(client, user, case, node, data)
    if preview.status_code != 200 or 'id="tally-preview"' not in preview.content.decode():
        return preview
    return client.post(preview.wsgi_request.path, {**data, "confirm": "1", "fingerprint": fingerprint_of(preview)})
