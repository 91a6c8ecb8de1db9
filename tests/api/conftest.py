"""A small district for the API tests: two schools, posts, people with tenures and titles, and the users."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from rest_framework.test import APIClient

from cadres import choices as c
from cadres.roles import Role
from tests.factories import PersonFactory, PostFactory, TenureFactory, TitleFactory, UserFactory


@pytest.fixture
def api_client():
    return APIClient()


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def district(school, other_school):
    """Two people in each school; 甲 is principal of 第一实验小学 (一级教师), 丁 vice principal of the other."""
    principal_post = PostFactory(
        organization=school, name="校长", kind=c.PostKind.PRINCIPAL, level=c.PostLevel.SCHOOL_HEAD, headcount=1
    )
    deputy_post = PostFactory(organization=school, name="副校长", headcount=2)
    other_deputy_post = PostFactory(organization=other_school, name="副校长", headcount=1)
    jia = PersonFactory(organization=school, name="甲校长", birth_date=dt.date(1975, 4, 2))
    yi = PersonFactory(organization=school, name="乙老师", birth_date=dt.date(1990, 9, 1))
    bing = PersonFactory(organization=other_school, name="丙老师", birth_date=dt.date(1985, 1, 20))
    ding = PersonFactory(organization=other_school, name="丁副校长", birth_date=dt.date(1979, 11, 11))
    TenureFactory(person=jia, post=deputy_post, start_date=dt.date(2012, 9, 1), end_date=dt.date(2018, 8, 31))
    jia_principal = TenureFactory(person=jia, post=principal_post, start_date=dt.date(2018, 9, 1))
    ding_deputy = TenureFactory(person=ding, post=other_deputy_post, start_date=dt.date(2021, 3, 1))
    TitleFactory(person=jia, title=c.TeacherTitle.SECOND, obtained_on=dt.date(2005, 12, 1))
    TitleFactory(person=jia, title=c.TeacherTitle.FIRST, obtained_on=dt.date(2012, 12, 1))
    TitleFactory(person=yi, title=c.TeacherTitle.SECOND, obtained_on=dt.date(2016, 12, 1))
    TitleFactory(person=ding, title=c.TeacherTitle.SENIOR, obtained_on=dt.date(2019, 12, 1))
    return SimpleNamespace(
        jia=jia,
        yi=yi,
        bing=bing,
        ding=ding,
        principal_post=principal_post,
        deputy_post=deputy_post,
        other_deputy_post=other_deputy_post,
        jia_principal=jia_principal,
        ding_deputy=ding_deputy,
    )


@pytest.fixture
def teacher(school, district):
    """A teacher-only login that is 乙老师 in the registry."""
    return UserFactory(username="teacher", roles=[Role.TEACHER], organization=school, organization__person=district.yi)
