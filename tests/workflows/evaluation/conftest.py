import datetime as dt

import pytest

from cadres import choices as c
from cadres.roles import Role
from tests.factories import PersonFactory, PostFactory, TenureFactory, UserFactory

TODAY = dt.date(2026, 3, 2)  # a Monday; the 2025 evaluations run in early 2026


@pytest.fixture(autouse=True)
def today(monkeypatch):
    from workflows.evaluation import clock

    monkeypatch.setattr(clock, "today", lambda: TODAY)
    return TODAY


@pytest.fixture(autouse=True)
def evaluation_rules(db):
    """The default `cadre_evaluation` set (made by cadres migration 0008; put back after a flush)."""
    from cadres.models import RuleSet, RuleSetItem
    from cadres.rules.defaults import load_default_evaluation_rule_set

    load_default_evaluation_rule_set(RuleSet, RuleSetItem)


LEVELS = [
    ("校长", c.PostKind.PRINCIPAL, c.PostLevel.SCHOOL_HEAD),
    ("副校长", c.PostKind.VICE_PRINCIPAL, c.PostLevel.SCHOOL_DEPUTY),
    ("教导处主任", c.PostKind.MIDDLE_HEAD, c.PostLevel.MIDDLE_HEAD),
    ("教导处副主任", c.PostKind.MIDDLE_DEPUTY, c.PostLevel.MIDDLE_DEPUTY),
]


def make_cadres(school, n: int, *, start=dt.date(2019, 9, 1)):
    """`n` cadres of `school`, cycling through the four levels (one post per person)."""
    people = []
    for i in range(n):
        name, kind, level = LEVELS[i % 4]
        person = PersonFactory(organization=school, name=f"干部{school.pk}-{i + 1}")
        post = PostFactory(organization=school, name=f"{name}{i + 1}", kind=kind, level=level, headcount=1)
        TenureFactory(person=person, post=post, start_date=start)
        people.append(person)
    return people


@pytest.fixture
def cadres_of_school(school):
    return make_cadres(school, 5)


@pytest.fixture
def teacher_user(school):
    return UserFactory(username="teacher-u", roles=[Role.TEACHER], organization=school)


@pytest.fixture
def other_secretary(other_school):
    return UserFactory(username="secretary-b", roles=[Role.SCHOOL_SECRETARY], organization=other_school)
