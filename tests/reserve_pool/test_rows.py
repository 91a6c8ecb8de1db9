"""Rows of the 名册 and the export: every printed value from the registry, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cadres import choices as c
from reserve_pool.choices import ReserveState
from reserve_pool.models import ReserveEntry, TrainingRecord
from reserve_pool.rows import roster_rows
from tests.factories import EducationFactory, PostFactory, TenureFactory, TitleFactory

from .conftest import entry_in, make_teacher

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 12, 1)


def test_a_row_prints_the_registry_as_of_the_day(officer, school, posts):
    person = make_teacher(school, "王老师", birth=dt.date(1986, 6, 15), record_birth_month=dt.date(1986, 5, 1))
    EducationFactory(person=person, level=c.EducationLevel.MASTER, kind=c.EducationKind.IN_SERVICE)
    TitleFactory(person=person, title=c.TeacherTitle.SENIOR, obtained_on=dt.date(2027, 1, 1))  # not yet held
    post = PostFactory(
        organization=school, name="教导处副主任", kind=c.PostKind.MIDDLE_DEPUTY, level=c.PostLevel.MIDDLE_DEPUTY
    )
    TenureFactory(person=person, post=post, start_date=dt.date(2021, 9, 1))
    entry = entry_in(ReserveState.IN_POOL, person, officer, target_post=posts.vice)
    TrainingRecord.objects.create(
        entry=entry, course="能力提升班", provider="区教师发展中心", start_date=ON, end_date=ON, hours=Decimal("12.5")
    )
    [row] = roster_rows(ReserveEntry.objects.all(), on=ON)
    assert row == {
        "name": "王老师",
        "sex": "男",
        "birth": "1986.05",
        "age": 40,
        "unit": school.name,
        "current_post": f"{school.name}教导处副主任",
        "education": "硕士研究生",
        "title": "一级教师",
        "political_status": "中共党员",
        "kind": "副职后备",
        "target": f"{school.name}副校长",
        "horizon": "近期可提拔使用",
        "origin": "教育局推荐",
        "state": "在库",
        "admitted_on": entry.admitted_on,
        "valid_until": entry.valid_until,
        "training_hours": Decimal("12.5"),
    }


def test_without_a_post_a_teacher_is_printed_as_the_schools_teacher_and_queries_do_not_grow(
    officer, school, posts, django_assert_num_queries
):
    for i in range(5):
        entry_in(ReserveState.NOMINATED, make_teacher(school, f"教师{i}"), officer)
    with django_assert_num_queries(5):  # training hours, entries, educations, titles, tenures
        rows = list(roster_rows(ReserveEntry.objects.order_by("person__name"), on=ON))
    assert [r["current_post"] for r in rows] == [f"{school.name}教师"] * 5
    assert rows[0]["target"] == f"{school.name}副校长" and rows[0]["training_hours"] == 0
