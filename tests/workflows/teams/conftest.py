"""Hand-built school teams: posts with their 职数, holders of known age and sex, admitted reserves."""

from __future__ import annotations

import datetime as dt

import pytest

from cadres import choices as c
from reserve_pool.choices import Horizon, Origin, ReserveKind, ReserveState
from reserve_pool.models import ReserveEntry
from tests.factories import EducationFactory, PersonFactory, PostFactory, TenureFactory, UserFactory

ON = dt.date(2026, 6, 1)


def born_aged(age: int, on: dt.date = ON, days: int = 0) -> dt.date:
    """A birth date making someone exactly `age` on `on` (`days` later: still age-1)."""
    return on.replace(year=on.year - age) + dt.timedelta(days=days)


def leader_posts(school, *, vice_headcount: int = 2, middle_headcount: int = 2):
    return {
        "secretary": PostFactory(
            organization=school,
            name="党组织书记",
            kind=c.PostKind.PARTY_SECRETARY,
            level=c.PostLevel.SCHOOL_HEAD,
            headcount=1,
        ),
        "principal": PostFactory(
            organization=school, name="校长", kind=c.PostKind.PRINCIPAL, level=c.PostLevel.SCHOOL_HEAD, headcount=1
        ),
        "vice": PostFactory(
            organization=school,
            name="副校长",
            kind=c.PostKind.VICE_PRINCIPAL,
            level=c.PostLevel.SCHOOL_DEPUTY,
            headcount=vice_headcount,
        ),
        "middle": PostFactory(
            organization=school,
            name="教务处主任",
            kind=c.PostKind.MIDDLE_HEAD,
            level=c.PostLevel.MIDDLE_HEAD,
            headcount=middle_headcount,
        ),
    }


def appoint(post, *, age: int = 45, sex=c.Sex.MALE, start=dt.date(2024, 9, 1), name=None, days: int = 0, **kw):
    person = PersonFactory(
        organization=post.organization,
        birth_date=born_aged(age, days=days),
        sex=sex,
        subject="数学",
        **({"name": name} if name else {}),
    )
    EducationFactory(person=person, level=c.EducationLevel.BACHELOR)
    TenureFactory(person=person, post=post, start_date=start, **kw)
    return person


def admit_reserve(person, school, *, post_kind=c.PostKind.VICE_PRINCIPAL, state=ReserveState.IN_POOL):
    user = UserFactory()
    ended = (
        {"removal_reason": "测试撤销", "ended_on": ON, "end_trigger": "manual"} if state == ReserveState.REMOVED else {}
    )
    return ReserveEntry.objects.create(
        person=person,
        origin=Origin.BUREAU,
        kind=ReserveKind.DEPUTY,
        post_kind=post_kind,
        organization=school,
        horizon=Horizon.NEAR_TERM,
        nominating_unit=school,
        nominated_by=user,
        nominated_on=ON,
        state=state,
        reviewed_on=ON,
        review_passed=True,
        personal_matters_ok=True,
        assessed_on=ON,
        talks_count=10,
        evaluation_summary="良好",
        profile_text="小传",
        admitted_on=ON,
        admission_document="教工委〔2026〕1号",
        valid_until=dt.date(2029, 3, 1),
        **ended,
    )


@pytest.fixture
def full_team(school):
    """A complete, balanced team: every post filled, one member under 40, both sexes, one reserve."""
    posts = leader_posts(school)
    people = {
        "secretary": appoint(posts["secretary"], age=52, name="王书记"),
        "principal": appoint(posts["principal"], age=48, sex=c.Sex.FEMALE, name="李校长"),
        "vice1": appoint(posts["vice"], age=38, name="赵副校长"),
        "vice2": appoint(posts["vice"], age=44, sex=c.Sex.FEMALE, name="钱副校长"),
        "middle1": appoint(posts["middle"], age=35, name="孙主任"),
        "middle2": appoint(posts["middle"], age=33, sex=c.Sex.FEMALE, name="周主任"),
    }
    reserve = PersonFactory(organization=school, name="吴后备", birth_date=born_aged(36))
    admit_reserve(reserve, school)
    return posts, people
