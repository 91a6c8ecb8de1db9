"""A small district for the reserve-pool tests: two schools with head and deputy posts, eligible teachers,
the bureau's officer and inspector, each school's secretary, and helpers that bring an entry to any state
(through the services, or directly for state-machine tables)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from cadres import choices as c
from cadres.roles import Role
from reserve_pool import services
from reserve_pool.choices import Horizon, Origin, ReserveKind, ReserveState
from reserve_pool.models import ReserveEntry
from reserve_pool.policies import secretary_school_id
from tests.factories import (
    AppraisalFactory,
    EducationFactory,
    PersonFactory,
    PostFactory,
    TitleFactory,
    UserFactory,
)

D = dt.date
ON = D(2026, 3, 2)  # the standard "today" of these tests
BORN = D(1986, 6, 15)


def make_teacher(organization, name, *, birth=BORN, sex=c.Sex.MALE, years=range(2018, 2030), **kwargs):
    """A teacher who meets the default reserve_entry rule set through 2030: 本科, 一级教师, appraisals 合格."""
    person = PersonFactory(organization=organization, name=name, birth_date=birth, sex=sex, **kwargs)
    EducationFactory(person=person, level=c.EducationLevel.BACHELOR)
    TitleFactory(person=person, title=c.TeacherTitle.FIRST, obtained_on=D(2015, 12, 1))
    for year in years:
        AppraisalFactory(person=person, year=year, grade=c.AppraisalGrade.COMPETENT)
    return person


@pytest.fixture
def posts(school, other_school):
    """One principal post and one vice-principal seat in each school."""
    return SimpleNamespace(
        principal=PostFactory(
            organization=school, name="校长", kind=c.PostKind.PRINCIPAL, level=c.PostLevel.SCHOOL_HEAD, headcount=1
        ),
        vice=PostFactory(organization=school, name="副校长", headcount=1),
        other_principal=PostFactory(
            organization=other_school,
            name="校长",
            kind=c.PostKind.PRINCIPAL,
            level=c.PostLevel.SCHOOL_HEAD,
            headcount=1,
        ),
        other_vice=PostFactory(organization=other_school, name="副校长", headcount=1),
    )


@pytest.fixture
def inspector(bureau):
    return UserFactory(username="inspector", roles=[Role.INSPECTION_TEAM], organization=bureau)


@pytest.fixture
def other_secretary(other_school):
    return UserFactory(username="secretary2", roles=[Role.SCHOOL_SECRETARY], organization=other_school)


@pytest.fixture
def teacher(school, posts):
    return make_teacher(school, "王老师")


@pytest.fixture
def other_teacher(other_school, posts):
    return make_teacher(other_school, "李老师")


def nominate(person, user, *, post_kind=c.PostKind.VICE_PRINCIPAL, horizon=Horizon.NEAR_TERM, on=ON, **kwargs):
    default_origin = Origin.SCHOOL_PARTY if secretary_school_id(user) else Origin.BUREAU
    origin = kwargs.pop("origin", default_origin)
    return services.reserve_entry_nominate(
        acting_user=user, person=person, origin=origin, post_kind=post_kind, horizon=horizon, on=on, **kwargs
    )


PROFILE = "王老师，1986年6月生，本科学历，一级教师。任教以来教学实绩突出，管理能力较强；不足是统筹经验尚浅。"


REVIEWED = "reviewed"  # under_review with a passed qualification review


def bring_to(entry, state, officer, *, on=ON, document="教工委〔2026〕8号"):
    """Move a freshly nominated `entry` through the services to `state` (or REVIEWED, or USED)."""
    steps = {
        ReserveState.UNDER_REVIEW: lambda e: services.reserve_entry_submit_for_review(acting_user=officer, entry=e),
        REVIEWED: lambda e: services.reserve_entry_review(
            acting_user=officer, entry=e, personal_matters_ok=True, on=on
        ),
        ReserveState.ASSESSED: lambda e: services.reserve_entry_assess(
            acting_user=officer,
            entry=e,
            talks_count=12,
            evaluation_summary="德才表现良好，群众公认。",
            profile_text=PROFILE,
            on=on,
        ),
        ReserveState.IN_POOL: lambda e: services.reserve_entry_admit(
            acting_user=officer, entry=e, document_number=document, on=on
        ),
        ReserveState.SHORTLISTED: lambda e: services.reserve_entry_shortlist(
            acting_user=officer, entry=e, ref="校长选拔〔2026〕1号", on=on
        ),
        ReserveState.USED: lambda e: services.reserve_entry_mark_used(acting_user=officer, entry=e, on=on),
    }
    path = list(steps)
    for step in path[: path.index(state) + 1]:
        entry = steps[step](entry)
    return entry


def entry_in(state, person, user, **fields):
    """An entry stored directly in `state` with the fields that state implies (for state-machine tables)."""
    values = {
        "person": person,
        "origin": Origin.BUREAU,
        "kind": ReserveKind.DEPUTY,
        "post_kind": c.PostKind.VICE_PRINCIPAL,
        "organization": person.organization,
        "horizon": Horizon.NEAR_TERM,
        "nominating_unit": person.organization.parent or person.organization,
        "nominated_by": user,
        "nominated_on": ON,
        "state": state,
    }
    if state not in (ReserveState.NOMINATED,):
        values.update(reviewed_on=ON, review_passed=True, personal_matters_ok=True, review_rule_set="后备干部入库条件")
    if state not in (ReserveState.NOMINATED, ReserveState.UNDER_REVIEW):
        values.update(assessed_on=ON, talks_count=10, evaluation_summary="良好", profile_text=PROFILE)
    if state in (ReserveState.IN_POOL, ReserveState.SHORTLISTED, ReserveState.USED):
        values.update(admitted_on=ON, admission_document="教工委〔2026〕1号", valid_until=D(2029, 3, 1))
    if state == ReserveState.SHORTLISTED:
        values.update(shortlisted_on=ON, shortlist_ref="校长选拔〔2026〕1号")
    if state == ReserveState.USED:
        values.update(used_on=ON, ended_on=ON)
    if state == ReserveState.REMOVED:
        values.update(removal_reason="测试撤销", ended_on=ON, end_trigger="manual")
    if state == ReserveState.EXPIRED:
        values.update(ended_on=ON, end_trigger="validity")
    values.update(fields)
    return ReserveEntry.objects.create(**values)
