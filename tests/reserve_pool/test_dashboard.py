"""The structure dashboard against a hand-computed pool, its charts' geometry, scope and filters."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cadres import choices as c
from reserve_pool import charts
from reserve_pool.choices import Horizon, ReserveKind, ReserveState
from tests.factories import EducationFactory, PersonFactory, TitleFactory

from .conftest import entry_in, make_teacher

pytestmark = pytest.mark.django_db

URL = reverse("reserve_pool:dashboard:index")


def born(age: int) -> dt.date:
    """A birthday giving `age` full years today (today - age years - 10 days)."""
    today = timezone.localdate()
    return today.replace(year=today.year - age) - dt.timedelta(days=10)


@pytest.fixture
def pool(school, other_school, officer, posts):
    """Four admitted entries and one nomination (not in the pool), hand-described:

    | who | sex | age | education | title   | party  | township | kind   | horizon | state       |
    | A   | F   | 36  | 本科      | 一级    | CPC    | 湖塘镇   | deputy | near    | in_pool     |
    | B   | M   | 31  | 硕士+本科 | 二级    | masses | 湖塘镇   | head   | long    | in_pool     |
    | C   | F   | 44  | 本科      | 一级    | masses | 牛塘镇   | deputy | near    | shortlisted |
    | D   | M   | 29  | —         | —       | CPC    | 湖塘镇   | deputy | near    | in_pool     |
    | E   | F   | 40  | 本科      | 一级    | CPC    | 牛塘镇   | deputy | near    | nominated   |
    """
    school.township, other_school.township = "湖塘镇", "牛塘镇"
    school.save()
    other_school.save()
    a = make_teacher(school, "甲", birth=born(36), sex=c.Sex.FEMALE, subject="语文")
    b = PersonFactory(
        organization=school, name="乙", birth_date=born(31), political_status=c.PoliticalStatus.MASSES, subject="数学"
    )
    EducationFactory(person=b, level=c.EducationLevel.BACHELOR)
    EducationFactory(person=b, level=c.EducationLevel.MASTER, kind=c.EducationKind.IN_SERVICE)
    TitleFactory(person=b, title=c.TeacherTitle.SECOND, obtained_on=dt.date(2020, 9, 1))
    c_ = make_teacher(
        other_school,
        "丙",
        birth=born(44),
        sex=c.Sex.FEMALE,
        political_status=c.PoliticalStatus.MASSES,
        party_join_date=None,
        subject="语文",
    )
    d = PersonFactory(organization=school, name="丁", birth_date=born(29), subject="")
    e = make_teacher(other_school, "戊", birth=born(40), sex=c.Sex.FEMALE)
    entry_in(ReserveState.IN_POOL, a, officer)
    entry_in(
        ReserveState.IN_POOL,
        b,
        officer,
        kind=ReserveKind.HEAD,
        post_kind=c.PostKind.PRINCIPAL,
        horizon=Horizon.LONG_TERM,
    )
    entry_in(ReserveState.SHORTLISTED, c_, officer)
    entry_in(ReserveState.IN_POOL, d, officer)
    entry_in(ReserveState.NOMINATED, e, officer)


def counts(context, dimension):
    return {row["key"]: row["count"] for row in context["structure"]["dimensions"][dimension]["rows"]}


def test_the_dashboard_counts_the_pool_by_every_dimension(client, officer, pool):
    client.force_login(officer)
    context = client.get(URL).context
    assert context["structure"]["total"] == 4
    assert counts(context, "age_band") == {"le30": 1, "31_35": 1, "36_40": 1, "41_45": 1, "ge46": 0}
    assert counts(context, "sex") == {c.Sex.MALE: 2, c.Sex.FEMALE: 2}
    assert counts(context, "education") == {c.EducationLevel.MASTER: 1, c.EducationLevel.BACHELOR: 2, "none": 1}
    assert counts(context, "title") == {c.TeacherTitle.FIRST: 2, c.TeacherTitle.SECOND: 1, "none": 1}
    assert counts(context, "subject") == {"语文": 2, "数学": 1, "none": 1}
    assert counts(context, "stage") == {c.Stage.PRIMARY: 4}
    assert counts(context, "kind") == {ReserveKind.HEAD: 1, ReserveKind.DEPUTY: 3}
    assert counts(context, "horizon") == {Horizon.NEAR_TERM: 3, Horizon.LONG_TERM: 1}
    assert counts(context, "township") == {"湖塘镇": 3, "牛塘镇": 1}
    women, non_party = context["targets"]
    assert (women["count"], women["total"], women["actual_percent"]) == (2, 4, 50.0)
    assert (non_party["count"], non_party["actual_percent"]) == (2, 50.0)
    assert context["near_term"] == {
        "total": 4,
        "near_term": 3,
        "long_term": 1,
        "required": 2,
        "ratio": "1/3",
        "percent": 75.0,
        "met": True,
    }


def test_the_charts_draw_one_bar_per_row_scaled_to_the_largest(client, officer, pool):
    client.force_login(officer)
    response = client.get(URL)
    chart = next(ch for ch in response.context["charts"] if ch["key"] == "horizon")
    near, long = chart["bars"]
    assert (near["label"], near["count"], near["percent"]) == ("近期可提拔使用", 3, 75.0)
    span = charts.WIDTH - charts.LABEL_WIDTH - charts.VALUE_WIDTH
    assert near["width"] == span and long["width"] == round(span / 3, 1)
    html = response.content.decode()
    assert 'id="chart-township"' in html and "湖塘镇：3（75.0%）" in html


def test_filters_narrow_the_structure_and_a_state_filter_replaces_the_pool(client, officer, pool, other_school):
    client.force_login(officer)
    assert client.get(URL, {"township": "牛塘镇"}).context["structure"]["total"] == 1
    assert client.get(URL, {"kind": ReserveKind.HEAD}).context["structure"]["total"] == 1
    nominated = client.get(URL, {"state": ReserveState.NOMINATED}).context
    assert nominated["structure"]["total"] == 1 and counts(nominated, "sex")[c.Sex.FEMALE] == 1


def test_a_school_sees_the_structure_of_its_own_people_only(client, school_secretary, pool):
    client.force_login(school_secretary)
    context = client.get(URL).context
    assert context["structure"]["total"] == 3  # 甲, 乙, 丁 of the first school
    assert "township" not in context["form"].fields


def test_an_empty_chart_still_has_a_row_of_height():
    chart = charts.bar_chart([])
    assert chart["bars"] == [] and chart["height"] == charts.GAP + charts.BAR_HEIGHT + charts.GAP
