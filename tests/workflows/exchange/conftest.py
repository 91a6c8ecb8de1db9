"""A small district for the exchange tests: three schools, each with a 校长 (职数1), 副校长 (职数2) and a
财务室会计 post; a vice-principal in each school due for exchange, a principal in the second school; helpers
that draft a plan through the services."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from cadres import choices as c
from cadres.roles import Role
from tests.factories import OrganizationFactory, PersonFactory, PostFactory, TenureFactory, UserFactory
from workflows.exchange import services

PASSWORD = "pw-Cadre-2026"


def today() -> dt.date:
    return services.today()


def school_posts(org):
    return SimpleNamespace(
        principal=PostFactory(
            organization=org, name="校长", kind=c.PostKind.PRINCIPAL, level=c.PostLevel.SCHOOL_HEAD, headcount=1
        ),
        vice=PostFactory(organization=org, name="副校长", headcount=2),
        finance=PostFactory(
            organization=org, name="财务室会计", kind=c.PostKind.TEACHER, level=c.PostLevel.STAFF, headcount=2
        ),
    )


def sitting(post, name, *, since=dt.date(2012, 9, 1), **kwargs):
    person = PersonFactory(organization=post.organization, name=name, **kwargs)
    return person, TenureFactory(person=person, post=post, start_date=since, term_number=1)


@pytest.fixture
def district(bureau, school, other_school):
    third = OrganizationFactory(name="第三实验小学", parent=bureau)
    posts = [school_posts(o) for o in (school, other_school, third)]
    a, a_tenure = sitting(posts[0].vice, "甲副校长", since=dt.date(2010, 9, 1))
    b, b_tenure = sitting(posts[1].vice, "乙副校长", since=dt.date(2012, 9, 1))
    c3, c_tenure = sitting(posts[2].vice, "丙副校长", since=dt.date(2014, 9, 1))
    p2, p2_tenure = sitting(posts[1].principal, "乙校长", since=dt.date(2011, 9, 1))
    return SimpleNamespace(
        schools=(school, other_school, third),
        posts=posts,
        a=a,
        a_tenure=a_tenure,
        b=b,
        b_tenure=b_tenure,
        c=c3,
        c_tenure=c_tenure,
        p2=p2,
        p2_tenure=p2_tenure,
    )


@pytest.fixture
def committee_member(bureau):
    return UserFactory(username="member", roles=[Role.COMMITTEE_MEMBER], organization=bureau)


def draft(officer, moves, *, effective=None, title="2026年秋季交流轮岗方案"):
    """A draft plan with `moves` = [(person, from_tenure, to_post), ...], made through the services."""
    plan = services.plan_create(acting_user=officer, title=title, effective_date=effective or today())
    for person, tenure, post in moves:
        services.move_add(acting_user=officer, plan=plan, person=person, from_tenure=tenure, to_post=post)
    return plan


def approve(officer, plan, *, on=None):
    return services.plan_approve(
        acting_user=officer, plan=plan, meeting_name="区教育工委2026年第7次委员会会议", meeting_date=on or today()
    )
